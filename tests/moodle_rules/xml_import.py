"""What Moodle's XML importer reads from our files, reimplemented for the tests.

Follows question/format/xml/format.php (qformat_xml::readquestions and the
import_numerical, import_shortanswer, import_multichoice, import_multianswer,
import_hints and import_files parts): a <quiz> of <question type="…">; a "category"
question switches the category (its path in <category><text>); answers carry a
fraction in percent, <text>, <feedback>, and (numerical) <tolerance>; a cloze question's
blanks are read from its text by the multianswer extractor; <file name encoding="base64">
inside a text is stored and referred to as @@PLUGINFILE@@/name.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from moodle_rules import cloze, numerical, shortanswer


@dataclass
class Imported:
    qtype: str
    name: str
    category: str
    text: str
    general_feedback: str
    default_mark: float
    penalty: float
    answers: list[tuple[str, float, str, float | None]] = field(default_factory=list)
    usecase: bool = False
    single: bool = True
    hints: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    cloze: cloze.Cloze | None = None

    def skeleton(self) -> str:
        """The text a student sees around the boxes (a cloze's blanks replaced by {#n})."""
        return self.cloze.text if self.cloze else self.text


def _files(element: ET.Element | None) -> dict[str, bytes]:
    out = {}
    for f in (element.findall("file") if element is not None else []):
        assert f.get("encoding") == "base64", f.attrib
        out[f.get("name")] = base64.b64decode(f.text or "")
    return out


def read(xml: bytes) -> list[Imported]:
    """Every question (categories applied), raising AssertionError where Moodle would refuse."""
    root = ET.fromstring(xml)
    assert root.tag == "quiz"
    category = None
    out = []
    for q in root.findall("question"):
        qtype = q.get("type")
        if qtype == "category":
            category = q.findtext("category/text")
            assert category and category.startswith("$course$/"), category
            continue
        assert category is not None, "a question before any category"
        text_el = q.find("questiontext")
        assert text_el is not None and text_el.get("format") == "html"
        item = Imported(
            qtype=qtype, name=(q.findtext("name/text") or "").strip(), category=category,
            text=q.findtext("questiontext/text") or "",
            general_feedback=q.findtext("generalfeedback/text") or "",
            default_mark=float(q.findtext("defaultgrade") or 1.0),
            penalty=float(q.findtext("penalty") or 0.3333333),
            hints=[h.findtext("text") or "" for h in q.findall("hint")],
            files=_files(text_el))
        assert item.name, "a question needs a name"
        for a in q.findall("answer"):
            tolerance = a.findtext("tolerance")
            item.answers.append(((a.findtext("text") or "").strip(), float(a.get("fraction")) / 100,
                                 a.findtext("feedback/text") or "",
                                 float(tolerance) if tolerance is not None else None))
        if qtype == "shortanswer":
            item.usecase = q.findtext("usecase") == "1"
        elif qtype == "multichoice":
            item.single = q.findtext("single") in ("true", "1")
        elif qtype == "cloze":
            item.cloze = cloze.extract(item.text)
            errors = cloze.validate(item.cloze)
            assert not errors, (item.name, errors)
            item.default_mark = item.cloze.default_mark  # the sum of the blanks' weights
        elif qtype == "numerical":
            for answer, _, _, _ in item.answers:
                assert numerical.is_valid_number(answer) or answer == "*", (item.name, answer)
        else:
            raise AssertionError(f"{item.name}: unexpected question type {qtype}")
        if qtype != "cloze":
            assert item.answers, item.name
            assert any(f == 1 for _, f, _, _ in item.answers), (item.name, "no full-credit answer")
        if qtype == "multichoice":
            assert len(item.answers) >= 2, item.name
        for name in item.files:
            assert f"@@PLUGINFILE@@/{name}" in item.text, (item.name, name)
        out.append(item)
    return out


def boxes(item: Imported) -> list[tuple[str, list[tuple[str, float, str, float | None]], bool]]:
    """(kind, answers, case sensitive) for each answer box of a question, in order."""
    if item.cloze:
        return [(b.kind, b.answers, b.case_sensitive) for b in item.cloze.blanks]
    return [(item.qtype, item.answers, item.usecase)]


def grade_box(kind: str, answers, response: str, *, in_cloze: bool, case: bool = False,
              rule: str = "eps") -> float | None:
    """The fraction one box gives a response (None: Moodle asks for a valid answer)."""
    if kind == "numerical":
        return numerical.grade([numerical.NumAnswer(a, f, t or 0.0, fb) for a, f, fb, t in answers],
                               response, in_cloze=in_cloze, rule=rule)
    if kind == "shortanswer":
        return shortanswer.grade([shortanswer.TextAnswer(a, f, fb) for a, f, fb, _ in answers],
                                 response, ignore_case=not case)
    if kind == "multichoice":  # the response is the chosen answer's text
        return next((f for a, f, _, _ in answers if a == response), 0.0)
    raise AssertionError(kind)


def grade(item: Imported, responses: list[str], rule: str = "eps") -> float:
    """The question's fraction for one response per box: a cloze weighs its blanks
    (qtype_multianswer_question::grade_response), an unanswered box counts 0."""
    found = boxes(item)
    assert len(responses) == len(found)
    if not item.cloze:
        kind, answers, case = found[0]
        return grade_box(kind, answers, responses[0], in_cloze=False, case=case, rule=rule) or 0.0
    total = 0.0
    for blank, response in zip(item.cloze.blanks, responses):
        got = grade_box(blank.kind, blank.answers, response, in_cloze=True,
                        case=blank.case_sensitive, rule=rule) or 0.0
        total += got * blank.weight
    return total / item.cloze.default_mark
