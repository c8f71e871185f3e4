"""Moodle's cloze (multianswer) extractor and validator, reimplemented.

Follows question/type/multianswer/questiontype.php: the regular expressions
ANSWER_REGEX, ANSWER_ALTERNATIVE_REGEX and NUMERICAL_ALTERNATIVE_REGEX,
qtype_multianswer_extract_question (blank by blank: the first match is replaced by
"{#n}", its alternatives read one by one, '=' full credit, '%n%' n percent, entities
decoded and '\\}' '\\#' unescaped in answers and feedback) and
qtype_multianswer_validate_question (numerical answers must be numbers, a multichoice
needs two answers, every blank needs an answer with full credit). PCRE's alternation
of look-behinds of different lengths is written as three look-behinds (Python needs
fixed widths); otherwise the patterns are the same.

>>> q = extract("x = {2:NUMERICAL:=7:0.01~%50%6#close\\\\}}, y = {1:SA:=a\\\\#b}")
>>> q.text, q.default_mark
('x = {#1}, y = {#2}', 3)
>>> [(s.kind, s.weight, s.answers) for s in q.blanks][0]
('numerical', 2, [('7', 1.0, '', 0.01), ('6', 0.5, 'close}', 0.0)])
>>> q.blanks[1].answers
[('a#b', 1.0, '', None)]
>>> validate(q)
{}
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from moodle_rules.numerical import is_valid_number

FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
ALT_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
ALT_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
ALTERNATIVE = f"({FRACTION})?({ALT_ANSWER})(#({ALT_FEEDBACK}))?"
NUMBER = r"-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?)"
NUMERICAL_ALTERNATIVE = re.compile(f"^({NUMBER})(:{NUMBER})?$", re.DOTALL)
TYPES = {  # group of ANSWER_TYPE_DEF_REGEX -> subquestion type (and case sensitivity)
    3: ("numerical", None), 4: ("multichoice", None), 5: ("multichoice", None),
    6: ("multichoice", None), 7: ("shortanswer", False), 8: ("shortanswer", True),
    9: ("multichoice", None), 10: ("multichoice", None), 11: ("multichoice", None),
    12: ("multiresponse", None), 13: ("multiresponse", None), 14: ("multiresponse", None),
    15: ("multiresponse", None),
}
TYPE_DEF = (r"(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|"
            r"(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)|"
            r"(MULTICHOICE_S|MCS)|(MULTICHOICE_VS|MCVS)|(MULTICHOICE_HS|MCHS)|"
            r"(MULTIRESPONSE|MR)|(MULTIRESPONSE_H|MRH)|(MULTIRESPONSE_S|MRS)|(MULTIRESPONSE_HS|MRHS)")
ANSWER = re.compile(r"\{([0-9]*):(" + TYPE_DEF + "):(" + ALTERNATIVE + "(~" + ALTERNATIVE + r")*)\}",
                    re.DOTALL)
ALTERNATIVES_GROUP = 16
ONE_ALTERNATIVE = re.compile("~?" + ALTERNATIVE, re.DOTALL)


@dataclass
class Blank:
    kind: str  # numerical, shortanswer, multichoice, multiresponse
    weight: int
    answers: list[tuple[str, float, str, float | None]] = field(default_factory=list)
    case_sensitive: bool = False


@dataclass
class Cloze:
    text: str  # with {#1}, {#2}, … in place of the blanks
    blanks: list[Blank]

    @property
    def default_mark(self) -> int:
        return sum(b.weight for b in self.blanks)


def _decode(text: str) -> str:
    return html.unescape(text).replace("\\}", "}").replace("\\#", "#")


def extract(text: str) -> Cloze:
    """qtype_multianswer_extract_question."""
    blanks: list[Blank] = []
    position = 1
    while (found := ANSWER.search(text)) is not None:
        group = next(g for g in TYPES if found.group(g))
        kind, case = TYPES[group]
        blank = Blank(kind, int(found.group(1)) if found.group(1) else 1,
                      case_sensitive=bool(case))
        remaining = found.group(ALTERNATIVES_GROUP)
        while (alt := ONE_ALTERNATIVE.search(remaining)) is not None:
            if alt.group(1) == "=":
                fraction = 1.0
            elif alt.group(2):
                fraction = 0.01 * float(alt.group(2).replace(",", "."))
            else:
                fraction = 0.0
            feedback = _decode(alt.group(5)) if alt.group(5) is not None else ""
            answer = alt.group(3)
            number = NUMERICAL_ALTERNATIVE.search(answer) if kind == "numerical" else None
            if number:
                blank.answers.append((number.group(1), fraction, feedback,
                                      float(number.group(6)) if number.group(6) else 0.0))
            else:
                blank.answers.append((_decode(answer), fraction, feedback, None))
            remaining = remaining.split(alt.group(0), 1)[1]
        blanks.append(blank)
        text = text.replace(found.group(0), f"{{#{position}}}", 1)
        position += 1
    return Cloze(text, blanks)


def validate(question: Cloze) -> dict[str, str]:
    """qtype_multianswer_validate_question: field -> error, {} if it saves."""
    errors: dict[str, str] = {}
    if not question.blanks:
        return {"questiontext": "questionsmissing"}
    for n, blank in enumerate(question.blanks, 1):
        prefix = f"sub_{n}_"
        count, full = 0, False
        for k, (answer, fraction, _, _) in enumerate(blank.answers):
            if answer.strip() == "":
                continue
            count += 1
            if blank.kind == "numerical" and not (is_valid_number(answer.strip())
                                                  or answer.strip() == "*"):
                errors[f"{prefix}answer[{k}]"] = "answermustbenumberorstar"
            if fraction == 1:
                full = True
            if blank.kind == "multiresponse" and fraction > 0:
                full = True
        if blank.kind in ("multichoice", "multiresponse") and count < 2:
            errors[f"{prefix}answer[0]"] = "notenoughanswers"
        elif count == 0:
            errors[f"{prefix}answer[0]"] = "notenoughanswers"
        if not full:
            errors[f"{prefix}fraction[0]"] = "fractionsnomax"
    return errors
