"""Moodle XML export: the structure Moodle's importer reads (question/format/xml/format.php),
cloze blanks as its parser (question/type/multianswer) splits them, escaping of hostile
text, question banks for per-student keys, and the command."""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET

import pytest
from moodle_rules import cloze, xml_import
from test_grading import contract_key  # the hand-built key of docs/contracts.md

from lstm_sym.checker import check_expected
from lstm_sym.cli.app import main
from lstm_sym.export import moodle_quiz
from lstm_sym.export.moodle import cloze_escape, slot_of
from lstm_sym.export.spellings import formula_spellings, tolerance_for
from lstm_sym.key import write_key


def cloze_blanks(text: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(TYPE, [(fraction, answer, feedback)]) per blank, as Moodle's extractor reads them
    (tests/moodle_rules/cloze.py); a numerical answer is written "value:tolerance"."""
    kinds = {"numerical": "NUMERICAL", "shortanswer": "SHORTANSWER", "multichoice": "MULTICHOICE"}
    out = []
    for blank in cloze.extract(text).blanks:
        alternatives = []
        for answer, fraction, feedback, tolerance in blank.answers:
            shown = "=" if fraction == 1 else f"%{fraction * 100:g}%"
            if blank.kind == "numerical":
                answer = f"{answer}:{tolerance:g}"
            alternatives.append((shown, answer, feedback))
        out.append((kinds[blank.kind], alternatives))
    return out


def parse(xml: bytes) -> ET.Element:
    root = ET.fromstring(xml)
    assert root.tag == "quiz"
    return root


def check_moodle_structure(root: ET.Element) -> None:
    """What format.php needs of each question type."""
    assert root[0].get("type") == "category"
    for q in root:
        qtype = q.get("type")
        if qtype == "category":
            assert q.findtext("category/text").startswith("$course$/lstm_sym/")
            continue
        assert q.findtext("name/text").strip()
        assert q.find("questiontext").get("format") == "html"
        assert q.findtext("questiontext/text").strip()
        assert q.find("generalfeedback/text") is not None
        assert float(q.findtext("penalty")) == pytest.approx(1 / 3, abs=1e-6)
        assert q.findtext("hidden") == "0"
        assert (q.find("defaultgrade") is None) == (qtype == "cloze")
        answers = q.findall("answer")
        if qtype == "numerical":
            assert answers and answers[0].get("fraction") == "100"
            for a in answers:
                assert re.fullmatch(cloze.NUMBER, a.findtext("text"))
                assert re.fullmatch(cloze.NUMBER, a.findtext("tolerance"))
        elif qtype == "multichoice":
            assert q.findtext("single") == "true"
            assert [a.get("fraction") for a in answers].count("100") == 1
        elif qtype == "shortanswer":
            assert any(a.get("fraction") == "100" for a in answers)
            assert all("*" not in a.findtext("text").replace("\\*", "") for a in answers)
        elif qtype == "cloze":
            extracted = cloze.extract(q.findtext("questiontext/text"))
            assert extracted.blanks and not cloze.validate(extracted)
            assert not re.search(r"\{\d*:", extracted.text)  # nothing left that looks like a blank
        else:
            raise AssertionError(f"unexpected type {qtype}")
    xml_import.read(ET.tostring(root))  # and what Moodle's importer checks


@pytest.fixture(scope="module")
def lecture_key():
    from lstm_sym.exercises import build_set

    return build_set().key()


def test_lecture_quiz_has_the_structure_moodle_imports(lecture_key):
    root = parse(moodle_quiz([lecture_key]))
    check_moodle_structure(root)
    types = {q.findtext("name/text"): q.get("type") for q in root if q.get("type") != "category"}
    assert types["trace.t2"] == "cloze" and "trace.t1" not in types  # worked: left out
    assert types["params.pytorch_total"] == "numerical"
    assert types["params.ratio_ffn"] == "numerical"  # a formula that is a plain integer
    assert types["gates.opener"] == "multichoice" and types["memory.c"] == "cloze"
    assert types["params.lstm_formula"] == "shortanswer"
    assert root[0].findtext("category/text") == \
        "$course$/lstm_sym/Exercises: the LSTM memory cell (lecture)"
    with_worked = parse(moodle_quiz([lecture_key], worked=True))
    assert "trace.t1" in {q.findtext("name/text") for q in with_worked}


def test_numerical_answers_tolerance_and_misconception_feedback(lecture_key):
    root = parse(moodle_quiz([lecture_key]))
    q = next(q for q in root if q.findtext("name/text") == "params.pytorch_total")
    answers = [(a.get("fraction"), a.findtext("text"), a.findtext("tolerance"),
                a.findtext("feedback/text")) for a in q.findall("answer")]
    assert answers[0] == ("100", "56", "0", "")
    assert ("0", "48", "0") == answers[1][:3] and "two bias vectors" in answers[1][3]
    step = next(q for q in root if q.findtext("name/text") == "trace.t2")
    blanks = cloze_blanks(step.findtext("questiontext/text"))
    assert len(blanks) == 9  # one per equation of the cell
    c_blank = blanks[7][1]  # z, z_i, z_f, z_o, i, f, o, c, y
    assert c_blank[0] == ("=", "7:0.01", "")
    assert ("%0%", "4:0.01") == c_blank[1][:2] and "old memory" in c_blank[1][2]
    assert "\\(c'\\)" in step.findtext("questiontext/text")  # math for MathJax
    assert "<strong>Solution</strong>" in step.findtext("generalfeedback/text")


def test_hostile_names_and_prompts_cannot_break_the_xml(tmp_path):
    evil = "]]><script>alert('x')</script>\x07 & {1:NUMERICAL:=1} #~"
    keys = []
    for sid in ("s1", "s2"):
        key = contract_key((sid, f"Mallory {evil}"), c_answer="7" if sid == "s1" else "5")
        key["questions"][0]["prompt"] = f"What is c? {evil}"
        key["questions"][3]["prompt"] = f"The memory {evil} {{#1}}"  # a cloze question
        key["questions"][0]["misconceptions"][0]["feedback"] = f"Wrong {evil}"
        key["questions"][4]["choices"][0] = evil
        keys.append(key)
    root = parse(moodle_quiz(keys))
    check_moodle_structure(root)
    clean = evil.replace("\x07", "")
    names = [q.findtext("name/text") for q in root if q.get("type") != "category"]
    assert f"trace.t2 — s1 Mallory {clean}" in names
    q = next(q for q in root if (q.findtext("name/text") or "").startswith("trace.t2 — s1"))
    text = q.findtext("questiontext/text")
    assert "<script>" not in text and "&lt;script&gt;" in text
    cloze = next(q for q in root if (q.findtext("name/text") or "").startswith("memory.c — s1"))
    text = cloze.findtext("questiontext/text")
    assert len(cloze_blanks(text)) == 3  # the vector's entries, not the prompt's "{1:…}"
    assert "&#123;1:NUMERICAL:=1} #~" in text and "&#123;#1}" in text
    feedback = q.find("answer[2]/feedback/text").text
    assert "Wrong" in feedback and "<script>" not in feedback
    choice = next(q for q in root if (q.findtext("name/text") or "").startswith("gates.opener — s1"))
    assert "<script>" not in choice.find("answer[1]/text").text


def test_cloze_escaping_survives_moodles_parser():
    nasty = "a}b#c~d<e&f"
    text = "{1:SHORTANSWER:=" + cloze_escape("x}#y") + "~%0%z#" + cloze_escape(nasty) + "}"
    [(kind, alternatives)] = cloze_blanks(text)
    assert kind == "SHORTANSWER"
    assert alternatives[0][:2] == ("=", "x}#y")
    assert alternatives[1][0] == "%0%" and alternatives[1][2] == nasty


@pytest.mark.parametrize("answer, variables", [
    ("4*m**2 + 4*m*n + 4*m", ["m", "n"]),
    ("sigma(100*x2 + 10)", ["x1", "x2", "x3"]),
    ("3/4", []),
])
def test_every_moodle_spelling_is_right_for_our_checker_too(answer, variables):
    spellings = formula_spellings(answer, variables)
    assert len(spellings) >= 3
    for spelling in spellings:
        verdict = check_expected(answer, spelling, variables=variables)
        assert verdict.correct, (spelling, verdict.feedback)


def test_tolerances_become_absolute():
    assert tolerance_for("7", {"abs": 0.01, "rel": 0.0, "sigfigs": None}) == "0.01"
    assert tolerance_for("200", {"abs": 0.0, "rel": 0.001}) == "0.2"
    assert tolerance_for("0.0123", {"sigfigs": 2}) == "0.0005"
    assert slot_of("trace.t10.gates_exact") == "trace.t10"


# --- question banks from per-student keys ------------------------------------------------------


@pytest.fixture(scope="module")
def class_keys():
    from lstm_sym.exercises import class_variants
    from lstm_sym.handouts.content import Student

    roster = [Student("s01", "Ada"), Student("s02", "李雷"), Student("s03", "Bo")]
    return [exset.key() for exset in class_variants(11, roster).values()]


def test_per_student_keys_become_one_category_per_slot(class_keys):
    xml = moodle_quiz(class_keys)
    assert xml == moodle_quiz(copy.deepcopy(class_keys))  # deterministic
    root = parse(xml)
    check_moodle_structure(root)
    categories: dict[str, list[ET.Element]] = {}
    current = None
    for q in root:
        if q.get("type") == "category":
            current = q.findtext("category/text")
            categories[current] = []
        else:
            categories[current].append(q)
    from lstm_sym.export.moodle import class_id
    base = f"$course$/lstm_sym/Exercises: the LSTM memory cell (class {class_id(class_keys)})/"
    assert f"{base}trace.t2" in categories and f"{base}params.pytorch_total" in categories
    assert categories.pop(base.rstrip("/")) == []  # the class's parent category, with the info
    for path, questions in categories.items():
        # Every student's variant is there once; equal variants share one question.
        names = [q.findtext("name/text").split(" — ")[1] for q in questions]
        shared = [int(m.group(1)) if (m := re.search(r"\(\+(\d+) identical\)", n)) else 0
                  for n in names]
        assert len(questions) + sum(shared) == 3, path
        assert names[0].startswith("s01 Ada")
        assert len({q.get("type") for q in questions}) == 1
        bodies = {b"".join(ET.tostring(part) for part in q if part.tag != "name")
                  for q in questions}
        assert len(bodies) == len(questions)
    assert len(categories[f"{base}trace.t2"]) == 3  # the trace is private to each student
    totals = {q.find("answer/text").text for q in categories[f"{base}params.pytorch_total"]}
    assert totals == {next(x["answer"] for x in k["questions"] if x["id"] == "params.pytorch_total")
                      for k in class_keys}


# --- the command -----------------------------------------------------------------------------


def test_export_command(capsys, tmp_path, lecture_key):
    write_key(tmp_path / "key.json", lecture_key)
    code = main(["export", "moodle", "--key", str(tmp_path / "key.json"),
                 "--out", str(tmp_path / "quiz.xml")])
    err = capsys.readouterr().err
    assert code == 0 and "quiz.xml: 36 questions; question-bank categories: 1" in err
    assert "shortanswer" in err  # the note on formula questions
    check_moodle_structure(parse((tmp_path / "quiz.xml").read_bytes()))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_export_command_errors(capsys, tmp_path):
    key = contract_key()
    for q in key["questions"]:
        q["worked"] = True
    write_key(tmp_path / "key.json", key)
    for argv, message in [
        (["--key", tmp_path / "nope.json", "--out", tmp_path / "q.xml"], "does not exist"),
        (["--key", tmp_path / "key.json", "--out", tmp_path], "is a folder"),
        (["--key", tmp_path / "key.json", "--out", tmp_path / "q.xml"], "add --worked"),
    ]:
        assert main(["export", "moodle", *map(str, argv)]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "q.xml").exists()
    json.loads((tmp_path / "key.json").read_text())  # untouched


def test_an_edited_key_keeps_its_own_words(lecture_key):
    key = copy.deepcopy(lecture_key)
    q = next(q for q in key["questions"] if q["id"] == "params.pytorch_total")
    q["prompt"] = "How many parameters? (edited by the teacher)"
    root = parse(moodle_quiz([key]))
    check_moodle_structure(root)
    texts = {q.findtext("name/text"): q.findtext("questiontext/text") for q in root}
    assert texts["params.pytorch_total"] == "<p>How many parameters? (edited by the teacher)</p>"
    assert "\\(" in texts["trace.t2"]  # the questions not edited keep their math
