"""Inputs a hostile run used to crash or misjudge: each now gets a verdict, no traceback."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lstm_sym.checker import api, check_expected, check_many, check_question
from lstm_sym.checker.equivalence import written_sigfigs
from lstm_sym.cli.app import main
from lstm_sym.errors import UserError
from lstm_sym.exercises import build_set
from lstm_sym.key import write_key

ROOT = Path(__file__).resolve().parents[1]


def test_a_long_chain_of_superscripts_is_too_deep_not_a_crash():
    answer = "x" + " ²" * 490
    assert len(answer) < 2000
    verdict = check_expected("x", answer, variables=["x"])
    assert not verdict.valid and "nested too deeply" in verdict.feedback
    assert check_expected("x^8", "x ² ² ²", variables=["x"]).correct  # ((x²)²)²


def test_grade_isolates_an_answer_whose_check_fails(monkeypatch):
    real = api.grade

    def fragile(question, answer, lang, *rest):
        if answer == "boom":
            raise RecursionError("deep")
        return real(question, answer, lang, *rest)

    monkeypatch.setattr(api, "grade", fragile)
    q = {"id": "q", "kind": "integer", "answer": "7"}
    first, broken, last = check_many([(q, "7"), (q, "boom"), (q, "8")])
    assert first.correct and not last.correct
    assert not broken.valid and "RecursionError" in broken.feedback


def test_grade_writes_graded_csv_for_a_class_with_a_hostile_answer(tmp_path):
    key = write_key(tmp_path / "key.json", build_set().key())
    answers = tmp_path / "answers.csv"
    chain = "x" + " ²" * 490
    answers.write_text(f"student,question,answer\ns1,trace.t2.c,{chain}\ns2,trace.t2.c,7\n",
                       encoding="utf-8")
    out = tmp_path / "graded.csv"
    assert main(["grade", "--key", str(key), "--answers", str(answers), "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["student"], r["valid"], r["correct"]) for r in rows] == [
        ("s1", "no", "no"), ("s2", "yes", "yes")]


def _cli(*args: bytes, encoding: str = "ascii:strict") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "lstm_sym", *args], capture_output=True,
                          env=env, timeout=120)


@pytest.mark.parametrize("fmt", [b"text", b"json"])
def test_invalid_utf8_in_an_answer_gives_valid_utf8_output(fmt):
    done = _cli(b"check", b"--expected", b"7", b"--answer", b"7\xff", b"--format", fmt)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")  # raises if the output is not UTF-8
    assert "\ufffd" in text and b"\xff" not in done.stdout
    if fmt == b"json":
        assert json.loads(text)["valid"] is False


def test_no_absolute_floor_overrides_a_relative_or_sigfig_tolerance():
    assert not check_expected("6.62607015e-34", "6.62607016e-34", kind="number",
                              tolerance={"sigfigs": 9}).correct
    assert check_expected("6.62607015e-34", "6.626070154e-34", kind="number",
                          tolerance={"sigfigs": 9}).correct
    assert not check_expected("9e-45", "1e-45", kind="number", tolerance={"rel": 0.01}).correct
    assert check_expected("9e-45", "9.05e-45", kind="number", tolerance={"rel": 0.01}).correct
    assert check_expected("0.01", "0.02", kind="number", tolerance={"abs": 0.01}).correct
    assert not check_expected("0", "1e-60", kind="number").correct


@pytest.mark.parametrize("answer,expected", [
    (r"\sqrt[3]{8}", "2"), (r"\sqrt[4]{16}", "2"), (r"\sqrt{4}", "2"),
    (r"\frac1234", "17"), (r"\frac123", "3/2"), (r"\frac12 3", "3/2"), (r"\frac12", "1/2"),
    (r"\log_{2} 8", "3"), (r"\log_2 8", "3"), (r"\log_{10}(1000)", "3"), ("log_10(100)", "2"),
    ("log(e^2)", "2"),
])
def test_tex_readings(answer, expected):
    assert check_expected(expected, answer, kind="number").correct, answer


@pytest.mark.parametrize("answer", [r"2\thinspace x\medspace", r"2\;\thickspace\negthinspace x",
                                    r"2\>x", r"2\enspace x", r"\negmedspace 2x"])
def test_tex_spaces_are_spaces(answer):
    assert check_expected("2*x", answer, variables=["x"]).correct, answer


def test_log_to_a_symbolic_base():
    assert check_expected("ln(x)/ln(a)", r"\log_a x", variables=["a", "x"]).correct
    assert check_expected("ln(x)/ln(a)", r"\log_{a}{x}", variables=["a", "x"]).correct


def test_shape_answers_with_times():
    q = {"id": "shapes.W_z", "kind": "vector", "answer": "[2, 3]"}
    for answer in (r"2\times 3", r"2 \times 3", "2×3", "2 x 3", "(2 × 3)"):
        assert check_question(q, answer).correct, answer


@pytest.mark.parametrize("argv", [
    ["check", "--expected", "-x+1", "--vars", "x", "--answer", "-x+1"],
    ["check", "--expected", "1-x", "--vars", "x", "--answer", "-x+1"],
    ["check", "--expected", "-x", "--vars", "x", "--answer", "-x"],
    ["check", "--expected", "-10", "--answer", "-10"],
])
def test_leading_minus_is_a_value_not_an_option(capsys, argv):
    assert main(argv) == 0
    assert "✓ correct" in capsys.readouterr().out


def test_unknown_functions_are_rejected_clearly_on_both_sides(capsys):
    verdict = check_expected("x", "sin(x)", variables=["x"])
    assert not verdict.valid and "'sin'" in verdict.feedback and "does not support" in \
        verdict.feedback
    assert "does not support" in check_expected("x", r"\cos x", variables=["x"]).feedback
    with pytest.raises(UserError, match="'sin' .* does not support"):
        check_expected("sin(x)", "x", variables=["x"])
    assert main(["check", "--expected", "cos(x)", "--vars", "x", "--answer", "x"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cos" in err and "Traceback" not in err


def test_the_teachers_expression_errors_do_not_say_your_answer():
    for expected in ("(((x", "x^", "x" * 3000, "(" * 150 + "x" + ")" * 150):
        with pytest.raises(UserError) as error:
            check_expected(expected, "1", variables=["x"])
        assert "your answer" not in str(error.value).lower(), str(error.value)
        assert str(error.value).startswith("expected:")


def test_help_says_kind_depends_on_vars(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "expression when --vars is given, else number" in out
    assert "sigfigs-strict" in out


def test_control_and_bidi_characters_are_escaped_in_text_output(capsys):
    q = ("--expected", "a", "--kind", "choice", "--answer")
    assert main(["check", *q, "\u202ea\x1b[31m\u200b"]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\x1b" not in out and "\u200b" not in out
    assert "\\u202e" in out and "\\x1b" in out


@pytest.mark.parametrize("text,shown", [
    ("0.00120", (3, 3)), ("1200", (2, 4)), ("1200.", (4, 4)), ("1.20e3", (3, 3)),
    ("-4.500", (4, 4)), ("0", (1, 1)), ("0.00", (2, 2)), ("x", None), ("3/4", None),
])
def test_written_significant_figures(text, shown):
    assert written_sigfigs(text) == shown


def test_sigfigs_and_sigfigs_strict(capsys):
    loose = {"sigfigs": 3}
    strict = {"sigfigs": 3, "sigfigs_strict": True}
    assert check_expected("0.12345", "0.1235", kind="number", tolerance=loose).correct
    verdict = check_expected("0.12345", "0.1235", kind="number", tolerance=strict)
    assert not verdict.correct and "3 significant figures (you wrote 4)" in verdict.feedback
    assert check_expected("0.12345", "0.123", kind="number", tolerance=strict).correct
    assert not check_expected("0.12345", "0.124", kind="number", tolerance=strict).correct
    assert main(["check", "--expected", "0.12345", "--tol", "sigfigs-strict=3",
                 "--answer", "0.1234"]) == 0
    assert "✗ wrong" in capsys.readouterr().out


@pytest.mark.parametrize("expected,answer,variables", [
    ("6*((x-2)^3)^k", "6*(x-2)^(3*k)", ["x", "k"]),
    ("ln(x-5)+ln(x-6)", "ln((x-5)*(x-6))", ["x"]),
    ("sqrt(x-20)*sqrt(x-30)", "sqrt((x-20)*(x-30))", ["x"]),
    ("ln(-x-5)", "ln(-(x+5))", ["x"]),
])
def test_points_are_sampled_where_the_key_is_defined(expected, answer, variables):
    assert check_expected(expected, answer, variables=variables).correct
    wrong = check_expected(expected, answer + "+1", variables=variables)
    assert wrong.valid and not wrong.correct


def test_hint_option_and_the_pointer_after_a_wrong_answer(tmp_path, capsys):
    key = write_key(tmp_path / "key.json", build_set().key("zh"))
    base = ["check", "--key", str(key), "--question", "trace.t3.c"]
    assert main([*base, "--answer", "9"]) == 0
    assert "--hint 1" in capsys.readouterr().out
    assert main([*base, "--hint", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("hint 2 of 3:") and "c′ = z·i + c·f" in out
    assert main([*base, "--hint", "7"]) == 2
    assert main([*base, "--answer", "7", "--hint", "1", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["correct"] and data["hint_number"] == 1 and "遗忘门" in data["hint"]
