"""Grading a class: keys (one, or one per student), every row graded or rejected with its
reason, totals, the report, and the command end to end on real generated keys."""

from __future__ import annotations

import copy
import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_sym.classroom.csvio import AnswerRow, AnswerSheet, answer_rows, parse_table
from lstm_sym.classroom.grading import (
    KeySet,
    find_key_files,
    grade_files,
    grade_sheet,
    graded_csv,
    load_keys,
    totals_csv,
)
from lstm_sym.classroom.report import format_report, histogram_svg
from lstm_sym.cli.app import main
from lstm_sym.errors import UserError
from lstm_sym.key import write_key


def contract_key(student: tuple[str, str] | None = None, c_answer: str = "7") -> dict:
    """A key written by hand from docs/contracts.md (one question of each kind)."""
    key = {
        "schema": "lstm_sym.key/1",
        "exercise": {"title": "Test sheet", "lang": "en", "example": "lecture-worked",
                     "seed": None, "attempt": 0,
                     "cell": {"cell": "lecture", "g": "identity", "h": "identity"},
                     "weights": {"W_z": [[1, 0, 0]], "b_z": [0]}, "inputs": [[3, 1, 0]],
                     "worked": [1]},
        "questions": [
            {"id": "trace.t2.c", "family": "trace", "kind": "number", "prompt": "c after step 2?",
             "answer": c_answer, "exact": None, "accept": [], "variables": [],
             "tolerance": {"abs": 0.01, "rel": 0.0, "sigfigs": None}, "choices": None,
             "worked": False, "reveal": False,
             "misconceptions": [{"id": "forget_ignored", "answer": "4",
                                 "feedback": "You dropped the old memory."}]},
            {"id": "params.pytorch_total", "family": "params", "kind": "integer",
             "prompt": "nn.LSTM(3, 2) parameters?", "answer": "56", "variables": [],
             "tolerance": {"abs": 0.0, "rel": 0.0, "sigfigs": None}, "choices": None,
             "worked": False, "reveal": False,
             "misconceptions": [{"id": "single_bias", "answer": "48",
                                 "feedback": "PyTorch keeps two bias vectors; you counted one."}]},
            {"id": "params.lstm_formula", "family": "params", "kind": "expression",
             "prompt": "Parameters of an LSTM layer?", "answer": "4*m**2 + 4*m*n + 4*m",
             "variables": ["m", "n"], "tolerance": {"abs": 0.0, "rel": 0.0, "sigfigs": None},
             "choices": None, "worked": False, "reveal": False,
             "misconceptions": [{"id": "no_bias", "answer": "4*m**2 + 4*m*n",
                                 "feedback": "You left out the biases."}]},
            {"id": "memory.c", "family": "memory", "kind": "vector", "prompt": "c per step?",
             "answer": "[0, 3, 7]", "variables": [],
             "tolerance": {"abs": 0.01, "rel": 0.0, "sigfigs": None}, "choices": None,
             "worked": False, "reveal": False, "misconceptions": []},
            {"id": "gates.opener", "family": "gates", "kind": "choice", "prompt": "Which input?",
             "answer": "x3", "variables": [], "tolerance": None, "choices": ["x1", "x2", "x3"],
             "worked": False, "reveal": False, "misconceptions": []},
        ],
    }
    if student:
        key["student"] = {"id": student[0], "name": student[1]}
    return key


RIGHT = {"trace.t2.c": "7", "params.pytorch_total": "56", "params.lstm_formula": "4m(m+n+1)",
         "memory.c": "[0, 3, 7]", "gates.opener": "c"}


