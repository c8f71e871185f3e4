"""Moodle's numerical grading, reimplemented.

Follows question/type/numerical/questiontype.php (qtype_numerical_answer_processor::
apply_units, qtype_numerical::is_valid_number) and question/type/numerical/question.php
(qtype_numerical_answer::get_tolerance_interval and within_tolerance,
qtype_numerical_question::get_matching_answer, is_complete_response, grade_response).

>>> read_response("4.54e-5"), read_response("6/8")
((4.54e-05, ''), (6.0, '/8'))
>>> read_response("1,5"), read_response("1,5", thousandssep=" ")  # English: ',' groups thousands
((15.0, ''), (1.5, ''))
>>> interval(0.0, 0.0), interval(0.0, 0.0, "one")  # the margin around an exact 0
((-1e-28, 1e-28), (-1e-14, 1e-14))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

PRECISION = 14  # PHP's default ini "precision"; Moodle's epsilon is 10^-precision
EPSILON = 10.0 ** -PRECISION

# apply_units: spaces dropped, "x10^", "*10**", "×10^" exponents become "e", then a leading
# number is read and the rest is the unit.
_EXPONENT = re.compile(r"(?:e|E|(?:x|\*|×)10(?:\^|\*\*))([+-]?\d+)")
_LEADING = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?")


def read_response(response: str, decsep: str = ".", thousandssep: str = ",") -> tuple[float | None, str]:
    """(value, unit) as apply_units reads a response (value None if no leading number)."""
    text = response.replace(" ", "")
    text = _EXPONENT.sub(lambda m: "e" + m.group(1), text)
    if "." in text or text.count(",") > 1:
        text = text.replace(",", "")
    else:
        text = text.replace(thousandssep, "").replace(decsep, ".").replace(",", ".")
    found = _LEADING.match(text)
    if not found:
        return None, ""
    return float(found.group(0)), text[found.end():]


def is_valid_number(text: str) -> bool:
    """qtype_numerical::is_valid_number: a number and nothing after it."""
    value, unit = read_response(text)
    return value is not None and not unit


def interval(answer: float, tolerance: float, rule: str = "eps") -> tuple[float, float]:
    """The nominal tolerance interval (tolerance type 2, what numerical and cloze use):
    answer ± (tolerance + margin). Moodle versions differ in the margin: "eps" is
    ε·max(|tolerance|, |answer|, ε) (1e-28 around a tiny answer), "one" is ε·max(1, |answer|)
    (1e-14); the tests try both.
    """
    tolerance = abs(tolerance)
    if rule == "eps":
        margin = EPSILON * max(tolerance, abs(answer), EPSILON)
    else:
        margin = EPSILON * max(1.0, abs(answer))
    return answer - (tolerance + margin), answer + (tolerance + margin)


@dataclass(frozen=True)
class NumAnswer:
    answer: str  # as stored: a number or "*"
    fraction: float  # 0..1
    tolerance: float
    feedback: str = ""


def matching(answers: Sequence[NumAnswer], value: float, rule: str = "eps") -> NumAnswer | None:
    """get_matching_answer: the first answer whose interval holds the value."""
    for a in answers:
        if a.answer == "*":
            return a
        low, high = interval(float(a.answer), a.tolerance, rule)
        if low <= value <= high:
            return a
    return None


def grade(answers: Sequence[NumAnswer], response: str, *, in_cloze: bool = False,
          rule: str = "eps") -> float | None:
    """The fraction a response gets; None if Moodle asks for a valid number instead
    (a standalone question without units rejects trailing text; in a cloze the leading
    number is graded, as grade_response does without a completeness check)."""
    if not response.strip():
        return None
    value, unit = read_response(response.strip())
    if value is None or (unit and not in_cloze):
        return None
    found = matching(answers, value, rule)
    return found.fraction if found else 0.0
