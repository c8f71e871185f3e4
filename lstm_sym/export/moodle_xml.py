"""Moodle XML as Moodle's importer reads it (question/format/xml/format.php): a
``<quiz>`` of ``<question type="…">`` elements, categories included.

Every text goes into CDATA (``]]>`` split across two sections) and characters XML 1.0
forbids are dropped, so a name or prompt holding ``]]>``, ``<script>`` or a control
character cannot break the file. Same questions, same bytes.

>>> q = Question("numerical", "t2.c", "<p>c?</p>", answers=(Answer("7", 100, tolerance="0.01"),))
>>> xml = quiz_xml([Category("$course$/lstm_sym/Demo"), q]).decode()
>>> print(*xml.splitlines()[:5], sep=chr(10))
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category>
      <text><![CDATA[$course$/lstm_sym/Demo]]></text>
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# XML 1.0 allows tab, newline, carriage return and U+0020 upwards, minus surrogates and
# U+FFFE/U+FFFF; anything else makes the whole file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
PENALTY = "0.3333333"  # Moodle's default: a third off per wrong try in interactive mode


@dataclass(frozen=True)
class Answer:
    """One answer: its text, the credit in percent, feedback (HTML), a numerical tolerance."""

    text: str
    fraction: float
    feedback: str = ""
    tolerance: str | None = None


@dataclass(frozen=True)
class Question:
    """A Moodle question; `text` and `general_feedback` are HTML.

    `qtype` is numerical, shortanswer, multichoice or cloze (Moodle's multianswer, whose
    answers live in the text as ``{1:NUMERICAL:=7:0.01}``).
    """

    qtype: str
    name: str
    text: str
    general_feedback: str = ""
    answers: tuple[Answer, ...] = ()
    default_grade: float = 1.0
    hints: tuple[str, ...] = ()  # HTML, shown one per wrong try in interactive mode
    # What each answer box grades (not written to the file; see moodle_boxes.Part).
    parts: tuple = ()


@dataclass(frozen=True)
class Category:
    """Switches the category the following questions are imported into."""

    path: str
    info: str = ""


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold.

    >>> xml_safe("a\\x07b\\x00c\\n")
    'abc\\n'
    """
    return _NOT_XML.sub("", text)


def cdata(text: str) -> str:
    """Text as CDATA; ``]]>`` inside is split so it cannot end the section early.

    >>> cdata("a]]>b")
    '<![CDATA[a]]]]><![CDATA[>b]]>'
    """
    return "<![CDATA[" + xml_safe(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(tag: str, text: str, indent: str, fmt: str | None = None) -> list[str]:
    attr = f' format="{fmt}"' if fmt else ""
    return [f"{indent}<{tag}{attr}>", f"{indent}  <text>{cdata(text)}</text>", f"{indent}</{tag}>"]


def _number(value: float) -> str:
    return f"{value:g}"


def _answer(answer: Answer, qtype: str, indent: str) -> list[str]:
    fmt = ' format="html"' if qtype == "multichoice" else ""
    out = [f'{indent}<answer fraction="{_number(answer.fraction)}"{fmt}>',
           f"{indent}  <text>{cdata(answer.text)}</text>"]
    out += _text("feedback", answer.feedback, indent + "  ", "html")
    if answer.tolerance is not None:
        out.append(f"{indent}  <tolerance>{answer.tolerance}</tolerance>")
    return out + [f"{indent}</answer>"]


def _question(q: Question) -> list[str]:
    i = "    "
    out = [f'  <question type="{q.qtype}">']
    out += _text("name", q.name, i)
    out += _text("questiontext", q.text, i, "html")
    out += _text("generalfeedback", q.general_feedback, i, "html")
    if q.qtype != "cloze":  # a cloze question's grade is the sum of its parts' weights
        out.append(f"{i}<defaultgrade>{_number(q.default_grade)}</defaultgrade>")
    out += [f"{i}<penalty>{PENALTY}</penalty>", f"{i}<hidden>0</hidden>"]
    if q.qtype == "multichoice":
        out += [f"{i}<single>true</single>", f"{i}<shuffleanswers>false</shuffleanswers>",
                f"{i}<answernumbering>abc</answernumbering>"]
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            out += _text(tag, "", i, "html")
    elif q.qtype == "shortanswer":
        out.append(f"{i}<usecase>0</usecase>")
    for answer in q.answers:
        out += _answer(answer, q.qtype, i)
    if q.qtype == "numerical":
        out += [f"{i}<unitgradingtype>0</unitgradingtype>", f"{i}<unitpenalty>0</unitpenalty>",
                f"{i}<showunits>3</showunits>", f"{i}<unitsleft>0</unitsleft>"]
    for hint in q.hints:
        out += _text("hint", hint, i, "html")
    return out + ["  </question>"]


def _category(c: Category) -> list[str]:
    return ['  <question type="category">', "    <category>",
            f"      <text>{cdata(c.path)}</text>", "    </category>",
            *_text("info", c.info, "    ", "html"), "  </question>"]


def quiz_xml(items: Iterable[Question | Category]) -> bytes:
    """The file's bytes: UTF-8, two-space indent, a final newline."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for item in items:
        lines += _category(item) if isinstance(item, Category) else _question(item)
    lines.append("</quiz>")
    return ("\n".join(lines) + "\n").encode("utf-8")
