"""Answer keys as a Moodle question bank (Moodle XML).

How each question slot of a key becomes one Moodle question (see
:mod:`lstm_sym.export.moodle_boxes` for the answer boxes):

* one box (a number, a formula, a choice): **numerical**, **shortanswer** or
  **multichoice**, worth the key question's ``points`` (1 if absent);
* several boxes (a trace step's questions, a vector, a tiny number asked as mantissa and
  exponent): one **cloze** question; each blank is weighted so that every key question
  counts its ``points``, split evenly over its blanks (Moodle's cloze marks are whole
  numbers, so the weights are scaled by the smallest factor that makes them whole).

Every question starts with the data it depends on (:mod:`lstm_sym.export.moodle_data`):
Moodle draws a random variant per student, so no question may lean on another one.
Worked questions (already solved on the student's sheet) are left out unless asked for.
Prompts, solutions and misconception feedback come from the key's ``prompt_tex``,
``solution`` and ``feedback_tex`` fields, so they show math as ``\\( … \\)`` for
Moodle's MathJax filter; otherwise the key's plain text is used. The key's ``hints``
become Moodle hints (shown after a wrong try in interactive mode, each try costing the
question's penalty).

One key gives one category (a quiz). A folder of per-student keys gives a question bank:
a category per question slot holding every distinct variant (students whose variants
are the same question share it), under a class category whose name carries a short id
of the roster and seed, so two classes never share a random pool.

>>> from lstm_sym.exercises import build_set
>>> items = moodle_items([build_set().key()])
>>> [type(i).__name__ for i in items[:2]], items[1].qtype, items[1].name
(['Category', 'Question'], 'cloze', 'trace.t2')
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from lstm_sym.export.moodle_boxes import Box, boxes
from lstm_sym.export.moodle_data import data_html
from lstm_sym.export.moodle_xml import Category, Question, quiz_xml
from lstm_sym.i18n import msg

Key = Mapping[str, Any]
ROOT = "$course$/lstm_sym"
MAX_NAME = 255  # Moodle's question name column


# --- text ------------------------------------------------------------------------------------


def prose_html(text: str) -> str:
    """Prose with ``$…$`` math as HTML for Moodle's MathJax filter; all text escaped.

    >>> prose_html("Is $x_2 < 0$ & why?")
    '<p>Is \\\\(x_2 &lt; 0\\\\) &amp; why?</p>'
    """
    parts = text.split("$")
    if len(parts) % 2 == 0:  # an unpaired $: not math
        parts = [text]
    body = "".join(f"\\({html.escape(p, quote=False)}\\)" if k % 2 else
                   html.escape(p, quote=False) for k, p in enumerate(parts))
    return f"<p>{body}</p>"


def plain_html(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


def math_html(tex: str) -> str:
    return f"<p>\\({html.escape(tex, quote=False)}\\)</p>"




@dataclass(frozen=True)
class RichQuestion:
    """What the exercise model knows beyond the key: LaTeX prompt, worked steps, display,
    and each misconception's feedback with its math."""

    prompt: str
    steps: tuple[tuple[str, str | None], ...]
    display: str | None
    feedback: tuple[tuple[str, str], ...] = ()  # (misconception answer, prose with $math$)


def rich_questions(key: Key) -> dict[str, RichQuestion]:
    """Prompts, solutions and misconception feedback with their math, from the key's own
    ``prompt_tex``, ``solution``, ``display`` and ``misconceptions[].feedback_tex``. A
    text whose plain form no longer matches the key's plain field was edited by hand:
    the plain words are then the truth.

    >>> from lstm_sym.exercises import build_set
    >>> rich_questions(build_set().key())["gru.ratio"].feedback[0][1][:46]
    "That follows the lecture notes' “$\\\\frac{1}{3}$"
    """
    from lstm_sym.exercises.formatting import plain

    out = {}
    for q in key["questions"]:
        tex = q.get("prompt_tex")
        if not (isinstance(tex, str) and plain(tex) == q["prompt"]):
            continue
        steps = tuple((s.get("text", ""), s.get("math")) for s in q.get("solution") or []
                      if isinstance(s, dict))
        feedback = tuple((m["answer"], m["feedback_tex"]) for m in q.get("misconceptions", [])
                         if isinstance(m.get("feedback_tex"), str)
                         and plain(m["feedback_tex"]) == m["feedback"])
        out[q["id"]] = RichQuestion(tex, steps, q.get("display"), feedback)
    return out