def long_csv(rows: list[tuple[str, str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "question", "answer"])
    writer.writerows(rows)
    return buffer.getvalue()


def wide_csv(rows: dict[str, dict[str, str]], qids: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id", *qids])
    for sid, answers in rows.items():
        writer.writerow([sid, *(answers.get(q, "") for q in qids)])
    return buffer.getvalue()


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    return code, *capsys.readouterr()


# --- keys ------------------------------------------------------------------------------------


def test_load_one_key_and_a_folder(tmp_path):
    write_key(tmp_path / "one" / "key.json", contract_key())
    keys = load_keys(tmp_path / "one" / "key.json")
    assert not keys.per_student and keys.lookup("anyone") is keys.shared
    assert load_keys(tmp_path / "one").shared is not None  # a folder with one shared key
    for sid in ("s2", "s1", "s10"):
        write_key(tmp_path / "class" / sid / "key.json", contract_key((sid, sid.upper())))
    (tmp_path / "class" / ".s3.tmp-abc").mkdir()  # an interrupted worksheet run
    (tmp_path / "class" / ".s3.tmp-abc" / "key.json").write_text("not json")
    keys = load_keys(tmp_path / "class")
    assert keys.per_student and keys.lookup("S10")["student"]["name"] == "S10"
    assert keys.lookup("s3") is None
    assert [p.parent.name for p in find_key_files(tmp_path / "class")] == ["s1", "s10", "s2"]


@pytest.mark.parametrize("setup, message", [
    (lambda d: None, "no key.json under"),
    (lambda d: [write_key(d / s / "key.json", contract_key(("s1", "A"))) for s in ("a", "b")],
     "student id 's1' also has"),
    (lambda d: [write_key(d / "a" / "key.json", contract_key(("s1", "A"))),
                write_key(d / "b" / "key.json", contract_key())], "no student id"),
    (lambda d: (d / "key.json").write_text('{"schema": "x"}'), "schema"),
])
def test_key_folder_problems(tmp_path, setup, message):
    setup(tmp_path)
    with pytest.raises(UserError, match=message):
        load_keys(tmp_path)
    with pytest.raises(UserError, match="does not exist"):
        load_keys(tmp_path / "missing")


# --- grading -------------------------------------------------------------------------------


def test_long_and_wide_give_the_same_grades():
    keys = KeySet("key.json", shared=contract_key())
    qids = list(RIGHT)
    answers = {"s1": RIGHT, "s2": {**RIGHT, "trace.t2.c": "4", "params.pytorch_total": "48"},
               "s10": {"memory.c": "0,3,7", "gates.opener": "x1"}}
    long_rows = [(s, q, a) for s, given in answers.items() for q, a in given.items()]
    long = grade_sheet(answer_rows(parse_table(long_csv(long_rows), "l.csv"), qids), keys)
    wide = grade_sheet(answer_rows(parse_table(wide_csv(answers, qids), "w.csv"), qids), keys)
    assert totals_csv(long) == totals_csv(wide)
    strip_line = [[a.student, a.question, a.answer, a.verdict] for a in long.graded]
    assert strip_line == [[a.student, a.question, a.answer, a.verdict] for a in wide.graded]
    assert [(t.student, t.score, t.max) for t in long.totals] == [
        ("s1", 5.0, 5), ("s2", 3.0, 5), ("s10", 1.0, 5)]  # natural order: s2 before s10
    # s10 left three questions out: graded as empty, so every student has the full grid.
    assert sum(1 for a in long.graded if a.student == "s10" and a.line is None) == 3
    mistakes = {(a.student, a.verdict.misconception) for a in long.graded
                if a.verdict.misconception}
    assert mistakes == {("s2", "forget_ignored"), ("s2", "single_bias")}


def test_every_row_is_graded_or_rejected_with_its_reason(tmp_path):
    for sid in ("s1", "s2"):
        write_key(tmp_path / sid / "key.json", contract_key((sid, f"Name {sid}")))
    text = long_csv([("s1", "trace.t2.c", "7"),          # 2 graded
                     ("s9", "trace.t2.c", "7"),          # 3 unknown student
                     ("s1", "nope", "7"),                # 4 unknown question
                     ("S1", "trace.t2.c", "8"),          # 5 duplicate (ids ignore case)
                     ("", "trace.t2.c", "7"),            # 6 missing student
                     ("s2", "memory.c", "=cmd|' /C calc'!A0")]) + 's2,"gates.opener\n'
    (tmp_path / "answers.csv").write_text(text)
    result = grade_files(tmp_path, tmp_path / "answers.csv")
    reasons = [(r.line, r.reason) for r in result.rejected]
    assert reasons == [
        (3, "unknown student 's9' (no key.json for this id)"),
        (4, "unknown question 'nope' (not in s1's key)"),
        (5, "duplicate answer to 'trace.t2.c' (first on line 2)"),
        (6, "missing field 'student'"),
        (8, "a quoted field is never closed (a missing '\"')")]
    graded_lines = {a.line for a in result.graded if a.line is not None}
    assert graded_lines | {line for line, _ in reasons} == set(range(2, 9))
    assert [t.name for t in result.totals] == ["Name s1", "Name s2"]
    # CSV injection: a formula is written as text, negative numbers stay numbers.
    assert "'=cmd|' /C calc'!A0" in graded_csv(result)


def test_a_student_with_a_key_and_no_answers_gets_zero(tmp_path):
    for sid in ("s1", "s2"):
        write_key(tmp_path / sid / "key.json", contract_key((sid, "N")))
    (tmp_path / "a.csv").write_text(long_csv([("s1", "trace.t2.c", "7")]))
    totals = grade_files(tmp_path, tmp_path / "a.csv").totals
    assert [(t.student, t.score, t.max, t.percent) for t in totals] == [
        ("s1", 1.0, 1, 100.0), ("s2", 0.0, 1, 0.0)]


def test_per_student_keys_check_each_students_own_answer(tmp_path):
    write_key(tmp_path / "a" / "key.json", contract_key(("s1", "A"), c_answer="7"))
    write_key(tmp_path / "b" / "key.json", contract_key(("s2", "B"), c_answer="5"))
    (tmp_path / "a.csv").write_text(long_csv([("s1", "trace.t2.c", "7"), ("s2", "trace.t2.c", "7")]))
    result = grade_files(tmp_path, tmp_path / "a.csv")
    assert [a.verdict.correct for a in result.graded] == [True, False]


def test_header_only_is_refused(tmp_path):
    write_key(tmp_path / "key.json", contract_key())
    (tmp_path / "a.csv").write_text("student,question,answer\n")
    with pytest.raises(UserError, match="no answers"):
        grade_files(tmp_path / "key.json", tmp_path / "a.csv")


# --- report ---------------------------------------------------------------------------------


def test_report_names_the_common_mistake_and_escapes_hostile_text():
    keys = KeySet("key.json", shared=contract_key())
    hostile = "x|<script>alert(1)</script>]]>"
    rows = [AnswerRow(i + 2, f"s{i}", "params.pytorch_total", "48") for i in range(3)]
    rows.append(AnswerRow(9, hostile, "nope|`", "1"))
    result = grade_sheet(AnswerSheet("long", rows, questions=["params.pytorch_total"]), keys)
    text = format_report(result, "answers.csv", "report.scores.svg")
    assert ("| 3 | 3 | PyTorch keeps two bias vectors; you counted one. (`single_bias`) | "
            "`params.pytorch_total` |") in text
    assert "<script>" not in text and "\\<script\\>" in text
    rejected_row = next(line for line in text.splitlines() if line.startswith("| 9 |"))
    assert rejected_row.count(" | ") == 3  # the bars in the student id are escaped
    assert "![Histogram" in text and "| 0–10 |" in text


def test_histogram_is_deterministic_svg():
    svg = histogram_svg([10, 55, 55, 100], "zh")
    assert svg == histogram_svg([10, 55, 55, 100], "zh")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"<dc:date>" not in svg


# --- the command, on real generated keys ----------------------------------------------------


@pytest.fixture(scope="module")
def lecture_key_file(tmp_path_factory):
    from lstm_sym.exercises import build_set

    path = tmp_path_factory.mktemp("key") / "key.json"
    write_key(path, build_set().key())
    return path


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory):
    """Three students' keys, as 'worksheet --students' lays them out."""
    from lstm_sym.exercises import class_variants
    from lstm_sym.handouts.content import Student

    folder = tmp_path_factory.mktemp("class")
    roster = [Student("s01", "Ada Lovelace"), Student("s02", "李雷"),
              Student("s03", "O'Brien ]]> <b>")]
    for sid, exset in class_variants(5, roster).items():
        write_key(folder / sid / "key.json", exset.key())
    return folder


def _answers_for(key: dict, picks: dict[str, str]) -> dict[str, str]:
    """Answers to some of a key's questions: 'right', a misconception, or given text."""
    questions = {q["id"]: q for q in key["questions"]}
    out = {}
    for qid, how in picks.items():
        q = questions[qid]
        out[qid] = q["answer"] if how == "right" else \
            q["misconceptions"][0]["answer"] if how == "mistake" else how
    return out


PICKS = {"trace.t2.c": "right", "trace.t3.c": "mistake", "params.pytorch_total": "mistake",
         "params.lstm_formula": "4m(m+n+1)", "gates.opener": "right", "memory.c": "right"}


def test_grade_command_on_a_class_folder(capsys, tmp_path, class_folder):
    keys = {p.parent.name: json.loads(p.read_text())
            for p in sorted(class_folder.glob("*/key.json"))}
    answers = {sid: _answers_for(key, PICKS) for sid, key in keys.items()}
    answers["s03"]["memory.c"] = "not a list"
    answers["s99"] = {"trace.t2.c": "7"}
    qids = list(PICKS)
    (tmp_path / "wide.csv").write_text(wide_csv(answers, qids))
    out = tmp_path / "out" / "graded.csv"
    code, _, err = run_cli(capsys, "grade", "--key", class_folder, "--answers",
                           tmp_path / "wide.csv", "--out", out, "--report", tmp_path / "r.md")
    assert code == 1  # one row was not graded
    assert "wide.csv line 5: not graded (s99): unknown student 's99'" in err
    assert "graded.totals.csv (gradebook" in err
    graded = read_csv(out)
    assert len(graded) == 3 * len(qids)
    assert {r["correct"] for r in graded if r["question"] == "trace.t2.c"} == {"yes"}
    assert {r["misconception"] for r in graded if r["question"] == "params.pytorch_total"} == \
        {"single_bias"}
    bad = next(r for r in graded if r["student"] == "s03" and r["question"] == "memory.c")
    assert (bad["valid"], bad["score"], bad["line"]) == ("no", "0", "4")
    totals = read_csv(out.with_name("graded.totals.csv"))
    assert [(t["student"], t["name"], t["max"]) for t in totals] == [
        ("s01", "Ada Lovelace", "6"), ("s02", "李雷", "6"), ("s03", "O'Brien ]]> <b>", "6")]
    report = (tmp_path / "r.md").read_text()
    assert "## Most common mistakes" in report and "`single_bias`" in report
    assert "| 5 | s99 |  | unknown student" in report
    ET.fromstring((tmp_path / "r.scores.svg").read_bytes())


def test_grade_command_reruns_byte_identical_and_leaves_no_temp_files(capsys, tmp_path,
                                                                     lecture_key_file):
    key = json.loads(lecture_key_file.read_text())
    picks = _answers_for(key, PICKS)
    rows = [(f"s{i}", q, a if i % 3 else "") for i in range(1, 8) for q, a in picks.items()]
    (tmp_path / "a.csv").write_text(long_csv(rows))
    argv = ["grade", "--key", lecture_key_file, "--answers", tmp_path / "a.csv",
            "--out", tmp_path / "g.csv", "--report", tmp_path / "report.md"]
    assert run_cli(capsys, *argv)[0] == 0
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert run_cli(capsys, *argv)[0] == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == first
    assert sorted(first) == ["a.csv", "g.csv", "g.totals.csv", "report.md",
                             "report.scores.svg"]


def test_grade_command_refuses_bad_input_without_writing(capsys, tmp_path, lecture_key_file):
    (tmp_path / "g.csv").write_text("old")
    (tmp_path / "latin1.csv").write_bytes("student,question,answer\nJosé,trace.t2.c,7\n"
                                          .encode("latin-1"))
    code, _, err = run_cli(capsys, "grade", "--key", lecture_key_file, "--answers",
                           tmp_path / "latin1.csv", "--out", tmp_path / "g.csv")
    assert code == 2 and "line 2 (byte 27): not UTF-8 text" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert (tmp_path / "g.csv").read_text() == "old"
    assert not (tmp_path / "g.totals.csv").exists()
    code, _, err = run_cli(capsys, "grade", "--key", lecture_key_file, "--answers",
                           tmp_path / "latin1.csv", "--out", tmp_path / "latin1.csv")
    assert code == 2 and "would overwrite --answers" in err


def test_wide_form_with_an_unknown_column_and_zh_report(capsys, tmp_path, lecture_key_file):
    key = copy.deepcopy(json.loads(lecture_key_file.read_text()))
    key["exercise"]["lang"] = "zh"
    write_key(tmp_path / "key.json", key)
    (tmp_path / "w.csv").write_text("student,Email,trace.t2.c\ns1,a@x,7\n")
    code, _, err = run_cli(capsys, "grade", "--key", tmp_path / "key.json", "--answers",
                           tmp_path / "w.csv", "--out", tmp_path / "g.csv", "--report",
                           tmp_path / "r.md")
    assert code == 0 and "note: " in err and "'Email'" in err
    assert (tmp_path / "r.md").read_text().startswith("# 评分报告")


def test_grading_sentences_exist_in_both_languages():
    import string

    from lstm_sym.i18n import catalogue

    en = {k: v for k, v in catalogue("en").items() if k.startswith("grading.")}
    zh = {k: v for k, v in catalogue("zh").items() if k.startswith("grading.")}
    assert set(en) == set(zh)
    def fields(text):
        return {f[1] for f in string.Formatter().parse(text) if f[1]}
    assert all(fields(en[k]) == fields(zh[k]) for k in en)


def test_worksheet_class_folder_to_grades_and_moodle(capsys, tmp_path):
    """The folders 'worksheet --students' writes are what grade and export read."""
    (tmp_path / "roster.csv").write_text("id,name\nA1,Ada\nb2,Bo\n")
    assert main(["worksheet", "--students", str(tmp_path / "roster.csv"), "--format", "md",
                 "--out", str(tmp_path / "class")]) == 0
    keys = {p.parent.name: json.loads(p.read_text())
            for p in sorted((tmp_path / "class").glob("teacher/*/key.json"))}
    assert sorted(keys) == ["A1", "b2"]
    answers = {sid: _answers_for(key, {"trace.t2.c": "right", "memory.c": "right"})
               for sid, key in keys.items()}
    answers["a1"] = answers.pop("A1")  # ids match ignoring case, as the roster does
    (tmp_path / "a.csv").write_text(wide_csv(answers, ["trace.t2.c", "memory.c"]))
    code, _, _ = run_cli(capsys, "grade", "--key", tmp_path / "class", "--answers",
                         tmp_path / "a.csv", "--out", tmp_path / "g.csv")
    assert code == 0
    assert [(t["student"], t["score"]) for t in read_csv(tmp_path / "g.totals.csv")] == [
        ("A1", "2"), ("b2", "2")]
    code, _, err = run_cli(capsys, "export", "moodle", "--key", tmp_path / "class",
                           "--out", tmp_path / "bank.xml")
    assert code == 0 and "bank.xml" in err
    ET.fromstring((tmp_path / "bank.xml").read_bytes())


ROW = st.tuples(st.sampled_from(["s1", "s2", "S2", "s9", ""]),
                st.sampled_from([*RIGHT, "nope", ""]),
                st.sampled_from(["7", "48", "", "abc", "[0, 3, 7]", "c", "=1+1"]),
                st.booleans())  # False: the answer field is left out


@settings(max_examples=40, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=12))
def test_every_long_row_is_graded_or_rejected_exactly_once(rows):
    keys = KeySet("keys/", by_student={s: contract_key((s, s)) for s in ("s1", "s2")})
    lines = [",".join([s, q, a] if full else [s, q]) for s, q, a, full in rows]
    text = "student,question,answer\n" + "\n".join(lines) + "\n"
    sheet = answer_rows(parse_table(text, "p.csv"), list(RIGHT))
    result = grade_sheet(sheet, keys)
    graded = [a.line for a in result.graded if a.line is not None]
    rejected = [r.line for r in result.rejected]
    assert sorted(graded + rejected) == [i + 2 for i, (s, q, a, full) in enumerate(rows)
                                         if s or q or (a and full)]  # blank rows are skipped
    students = {t.student for t in result.totals}
    assert students == {"s1", "s2"}  # every student with a key, answers or not
    assert all(t.max == len(result.questions) for t in result.totals)
