"""Answer boxes: how each key answer becomes something Moodle can grade the way `check` does.

A box is one Moodle answer field (a whole numerical/shortanswer/multichoice question, or
one cloze blank) with its alternatives, and the key answer it grades (:class:`Part`):

* a number: NUMERICAL, the key's tolerance made absolute and rounded outward; the exact
  value and accepted values are further right answers, misconceptions 0 % answers, but
  only those Moodle can tell apart from a right answer (its margin included);
* a tiny number (0 < |v| < 1e-9, tolerance short of 0): two NUMERICAL boxes, mantissa
  and exponent, since Moodle's margin would grade 0 as v;
* a rational constant (3/4): NUMERICAL if its decimal ends, else SHORTANSWER with the
  fraction in lowest terms;
* a formula: SHORTANSWER with the generated spellings (:mod:`lstm_sym.export.spellings`);
* a choice: MULTICHOICE.

>>> q = {"id": "t.c", "kind": "number", "answer": "7", "exact": "6.9997",
...      "tolerance": {"abs": 0.01}, "misconceptions": [{"answer": "4", "feedback": "f"}]}
>>> [(b.kind, [(a.fraction, a.text, a.tolerance) for a in b.alternatives]) for b in boxes(q)]
[('NUMERICAL', [(100, '7', '0.01'), (0, '4', '0.01')])]
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from lstm_sym.export.moodle_xml import Answer
from lstm_sym.export.spellings import (
    answer_intervals,
    formula_spellings,
    moodle_number,
    needs_scientific,
    scientific,
    shortanswer_pattern,
    tolerance_for,
    within,
)
from lstm_sym.key import split_entries

Key = Mapping[str, Any]


@dataclass(frozen=True)
class Part:
    """Which key answer a box grades: question id, vector entry, and the form asked
    (number, mantissa, exponent, fraction, formula, choice)."""

    qid: str
    entry: int | None
    form: str


@dataclass(frozen=True)
class Box:
    kind: str  # NUMERICAL, SHORTANSWER, MULTICHOICE
    alternatives: tuple[Answer, ...]  # Moodle's text; a choice's still to be escaped
    part: Part


def _rational(text: str, variables: Sequence[str]) -> Fraction | None:
    """The key answer as an exact rational constant, or None (key answers are our own
    output, never student text, so SymPy may read them)."""
    try:
        value = sp.sympify(text.replace("^", "**"), locals={v: sp.Symbol(v) for v in variables})
    except (sp.SympifyError, TypeError, ValueError, SyntaxError):
        return None
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    return None


def _terminates(value: Fraction) -> bool:
    q = value.denominator
    for p in (2, 5):
        while q % p == 0:
            q //= p
    return q == 1


def _decimal(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else format(float(value), ".15g")


def _number_boxes(part: Part, answer: str, extra: Sequence[str], tolerance: Any,
                  mistakes: Sequence[tuple[str, str]]) -> list[Box]:
    value = moodle_number(answer)
    assert value is not None
    if needs_scientific(value, tolerance_for(value, tolerance)):
        return _scientific_boxes(part, value, tolerance, mistakes)
    right = answer_intervals(value, tolerance)
    for other in extra:
        number = moodle_number(other) if other else None
        if number is not None and not any(within(number, v, t) for v, t in right):
            right += answer_intervals(number, tolerance)
    wrong: list[tuple[str, str, str]] = []
    for text, feedback in mistakes:
        number = moodle_number(text)
        if number is None or any(within(number, v, t) or within(v, number, tolerance_for(number,
                                 tolerance)) for v, t in right) \
                or any(within(number, w, "0") for w, _, _ in wrong):
            continue  # Moodle could not tell it from a right answer (or it is listed)
        wrong.append((number, tolerance_for(number, tolerance), feedback))
    # A wrong answer's own tolerance must not reach a right one: it would be listed after
    # the right answers (Moodle takes the first match), so only the overlap is lost.
    alternatives = [Answer(v, 100, "", t) for v, t in right]
    alternatives += [Answer(v, 0, fb, "0" if _reaches_right(v, t, right) else t)
                     for v, t, fb in wrong]
    return [Box("NUMERICAL", tuple(alternatives), part)]


def _reaches_right(value: str, tol: str, right: Sequence[tuple[str, str]]) -> bool:
    return any(abs(float(value) - float(v)) <= float(tol) + float(t) for v, t in right)


def _scientific_boxes(part: Part, value: str, tolerance: Any,
                      mistakes: Sequence[tuple[str, str]]) -> list[Box]:
    """Mantissa and exponent of a tiny value, each graded on its own."""
    mantissa, exponent = scientific(value)
    scale = 10.0 ** exponent
    absolute = float(tolerance_for(value, tolerance))
    m_tol = tolerance_for(mantissa, {"abs": absolute / scale})
    m_alts = [Answer(mantissa, 100, "", m_tol)]
    e_alts = [Answer(str(exponent), 100, "", "0")]
    for text, feedback in mistakes:
        number = moodle_number(text)
        if number is None:
            continue
        if float(number) == 0:
            if not within("0", mantissa, m_tol) and all(a.text != "0" for a in m_alts):
                m_alts.append(Answer("0", 0, feedback, "0"))
            continue
        m, e = scientific(number)
        if e != exponent and all(a.text != str(e) for a in e_alts):
            e_alts.append(Answer(str(e), 0, feedback, "0"))
        elif e == exponent and not within(m, mantissa, m_tol):
            m_alts.append(Answer(m, 0, feedback, "0"))
    return [Box("NUMERICAL", tuple(m_alts), Part(part.qid, part.entry, "mantissa")),
            Box("NUMERICAL", tuple(e_alts), Part(part.qid, part.entry, "exponent"))]


def _formula_box(part: Part, answer: str, variables: Sequence[str], accept: Sequence[str],
                 mistakes: Sequence[tuple[str, str]]) -> Box:
    spellings = formula_spellings(answer, variables, accept)
    alternatives = [Answer(shortanswer_pattern(s), 100) for s in spellings]
    for text, feedback in mistakes:
        wrong = [s for s in formula_spellings(text, variables)[:8] if s not in spellings]
        alternatives += [Answer(shortanswer_pattern(s), 0, feedback) for s in wrong]
    return Box("SHORTANSWER", tuple(alternatives), part)


def _fraction_box(part: Part, value: Fraction, mistakes: Sequence[tuple[str, str]],
                  variables: Sequence[str]) -> Box:
    """A fraction whose decimal does not end (1/3): Moodle compares text, so ask for
    lowest terms and accept it with any spacing around the slash."""
    right = [f"{value.numerator}/{value.denominator}", f"{value.numerator} / {value.denominator}"]
    alternatives = [Answer(r, 100) for r in right]
    for text, feedback in mistakes:
        other = _rational(text, variables)
        if other is not None and other != value:
            alternatives.append(Answer(str(other), 0, feedback))
    return Box("SHORTANSWER", tuple(alternatives), Part(part.qid, part.entry, "fraction"))


def _choice_box(q: Key, mistake: Callable[[str], str]) -> Box:
    alternatives = tuple(Answer(c, 100 if c == q["answer"] else 0, mistake(c))
                         for c in q["choices"])
    return Box("MULTICHOICE", alternatives, Part(q["id"], None, "choice"))


def scalar_boxes(part: Part, kind: str, answer: str, *, exact: str | None = None,
                 accept: Sequence[str] = (), tolerance: Any = None,
                 variables: Sequence[str] = (),
                 mistakes: Sequence[tuple[str, str]] = ()) -> list[Box]:
    """The boxes of one scalar answer (one, or two for a tiny number)."""
    if kind in ("number", "integer") and moodle_number(answer) is not None:
        return _number_boxes(part, answer, [exact or "", *accept], tolerance, mistakes)
    constant = _rational(answer, variables)
    if constant is not None:
        if _terminates(constant):
            return _number_boxes(Part(part.qid, part.entry, "number"), _decimal(constant),
                                 [exact or "", *accept], tolerance,
                                 [(m, fb) for m, fb in mistakes
                                  if _rational(m, variables) is not None])
        return [_fraction_box(part, constant, mistakes, variables)]
    return [_formula_box(Part(part.qid, part.entry, "formula"), answer, variables, accept,
                         mistakes)]


def boxes(q: Key, mistake_html: Callable[[str, str], str] | None = None) -> list[Box]:
    """All boxes of one key question, in order (a vector: one or two per entry).

    `mistake_html(answer, plain_feedback)` gives a misconception's feedback as HTML.
    """
    def feedback(answer: str, text: str) -> str:
        return mistake_html(answer, text) if mistake_html else html.escape(text, quote=False)

    mistakes = [(mc["answer"], feedback(mc["answer"], mc["feedback"]))
                for mc in q.get("misconceptions", [])]
    if q["kind"] == "choice":
        by_answer = dict(mistakes)
        return [_choice_box(q, lambda c: by_answer.get(c, ""))]
    common = {"tolerance": q.get("tolerance"), "variables": q.get("variables", [])}
    if q["kind"] != "vector":
        kind = q["kind"]
        return scalar_boxes(Part(q["id"], None, "number" if kind in ("number", "integer")
                                 else "formula"), kind, q["answer"], exact=q.get("exact"),
                            accept=q.get("accept", []), mistakes=mistakes, **common)
    entries = [entry for entry, _ in split_entries(q["answer"])]
    exact = [entry for entry, _ in split_entries(q["exact"])] if q.get("exact") else []
    split_mistakes = [([entry for entry, _ in split_entries(m)], fb) for m, fb in mistakes]
    out: list[Box] = []
    for i, entry in enumerate(entries):
        here = [(m[i], fb) for m, fb in split_mistakes if len(m) == len(entries) and m[i] != entry]
        kind = "number" if moodle_number(entry) is not None else "expression"
        out += scalar_boxes(Part(q["id"], i, "number" if kind == "number" else "formula"), kind,
                            entry, exact=exact[i] if len(exact) == len(entries) else None,
                            mistakes=here, **common)
    return out
