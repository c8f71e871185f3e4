"""A handout in one language (nbconvert's pattern): the exercises' content model, rendered.

:func:`build_worksheet` turns an exercise set (language-neutral, :mod:`lstm_sym.exercises.model`)
into a :class:`Worksheet` in one language; templates render it as Markdown or LaTeX.
The steps, tables, diagram and plot are the exercise model's own classes with their
sentences rendered (``in_lang``); :class:`Item` and :class:`Section` are a question and
an exercise as the sheet shows them. Text fields are prose with inline math between ``$…$``
(LaTeX inside); renderers escape the prose and pass the math through. Names
that come from a user or roster are plain text (never ``$``-split) and are
escaped wholesale.

The student edition is the solutions edition filtered (:meth:`Worksheet.student_edition`),
not ``if``s scattered through templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lstm_sym.exercises.exercise_set import ExerciseSet, check_lang
from lstm_sym.exercises.model import (
    CellDiagram,
    Exercise,
    FlowDiagram,
    Question,
    Step,
    Table,
    TableCell,
    TracePlot,
)
from lstm_sym.key import Student

__all__ = ["CellDiagram", "FlowDiagram", "Item", "Section", "Step", "Student", "Table", "TableCell",
           "TracePlot", "Worksheet", "build_worksheet"]


@dataclass(frozen=True)
class Item:
    """One question as shown on the sheet.

    `answer` is the display form of the correct answer ($…$ allowed); `exact` the exact
    value beside an ideal one. `worked` items show their solution on the student sheet
    too (the lecture works steps 1 and 4).
    """

    id: str
    prompt: str
    kind: str
    answer: str = ""
    exact: str | None = None
    worked: bool = False
    solution: tuple[Step, ...] = ()
    choices: tuple[str, ...] | None = None
    answer_lines: int = 1
    points: int = 1  # marks, as the key gives them
    hints: tuple[str, ...] = ()  # printed only with `worksheet --hints`


@dataclass(frozen=True)
class Section:
    """A block of the sheet: one question family."""

    family: str
    title: str
    intro: str = ""
    items: tuple[Item, ...] = ()
    table: Table | None = None
    math: str | None = None  # a display block, e.g. the cell's equations (LaTeX aligned body)
    diagram: CellDiagram | FlowDiagram | None = None
    plot: TracePlot | None = None
    notes: tuple[str, ...] = ()  # remarks for the teacher, in the solutions edition only


@dataclass(frozen=True)
class Worksheet:
    """A whole handout in one language. Build the solutions edition; derive the other."""

    title: str
    lang: str
    edition: str  # "solutions" or "worksheet"
    sections: tuple[Section, ...]
    subtitle: str = ""
    instructions: str = ""
    student: Student | None = None
    seed: int | None = None
    labels: dict[str, str] = field(default_factory=dict)  # fixed UI words: "Name", "Answer", …

    def student_edition(self) -> Worksheet:
        """Drop answers, solutions and plots of questions left to the student; blank the
        table cells they fill.

        >>> ws = Worksheet("T", "en", "solutions", (Section("trace", "S", items=(
        ...     Item("q1", "p", "number", answer="7", solution=(Step("s"),)),)),))
        >>> ws.student_edition().sections[0].items[0].answer
        ''
        """
        hidden = {it.id for sec in self.sections for it in sec.items if not it.worked}
        sections = []
        for sec in self.sections:
            items = tuple(it if it.worked else replace(it, answer="", exact=None, solution=())
                          for it in sec.items)
            table = sec.table
            if table is not None:
                rows = tuple(tuple(replace(c, text="", blank=True)
                                   if c.question in hidden else c for c in row)
                             for row in table.rows)
                table = replace(table, rows=rows)
            sections.append(replace(sec, items=items, table=table, plot=None, notes=()))
        return replace(self, edition="worksheet", sections=tuple(sections))


def with_hints(ws: Worksheet, hints: dict[str, list[str]]) -> Worksheet:
    """The sheet with each question's hints (question id → hints, as key.json lists them).

    >>> ws = Worksheet("T", "en", "solutions", (Section("s", "S", items=(Item("q", "p", "number"),)),))
    >>> with_hints(ws, {"q": ["Look at the rule."]}).sections[0].items[0].hints
    ('Look at the rule.',)
    """
    sections = tuple(replace(sec, items=tuple(replace(it, hints=tuple(hints.get(it.id, ())))
                                              for it in sec.items))
                     for sec in ws.sections)
    return replace(ws, sections=sections)


def table_hints(section: Section, in_table: set[str]) -> list[str]:
    """The hints of a section's table boxes, each once, in table order: the values of one
    quantity share their hints whatever the step.

    >>> sec = Section("t", "S", items=(Item("a", "p", "number", hints=("h1", "h2")),
    ...                                Item("b", "p", "number", hints=("h1", "h3"))))
    >>> table_hints(sec, {"a", "b"})
    ['h1', 'h2', 'h3']
    """
    return list(dict.fromkeys(h for it in section.items if it.id in in_table for h in it.hints))


def _math(text: str | None) -> str | None:
    return None if text is None else f"${text}$"


def _item(q: Question, lang: str) -> Item:
    display = q.display if q.display is not None else q.answer
    return Item(id=q.id, prompt=q.prompt.render(lang), kind=q.kind, answer=f"${display}$",
                exact=_math(q.exact_display), worked=q.worked,
                solution=tuple(s.in_lang(lang) for s in q.solution), choices=q.choices,
                answer_lines=q.answer_lines, points=q.points)


def _section(ex: Exercise, lang: str) -> Section:
    def in_lang(part):
        return None if part is None else part.in_lang(lang)

    return Section(ex.family, ex.title.render(lang), ex.intro.render(lang),
                   tuple(_item(q, lang) for q in ex.questions), in_lang(ex.table), ex.math,
                   in_lang(ex.diagram), in_lang(ex.plot),
                   tuple(note.render(lang) for note in ex.notes))


def build_worksheet(exset: ExerciseSet, lang: str = "en") -> Worksheet:
    """The solutions edition; ``.student_edition()`` blanks what the student fills in.

    >>> from lstm_sym.exercises import build_set
    >>> ws = build_worksheet(build_set(), "zh")
    >>> [s.family for s in ws.sections][:3]
    ['cell', 'trace', 'memory']
    """
    check_lang(lang)
    v = exset.variant
    return Worksheet(exset.title.render(lang), lang, "solutions",
                     tuple(_section(ex, lang) for ex in exset.exercises),
                     subtitle=exset.subtitle.render(lang),
                     instructions=exset.instructions.render(lang), student=v.student,
                     seed=v.seed)