def _prompt(q: Key, rich: Mapping[str, RichQuestion], lang: str = "en") -> str:
    text = prose_html(rich[q["id"]].prompt) if q["id"] in rich else plain_html(q["prompt"])
    return without_box_clause(text, lang)


def without_box_clause(text: str, lang: str) -> str:
    """A worksheet prompt's "write it in box 8" has no meaning in Moodle: dropped.

    >>> without_box_clause("<p>Step 2: find z and write it in box 8.</p>", "en")
    '<p>Step 2: find z.</p>'
    """
    before, _, after = msg(lang, "moodle.box_clause", box="\x00").partition("\x00")
    return re.sub(re.escape(before) + r"\d+" + re.escape(after), "", text)


def _solution(questions: Sequence[Key], rich: Mapping[str, RichQuestion], lang: str) -> str:
    out = [f"<p><strong>{html.escape(msg(lang, 'grading.moodle.solution'))}</strong></p>"]
    for q in questions:
        r = rich.get(q["id"])
        if len(questions) > 1:
            prompt = _prompt(q, rich, lang)
            out.append(prompt.replace("<p>", "<p><em>", 1).replace("</p>", "</em></p>"))
        for text, tex in (r.steps if r else ()):
            out.append(prose_html(text))
            if tex:
                out.append(math_html(tex))
        display = r.display if r and r.display else \
            q["answer"] if q["kind"] in ("number", "integer") else None
        answer = (f"\\({html.escape(display, quote=False)}\\)" if display
                  else html.escape(q["answer"], quote=False))
        line = html.escape(msg(lang, "grading.moodle.answer", answer="\x00"), quote=False)
        out.append(f"<p>{line.replace(chr(0), answer)}</p>")
    return "\n".join(out)


# --- answers ---------------------------------------------------------------------------------


# --- questions -------------------------------------------------------------------------------


def cloze_escape(text: str) -> str:
    """Text inside a cloze blank: HTML-escaped, and Moodle's ``} # ~`` escaped.

    >>> cloze_escape("a}b#c~d<e")
    'a\\\\}b\\\\#c&#126;d&lt;e'
    """
    text = html.escape(" ".join(text.split()), quote=False)
    for ch in "}#":  # Moodle's extractor unescapes these two
        text = text.replace(ch, "\\" + ch)
    return text.replace("~", "&#126;")  # and decodes entities, so "~" can't end the text



def _mistake_html(q: Key, rich: Mapping[str, RichQuestion]) -> Callable[[str, str], str]:
    """A misconception's feedback as HTML: with its math if the exercise model has it."""
    known = dict(rich[q["id"]].feedback) if q["id"] in rich else {}

    def feedback(answer: str, text: str) -> str:
        return prose_html(known[answer]) if answer in known else plain_html(text)
    return feedback


def _points(q: Key) -> Fraction:
    points = q.get("points", 1)
    return Fraction(points) if isinstance(points, int) and not isinstance(points, bool) \
        and points > 0 else Fraction(1)


def blank_weights(per_question: Sequence[tuple[Fraction, int]]) -> list[int]:
    """Whole-number cloze weights: each question's points split evenly over its blanks,
    scaled by the smallest factor that makes every weight whole.

    >>> blank_weights([(Fraction(1), 1), (Fraction(2), 1)]), blank_weights([(Fraction(1), 1), (Fraction(1), 2)])
    ([1, 2], [2, 1, 1])
    """
    shares = [(points / count, count) for points, count in per_question]
    scale = math.lcm(*(share.denominator for share, _ in shares)) if shares else 1
    return [int(share * scale) for share, count in shares for _ in range(count)]


