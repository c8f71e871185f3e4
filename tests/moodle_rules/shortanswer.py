"""Moodle's short-answer matching, reimplemented.

Follows question/type/shortanswer/question.php: compare_string_with_wildcard (NFC
normalisation, the pattern split on unescaped runs of '*', each piece quoted, '.*'
between them, anchored at both ends, case-insensitive unless usecase; the response
trimmed), clean_response, and the first-matching-answer grading strategy
(question/type/questionbase.php, question_first_matching_answer_grading_strategy).

>>> matches(" 4M(n+m+1) ", r"4m(n+m+1)"), matches("4*m", r"4\\*m"), matches("4mm", "4*m")
(True, True, True)
>>> matches("4*m", "4m")
False
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass


def matches(response: str, pattern: str, ignore_case: bool = True) -> bool:
    pattern = unicodedata.normalize("NFC", pattern)
    response = unicodedata.normalize("NFC", response)
    bits = re.split(r"(?<!\\)\*+", pattern)
    regex = "^" + ".*".join(re.escape(bit.replace(r"\*", "*")) for bit in bits) + "$"
    # PHP's trim(); its '$' also matches before a final newline, which trim has removed.
    flags = re.IGNORECASE if ignore_case else 0
    return re.match(regex, response.strip(" \t\n\r\0\x0b"), flags) is not None


def clean(pattern: str) -> str:
    """clean_response: the answer as a student would type it (unescaped '*')."""
    return " ".join(bit.replace(r"\*", "*") for bit in re.split(r"(?<!\\)\*", pattern)).strip()


@dataclass(frozen=True)
class TextAnswer:
    answer: str
    fraction: float
    feedback: str = ""


def matching(answers: Sequence[TextAnswer], response: str, ignore_case: bool = True
             ) -> TextAnswer | None:
    for a in answers:
        if matches(response, a.answer, ignore_case):
            return a
    return None


def grade(answers: Sequence[TextAnswer], response: str, ignore_case: bool = True) -> float | None:
    if not response.strip():
        return None
    found = matching(answers, response, ignore_case)
    return found.fraction if found else 0.0
