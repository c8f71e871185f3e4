"""An exercise set: one variant, every family's exercise, its key; class rosters.

>>> s = build_set()
>>> [s.question(f"trace.t{t}.c").answer for t in (2, 3, 5)]
['7', '7', '0']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from lstm_sym.errors import UserError
from lstm_sym.exercises import cell, gate_design, gradient, gru, memory, param_count, shapes, trace
from lstm_sym.exercises.hints import attach_hints
from lstm_sym.exercises.model import Exercise, Question, T, Text
from lstm_sym.exercises.variant import Variant, draw_variant, lecture_variant, variant_from_model
from lstm_sym.i18n import LANGS
from lstm_sym.key import SCHEMA, Student

# Section order of the sheet; each module has generate(variant) -> Exercise.
FAMILIES = (cell, trace, memory, param_count, shapes, gate_design, gradient, gru)
# Families written for the lecture's memory cell and its memory puzzle; a family module may
# say for itself which variants it serves with supports(variant) -> bool.
LECTURE_ONLY = (memory, gate_design, gradient)
LECTURE_WORKED = (1, 4)  # the lecture works steps 1 and 4 of its example
DEFAULT_WORKED = (1,)
# Two students must not share the answers of these families (the bulk of the work), nor
# the whole answer set.
PRIVATE_FAMILIES = ("trace", "memory")
MAX_ATTEMPTS = 100


@dataclass(frozen=True)
class ExerciseSet:
    """Every exercise of one variant, in sheet order."""

    variant: Variant
    exercises: tuple[Exercise, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for ex in self.exercises for q in ex.questions)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    @property
    def student(self) -> Student | None:
        return self.variant.student

    @property
    def title(self) -> Text:
        if self.variant.lecture:
            return T("ex.sheet.title")
        return T("ex.sheet.title_cell", cell=self.variant.model.cell.title)

    @property
    def subtitle(self) -> Text:
        """Where the numbers come from: the lecture, a seed, or the teacher's weights."""
        if not self.variant.ideal:
            return T("ex.sheet.subtitle.weights")
        if self.variant.seed is None:
            return T("ex.sheet.subtitle.lecture")
        return T("ex.sheet.subtitle.variant", seed=self.variant.seed)

    @property
    def instructions(self) -> Text:
        """How to write answers; gates are idealised only on saturated weights."""
        return T("ex.sheet.instructions" if self.variant.ideal else "ex.sheet.instructions_exact")

    def answers(self, family: str | None = None) -> tuple[tuple[str, str], ...]:
        """(id, answer) of every question (of one family), worked or not."""
        return tuple((q.id, q.answer) for q in self.questions
                     if family is None or q.family == family)

    def key(self, lang: str = "en") -> dict[str, Any]:
        """The key.json content (schema ``lstm_sym.key/1``, see :mod:`lstm_sym.key`)."""
        check_lang(lang)
        exercise = self.variant.to_json()
        exercise["title"] = self.title.render(lang)
        exercise["lang"] = lang
        out: dict[str, Any] = {"schema": SCHEMA, "exercise": exercise}
        if self.student is not None:
            out["student"] = self.student.as_dict()
        out["questions"] = attach_hints([q.key_entry(lang) for q in self.questions],
                                        self.variant.model.cell, lang)
        return out


def check_lang(lang: str) -> str:
    """`lang` if the catalogues have it, else a UserError naming --lang."""
    if lang not in LANGS:
        raise UserError(f"--lang: expected one of {', '.join(LANGS)}, got {lang!r}")
    return lang


def applies(family, variant: Variant) -> bool:
    """Does a family have questions for this variant?"""
    supports = getattr(family, "supports", None)
    if supports is not None:
        return bool(supports(variant))
    if family in LECTURE_ONLY:
        return bool(variant.memory_inputs)  # the lecture cell with its memory puzzle
    return True


def from_variant(variant: Variant) -> ExerciseSet:
    """Generate every family's exercise that applies to a variant."""
    return ExerciseSet(variant, tuple(family.generate(variant) for family in FAMILIES
                                      if applies(family, variant)))


def _is_lecture(cell_options: dict | None) -> bool:
    return not cell_options or cell_options.get("cell", "lecture") == "lecture"