def _inline(feedback: str) -> str:
    """Feedback shown in a blank's pop-up: one paragraph without its <p> wrapper."""
    return feedback.removeprefix("<p>").removesuffix("</p>")


def _blank(box: Box, weight: int) -> str:
    alternatives = []
    for a in box.alternatives:
        prefix = "=" if a.fraction == 100 else f"%{a.fraction}%"
        text = f"{a.text}:{a.tolerance}" if box.kind == "NUMERICAL" else cloze_escape(a.text)
        alternatives.append(prefix + text + (f"#{cloze_escape(_inline(a.feedback))}"
                                             if a.feedback else ""))
    return "{" + f"{weight}:{box.kind}:" + "~".join(alternatives) + "}"


# Moodle reads "{1:NUMERICAL:…}" in a cloze text as a blank and "{#1}" as a blank's place;
# in prose such a brace is written as an entity (MathJax and browsers still see "{").
_CLOZE_SYNTAX = re.compile(r"\{(?=\d*:|#\d+\})")


def _hints_html(kinds: set[str], digits: int | None, lang: str) -> str:
    out = []
    if "formula" in kinds:
        out.append(plain_html(msg(lang, "moodle.hint.formula")))
    if "fraction" in kinds:
        out.append(plain_html(msg(lang, "moodle.hint.fraction")))
    if "decimal" in kinds:
        out.append(plain_html(msg(lang, "moodle.hint.number")))
    if "mantissa" in kinds:
        out.append(plain_html(msg(lang, "moodle.hint.scientific", digits=digits or 4)))
    return "\n".join(out)


def _box_kinds(q: Key, found: Sequence[Box]) -> set[str]:
    kinds = {b.part.form for b in found}
    if q["kind"] == "expression" and "number" in kinds:
        kinds.add("decimal")  # a rational constant asked as a decimal
    return kinds


def mantissa_digits(tolerance: str) -> int:
    """Significant figures a mantissa (1 ≤ a < 10) needs to land within `tolerance`:
    rounding to d figures is off by at most 0.5·10^(1−d).

    >>> mantissa_digits("0.00168892"), mantissa_digits("0.05")
    (4, 2)
    """
    return max(1, math.ceil(1 - math.log10(2 * float(tolerance)))) if float(tolerance) > 0 else 6


def _hints(questions: Sequence[Key]) -> Iterator[str]:
    """The key's hints as HTML: ``hints_tex`` (prose with $math$) where the key has it."""
    for q in questions:
        tex = q.get("hints_tex")
        if isinstance(tex, list) and all(isinstance(h, str) for h in tex):
            yield from (prose_html(h) for h in tex)
        else:
            yield from (unicode_math_html(h) for h in q.get("hints", []) if isinstance(h, str))


# A one-letter name with a short subscript (W_z, z_r, b_i) in plain text: math.
_SUBSCRIPTED = re.compile(r"\b([A-Za-z])_([A-Za-z0-9]{1,2})\b")


def unicode_math_html(text: str) -> str:
    """Plain text whose equations are printed in Unicode (c′ = z·i + c·f, hₜ₋₁) as HTML,
    its one-letter subscripted names as math.

    >>> unicode_math_html("Its equation: z_r = W_r xₜ + b_r.")
    '<p>Its equation: \\\\(z_{r}\\\\) = \\\\(W_{r}\\\\) xₜ + \\\\(b_{r}\\\\).</p>'
    """
    return _SUBSCRIPTED.sub(r"\\(\1_{\2}\\)", plain_html(text))


def _standalone(box: Box, name: str, text: str, feedback: str, grade: Fraction,
                hints: tuple[str, ...]) -> Question:
    qtype = {"NUMERICAL": "numerical", "SHORTANSWER": "shortanswer",
             "MULTICHOICE": "multichoice"}[box.kind]
    answers = tuple(replace(a, text=html.escape(a.text, quote=False)) if qtype == "multichoice"
                    else a for a in box.alternatives)
    return Question(qtype, name, text, feedback, answers, float(grade), hints=hints,
                    parts=(box.part,))


