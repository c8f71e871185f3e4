"""The public API (lstm_sym's façade): CLI names and options, short reprs, rich displays.

Numbers are checked against independent sources: PyTorch's documented LSTM layout
(4 gates × (W_ih, W_hh, b_ih, b_hh)), the lecture's hand-worked trace, and the CLI's
own output for the same options (the API must say what the command says).
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import pytest

import lstm_sym
from lstm_sym import NetworkSpec, UserError, check, count_params, equations, grad, trace, worksheet
from lstm_sym.cli.app import main


def cli(*argv: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(argv)) == 0
    return out.getvalue().rstrip("\n")


def short(text: str, lines: int = 3, chars: int = 300) -> bool:
    return len(text.splitlines()) <= lines and len(text) <= chars


# --- count_params -------------------------------------------------------------------

def test_count_readme_form_and_cli_aliases_agree_with_pytorch_layout():
    n, m = 64, 128
    pytorch = 4 * (m * n + m * m + m + m)  # weight_ih, weight_hh, bias_ih, bias_hh per gate
    readme = count_params(NetworkSpec("lstm", convention="pytorch"), input_size=n, hidden=m)
    alias = count_params("lstm", convention="pytorch", input=n, hidden=m)
    assert readme.total == alias.total == pytorch == 99328
    assert "99328" in repr(readme) and short(repr(readme), 1, 120)
    assert isinstance(readme, lstm_sym.model.params.ParamReport)  # still the old report


def test_count_displays_as_table_and_markdown_with_every_tensor():
    r = count_params("gru", convention="pytorch", input=3, hidden=2)
    html = r._repr_html_()
    assert "<table" in html and html.count("<tr>") == len(r.tensors) + 2  # header, total
    assert str(r.total) in html
    md = r._repr_markdown_()
    assert "| tensor | shape | count |" in md and "3/4" in md  # the lecture comparison
    assert str(r) == cli("params", "--cell", "gru", "--convention", "pytorch", "--input", "3",
                         "--hidden", "2")


def test_count_closed_form_repr_and_bad_options():
    assert repr(count_params("rnn")) == "<parameters of RNN: m**2 + m*n + m>"
    with pytest.raises(UserError, match="--cell"):
        count_params("lstn")
    with pytest.raises(UserError, match="not an option"):
        count_params("lstm", colour="red")


# --- equations ----------------------------------------------------------------------

def test_equations_repr_is_short_and_latex_has_title_and_legend():
    eqs = equations("lstm", peephole="diagonal")
    assert short(repr(eqs), 1, 200), repr(eqs)
    title = cli("equations", "--cell", "lstm", "--peephole", "diagonal").splitlines()[0]
    latex = eqs._repr_latex_()
    assert latex.startswith(title + "\n$$\\begin{aligned}")
    assert "\\sigma(x) = 1/(1+e^{-x})" in latex and "\\odot" in latex
    assert eqs._repr_markdown_() == cli("equations", "--cell", "lstm", "--peephole", "diagonal",
                                        "--format", "markdown")


# --- trace and grad -----------------------------------------------------------------

def test_trace_shows_the_lecture_table():
    t = trace(example="lecture-worked", gates="ideal")
    assert short(repr(t), 1, 200)
    html = t._repr_html_()
    assert "<table" in html and html.count("<tr>") == 6  # header + 5 steps
    # The lecture's hand-worked memory and output column by column.
    assert [int(r["c"][0]) for r in t.sequences[0]] == [3, 7, 7, 7, 0]
    assert [int(r["y"][0]) for r in t.sequences[0]] == [0, 0, 0, 7, 0]
    assert str(t) == cli("trace", "--example", "lecture-worked", "--gates", "ideal")
    assert cli("trace", "--example", "lecture-worked", "--gates", "ideal", "--format",
               "markdown") in t._repr_markdown_()


def test_trace_reads_data_as_the_cli_reads_files(tmp_path):
    weights = {"cell": {"cell": "rnn"}, "params": {"W": [[2.0]], "U": [[0.5]], "b": [0.0]}}
    inputs = [[1.0], [0.0]]
    (tmp_path / "w.json").write_text(json.dumps(weights))
    (tmp_path / "x.json").write_text(json.dumps(inputs))
    from_data = trace(weights=weights, inputs=inputs, gates="float")
    from_files = trace(weights=str(tmp_path / "w.json"), inputs=tmp_path / "x.json",
                       gates="float")
    assert str(from_data) == str(from_files)
    import math

    h1 = math.tanh(2.0)
    assert from_data.sequences[0][1]["h"][0] == pytest.approx(math.tanh(0.5 * h1))


def test_grad_matches_hand_derivation_and_displays():
    g = grad(example="lecture-worked", gates="ideal")
    # y_4 = c_4 = x1 at the two writes (steps 1 and 2): dL/dW_z = [3,1,0] + [4,1,0].
    assert g.gradients["W_z"] == [[7, 2, 0]] and g["loss"] == 7
    assert short(repr(g), 1, 300) and "<table" in g._repr_html_()
    assert str(g) == cli("grad", "--example", "lecture-worked", "--gates", "ideal")
    program = grad(cell="gru", symbolic=True, steps=2)
    assert program == cli("grad", "--cell", "gru", "--symbolic", "--steps", "2")
    assert short(repr(program), 1, 200)


# --- check --------------------------------------------------------------------------

def test_check_has_the_json_fields_and_displays_verdict_feedback_reading(tmp_path):
    key = worksheet().key
    (tmp_path / "key.json").write_text(json.dumps(key))
    r = check(key=tmp_path / "key.json", question="trace.t5.c", answer="7")
    expected = json.loads(cli("check", "--key", str(tmp_path / "key.json"), "--question",
                              "trace.t5.c", "--answer", "7", "--format", "json"))
    assert r.to_dict() == expected
    assert (r.correct, r.score, r.misconception) == (False, 0.0, "no_reset")
    mistake = next(m for m in key["questions"] if m["id"] == "trace.t5.c")["misconceptions"]
    feedback = next(m["feedback"] for m in mistake if m["id"] == "no_reset")
    html = r._repr_html_()
    assert "✗ wrong" in html and feedback.split("(")[0] in html and "read as" in html
    assert short(repr(r), 1, 400)
    assert check("trace.t5.c", 0, key=key).correct  # a dict key, a number answer


def test_check_expected_and_unanswered():
    r = check(expected="4*m*(n+m+1)", answer="4m^2+4mn+4m", vars="m,n")
    assert r.correct and r.parsed
    assert check(expected="0.75", answer="0.7", tol="rel=0.1").correct
    assert check(expected="0.75", answer="0.7", tol={"rel": 0.01}).correct is False
    waiting = check("trace.t2.c", ..., key=worksheet().key)
    assert not waiting.answered and "not answered yet" in repr(waiting)
    with pytest.raises(UserError, match="either"):
        check(answer="1")


def test_practice_gives_the_next_hint_after_each_wrong_answer():
    key = worksheet().key
    question = next(q for q in key["questions"] if q["id"] == "trace.t2.c")
    question["hints"] = ["first: the rule", "second: the method"]
    practice = lstm_sym.Practice(key)
    assert practice("trace.t2.c", 4).hint == "hint 1 of 2: first: the rule"
    assert practice("trace.t2.c", 4).hint == "hint 2 of 2: second: the method"
    assert practice("trace.t2.c", 4).hint == "hint 2 of 2: second: the method"
    assert practice("trace.t2.c", 7).hint is None
    assert check("trace.t2.c", 7, key=key, hint=1).hint == "hint 1 of 2: first: the rule"


# --- worksheet ----------------------------------------------------------------------

def test_worksheet_is_built_in_memory_and_writes_what_the_command_writes(tmp_path):
    h = worksheet(seed=5, format="md")
    assert list(tmp_path.iterdir()) == []
    assert short(repr(h), 1, 300) and "<table" in h._repr_html_()
    assert h.write(tmp_path / "api") == 0
    assert main(["worksheet", "--seed", "5", "--format", "md", "--out",
                 str(tmp_path / "cli")]) == 0
    for name in ("worksheet.md", "solutions.md", "key.json"):
        assert (tmp_path / "api" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()
    assert h.markdown() == (tmp_path / "cli" / "worksheet.md").read_text(encoding="utf-8")
    with pytest.raises(UserError, match="--lang"):
        worksheet(lang="fr")


def test_practice_reads_the_key_beside_when_none_is_embedded(tmp_path):
    key = worksheet().key
    (tmp_path / "key.json").write_text(json.dumps(key), encoding="utf-8")
    practice = lstm_sym.Practice.load(embedded=None, beside=tmp_path / "key.json")
    assert practice("trace.t2.c", 7).correct and not practice("trace.t2.c", 3).correct
    with pytest.raises(UserError, match="no key embedded"):
        lstm_sym.Practice.load(embedded="", beside=tmp_path / "missing.json")
    with pytest.raises(UserError, match="embedded key"):
        lstm_sym.Practice.load(embedded="not base64!")


def test_a_class_in_memory_writes_the_teacher_layout_and_check_reads_it(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns1,Ada\ns2,Lin\n", encoding="utf-8")
    h = worksheet(students=roster, seed=4, format="md")
    assert set(h.keys) == {"s1", "s2"} and "for 2 students" in repr(h)
    assert h.write(tmp_path / "class") == 0
    assert (tmp_path / "class" / "teacher" / "s1" / "key.json").is_file()
    answer = next(q["answer"] for q in h.keys["s2"]["questions"] if q["id"] == "trace.t2.c")
    r = check(key=tmp_path / "class", student="s2", question="trace.t2.c", answer=answer)
    assert r.correct