def build_set(example: str = "lecture-worked", worked: tuple[int, ...] | None = None,
              seed: int | None = None, student: Student | None = None,
              attempt: int = 0, cell_options: dict | None = None, inputs: int = 3,
              hidden: int = 1) -> ExerciseSet:
    """The lecture's numbers (``seed=None``) or the clean random variant of (seed, student);
    for another cell (`cell_options`, e.g. ``{"cell": "gru"}``) always a clean random one.

    >>> build_set(seed=3).key() == build_set(seed=3).key()
    True
    >>> [q.id for q in build_set(seed=1, cell_options={"cell": "gru"}).questions][:3]
    ['trace.t1.z_r', 'trace.t1.z_u', 'trace.t1.r']
    """
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise UserError(f"--seed: expected an integer, got {seed!r}")
    if not _is_lecture(cell_options):
        from lstm_sym.exercises.clean import draw_clean

        chosen = tuple(worked) if worked is not None else DEFAULT_WORKED
        return from_variant(draw_clean(cell_options, seed or 0, student, chosen, attempt,
                                       inputs, hidden))
    worked = tuple(worked) if worked is not None else LECTURE_WORKED
    if seed is None:
        variant = lecture_variant(example, worked)
        if student is not None:
            variant = replace(variant, student=student)
    else:
        variant = draw_variant(example, seed, student, worked, attempt)
    return from_variant(variant)


def from_weights(model, inputs, h0=None, c0=None, worked: tuple[int, ...] | None = None,
                 student: Student | None = None) -> ExerciseSet:
    """The exercise set on a teacher's own weights and input sequence (exact answers)."""
    return from_variant(variant_from_model(model, inputs, h0, c0, worked, student))


def from_key(key: dict[str, Any]) -> ExerciseSet:
    """Recompute an exercise set from a key's ``exercise`` (and ``student``) data."""
    student = key.get("student")
    who = Student(student["id"], student["name"]) if student else None
    return from_variant(Variant.from_json(key["exercise"], who))


def fingerprints(s: ExerciseSet) -> tuple[tuple, ...]:
    """What two students must not share: the whole answer set, and each private family's
    answers (a family with no questions shares nothing)."""
    private = tuple(("family", family, s.answers(family)) for family in PRIVATE_FAMILIES
                    if s.answers(family))
    return (("all", s.answers()), *private)


def check_roster(students: Iterable[Student]) -> list[Student]:
    """The roster as a list, refused when an id appears twice (one variant per id).

    >>> check_roster([Student("s1", "A"), Student("s1", "B")])
    Traceback (most recent call last):
    lstm_sym.errors.UserError: roster: student id 's1' appears more than once
    """
    roster = list(students)
    seen: set[str] = set()
    for student in roster:
        if student.id in seen:
            raise UserError(f"roster: student id {student.id!r} appears more than once")
        seen.add(student.id)
    return roster


def class_variants(seed: int, students: Iterable[Student], example: str = "lecture-worked",
                   worked: tuple[int, ...] | None = None, cell_options: dict | None = None,
                   inputs: int = 3, hidden: int = 1) -> dict[str, ExerciseSet]:
    """One variant per student, no two sharing their answers (re-drawn deterministically).

    Students are handled in id order, so the result does not depend on the roster's
    order; a collision re-draws with ``"{seed}:{id}:{attempt}"``.

    >>> sets = class_variants(1, [Student("s1", "Ada"), Student("s2", "Lin")])
    >>> sets["s1"].answers("trace") != sets["s2"].answers("trace")
    True
    """
    roster = check_roster(students)
    chosen: dict[str, ExerciseSet] = {}
    taken: set[tuple] = set()  # every chosen set's fingerprints: one lookup per candidate

    def draw(student: Student, attempt: int) -> tuple[ExerciseSet, tuple[tuple, ...]]:
        candidate = build_set(example, worked, seed, student, attempt, cell_options, inputs,
                              hidden)
        return candidate, fingerprints(candidate)

    for student in sorted(roster, key=lambda s: s.id):
        chosen[student.id] = first_distinct(lambda a, s=student: draw(s, a), taken, student.id)
    return {s.id: chosen[s.id] for s in roster}


def first_distinct(draw: Callable[[int], tuple[Any, tuple[tuple, ...]]], taken: set[tuple],
                   student_id: str, drop: Callable[[Any], None] | None = None) -> Any:
    """The first attempt (0, 1, …) whose fingerprints no earlier student has; they are
    added to `taken`. A rejected attempt is handed to `drop` (e.g. to remove its files).

    >>> taken = {("all", "a")}
    >>> first_distinct(lambda k: (k, (("all", "ab"[k]),)), taken, "s1"), sorted(taken)
    (1, [('all', 'a'), ('all', 'b')])
    """
    for attempt in range(MAX_ATTEMPTS):
        made, prints = draw(attempt)
        if taken.isdisjoint(prints):
            taken.update(prints)
            return made
        if drop is not None:
            drop(made)
    raise UserError(f"roster: no distinct variant left for student {student_id!r}")  # pragma: no cover