def slot_question(questions: Sequence[Key], name: str, rich: Mapping[str, RichQuestion],
                  lang: str, key: Key | None = None) -> Question:
    """One Moodle question for a slot (see the module docstring for the rules)."""
    feedback = _solution(questions, rich, lang)
    data = _CLOZE_SYNTAX.sub("&#123;", data_html(key, questions[0]["id"])) if key else ""
    hints = tuple(_hints(questions))
    found = [(q, boxes(q, _mistake_html(q, rich))) for q in questions]
    if len(found) == 1 and len(found[0][1]) == 1:
        q, (box,) = found[0]
        text = "\n".join(t for t in (data, _prompt(q, rich, lang),
                                     _hints_html(_box_kinds(q, [box]), None, lang)) if t)
        return _standalone(box, name, text, feedback, _points(q), hints)
    all_weights = blank_weights([(_points(q), len(bs)) for q, bs in found])
    weights = iter(all_weights)
    paragraphs, kinds, parts, digits = [data] if data else [], set(), [], None
    for q, bs in found:
        prompt = _CLOZE_SYNTAX.sub("&#123;", _prompt(q, rich, lang))
        kinds |= _box_kinds(q, bs)
        for b in bs:
            if b.part.form == "mantissa":
                need = mantissa_digits(b.alternatives[0].tolerance or "0")
                digits = max(digits or 0, need)
        rendered = _vector_blanks(bs, weights) if q["kind"] == "vector" else \
            " × 10^ ".join(_blank(b, next(weights)) for b in bs)
        paragraphs.append(prompt[:-len("</p>")] + " " + rendered + "</p>")
        parts += [b.part for b in bs]
    hint = _hints_html(kinds, digits, lang)
    if hint:
        paragraphs.append(hint)
    return Question("cloze", name, "\n".join(paragraphs), feedback,
                    default_grade=float(sum(all_weights)),  # Moodle's mark: the weights' sum
                    hints=hints, parts=tuple(parts))


def _vector_blanks(bs: Sequence[Box], weights: Iterator[int]) -> str:
    """[ a, b, c ]: one blank per entry, mantissa × 10^ exponent for a tiny entry."""
    entries: list[str] = []
    for box in bs:
        blank = _blank(box, next(weights))
        if box.part.form == "exponent":
            entries[-1] += " × 10^ " + blank
        else:
            entries.append(blank)
    return "[ " + ", ".join(entries) + " ]"


# --- slots and categories ---------------------------------------------------------------------


def slot_of(qid: str) -> str:
    """Questions of one step share a slot (and become one cloze question).

    >>> slot_of("trace.t2.c"), slot_of("params.lstm_total")
    ('trace.t2', 'params.lstm_total')
    """
    parts = qid.split(".")
    return ".".join(parts[:-1]) if len(parts) >= 3 else qid


def slots(key: Key, worked: bool = False) -> dict[str, list[Key]]:
    """The key's questions grouped into slots, in key order."""
    out: dict[str, list[Key]] = {}
    for q in key["questions"]:
        if q.get("worked") and not worked:
            continue
        out.setdefault(slot_of(q["id"]), []).append(q)
    return out



def category_name(name: str) -> str:
    """A category name inside a Moodle path: a literal '/' is written '//'.

    >>> category_name("In/out (seed 3)")
    'In//out (seed 3)'
    """
    return " ".join(name.split()).replace("/", "//")



def class_id(keys: Sequence[Key]) -> str:
    """A short id of a class: a hash of the roster's student ids and the seed (so two
    classes with the same seed, or one roster with two seeds, never share a category;
    the class seed itself is secret and is not shown).

    >>> class_id([{"exercise": {"seed": 3}, "student": {"id": "s1", "name": "A"}}])
    'e4e222'
    """
    seed = keys[0].get("exercise", {}).get("seed") if keys else None
    ids = sorted(str((k.get("student") or {}).get("id", "")) for k in keys)
    return hashlib.sha256(f"{seed}:{','.join(ids)}".encode()).hexdigest()[:6]


def worksheet_category(key: Key, per_student: bool, roster: str | None = None) -> str:
    exercise = key.get("exercise", {})
    lang = exercise.get("lang", "en")
    seed = exercise.get("seed")
    if per_student:  # a class's seed is secret: the roster's short id instead
        which = msg(lang, "moodle.category.class", id=roster or "")
    elif seed is None:
        which = msg(lang, "moodle.category.lecture")
    else:
        which = msg(lang, "moodle.category.seed", seed=seed)
    title = exercise.get("title") or "lstm_sym"
    return f"{ROOT}/{category_name(f'{title} ({which.strip()})')}"


def slot_points(questions: Sequence[Key]) -> int:
    """What a slot is worth in the key: its questions' points (1 each if absent)."""
    return int(sum(_points(q) for q in questions))


def _name(*parts: str) -> str:
    return " — ".join(" ".join(p.split()) for p in parts if p)[:MAX_NAME]


def _texts_of_all(keys: Sequence[Key], rich: Callable[[Key], Mapping[str, RichQuestion]],
                  progress: Callable[[int, int], None] | None
                  ) -> Iterator[Mapping[str, RichQuestion]]:
    """Each key's texts with math, in key order (read from the key: fast)."""
    for done, key in enumerate(keys, 1):
        texts = rich(key)
        if progress:
            progress(done, len(keys))
        yield texts


def _student_label(key: Key) -> str:
    student = key.get("student") or {}
    return " ".join(f"{student.get('id', '')} {student.get('name', '')}".split())



def moodle_items(keys: Sequence[Key], *, worked: bool = False,
                 rich: Callable[[Key], Mapping[str, RichQuestion]] = rich_questions,
                 progress: Callable[[int, int], None] | None = None
                 ) -> list[Question | Category]:
    """Categories and questions for one key (a quiz) or per-student keys (a bank).

    In a bank, students whose variant of a slot is the same question share one Moodle
    question, named after the first of them ("trace.t2 — s001 Ada (+4 identical)").
    """
    if len(keys) == 1 and "student" not in keys[0]:
        key = keys[0]
        lang = key.get("exercise", {}).get("lang", "en")
        texts = next(_texts_of_all(keys, rich, progress))
        grouped = slots(key, worked)
        questions = [slot_question(qs, slot, texts, lang, key) for slot, qs in grouped.items()]
        differ = [f"{q.name} {slot_points(grouped[q.name])}" for q in questions
                  if q.default_grade != slot_points(grouped[q.name])]
        info = plain_html(msg(lang, "moodle.quiz_info"))
        if differ:
            info += "\n" + plain_html(msg(lang, "moodle.marks", marks=", ".join(differ)))
        return [Category(worksheet_category(key, False), info), *questions]
    # slot -> distinct question (named by its first student) -> students who share it
    by_slot: dict[str, dict[Question, list[str]]] = {}
    for key, texts in zip(keys, _texts_of_all(keys, rich, progress)):
        lang = key.get("exercise", {}).get("lang", "en")
        for slot, questions in slots(key, worked).items():
            question = slot_question(questions, slot, texts, lang, key)
            by_slot.setdefault(slot, {}).setdefault(question, []).append(_student_label(key))
    lang = keys[0].get("exercise", {}).get("lang", "en")
    info = plain_html(msg(lang, "moodle.bank_info"))
    base = worksheet_category(keys[0], True, class_id(keys))
    items: list[Question | Category] = [Category(base, info)]
    points = {slot: slot_points(qs) for key in keys[:1] for slot, qs in slots(key, worked).items()}
    for slot, variants in by_slot.items():
        worth = plain_html(msg(lang, "moodle.slot_points", points=points.get(slot, 1)))
        items.append(Category(f"{base}/{category_name(slot)}", info + "\n" + worth))
        for question, students in variants.items():
            more = f" (+{len(students) - 1} identical)" if len(students) > 1 else ""
            items.append(replace(question, name=_name(slot, students[0] + more)))
    return items


def moodle_quiz(keys: Iterable[Key], *, worked: bool = False) -> bytes:
    """Moodle XML for one key or a class's per-student keys."""
    return quiz_xml(moodle_items(list(keys), worked=worked))

