"""Worksheets for every cell: a teacher's PyTorch weights give PyTorch's numbers; clean random
variants of every cell kind are saturated, small, idealisable and show the cell's behaviours.

Expected values come from PyTorch (tests/reference/torch_worksheets.json, written by
gen_torch_worksheets.py, and live where torch is installed) and from plain NumPy
re-implementations of each cell's documented equations written here, never from the code
under test.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from conftest import load_reference

from lstm_sym.cli.app import main
from lstm_sym.errors import UserError
from lstm_sym.exercises import Student, build_set, class_variants, trace
from lstm_sym.exercises.anatomy import anatomy
from lstm_sym.exercises.clean import draw_clean
from lstm_sym.exercises.variant import draw_variant, problems, repeat_problems

CASES = load_reference("torch_worksheets.json")
# PyTorch's documented names for the quantities our cells call z_r, u, c, ...
TORCH_NAMES = {
    "GRU": {"z_r": "r_pre", "z_u": "z_pre", "r": "r", "u": "z", "z_n": "n_pre", "n": "n",
            "h": "h"},
    "LSTM": {"z": "g_pre", "z_i": "i_pre", "z_f": "f_pre", "z_o": "o_pre", "i": "i", "f": "f",
             "o": "o", "c": "c", "h": "h"},
}


def _values(text: str) -> list[float]:
    return [float(v) for v in text.strip("[]").split(",")]


def _write_case(case: dict, folder: Path, weights: dict | None = None) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {"weights": weights or case["state_dict"], "inputs": case["inputs"]}
    for name in ("h0", "c0"):
        if name in case:
            files[name] = case[name]
    args = []
    for name, data in files.items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(data))
        args += [f"--{name}", str(path)]
    return args


def _sheet(case: dict, tmp_path: Path, fmt: str = "md") -> tuple[dict, Path]:
    out = tmp_path / "out"
    assert main(["worksheet", *_write_case(case, tmp_path / "in"), "--format", fmt,
                 "--out", str(out)]) == 0
    return json.loads((out / "key.json").read_text()), out


def _assert_torch_values(key: dict, module: str, steps: list[dict]) -> None:
    names = TORCH_NAMES[module]
    trace = {q["id"]: q for q in key["questions"] if q["family"] == "trace"}
    expected = {f"trace.t{t}.{ours}" for t in range(1, len(steps) + 1) for ours in names}
    assert set(trace) == expected  # one question per equation and step, every step
    for t, step in enumerate(steps, 1):
        for ours, theirs in names.items():
            q = trace[f"trace.t{t}.{ours}"]
            assert q["worked"] == (t == 1)
            got = _values(q["answer"])
            assert len(got) == len(step[theirs])
            for a, b in zip(got, step[theirs]):
                assert a == pytest.approx(b, rel=1e-10, abs=1e-12), (q["id"], a, b)
            digits = [d for d in q["answer"].split(",")[0].lstrip("[-0.").split("e")[0]
                      if d.isdigit()]
            assert len(digits) >= 10 or got[0] == round(got[0], 6), q["answer"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_worksheet_on_pytorch_weights_equals_pytorch(case, tmp_path):
    key, out = _sheet(case, tmp_path)
    _assert_torch_values(key, case["module"], case["steps"])
    assert key["exercise"]["ideal"] is False and key["exercise"]["worked"] == [1]
    sheet = (out / "worksheet.md").read_text()
    # The sheet shows what the questions need: the weights in the model's notation (4
    # decimals) and the input sequence.
    first = case["state_dict"]["weight_ih_l0"][0][0]
    assert f"{first:.4f}" in sheet
    w = "W_{r}" if case["module"] == "GRU" else "W_{i}"
    assert w in sheet and "b^{h}" in sheet
    assert "significant figures" in sheet
    for value in case["inputs"][1]:
        assert f"{value:.4f}" in sheet  # inputs printed as the weights, to 4 decimals


def _numpy_step(module: str, sd: dict, x, h, c):
    """PyTorch's documented equations in NumPy (gate order i, f, g, o and r, z, n)."""
    w_ih, w_hh = np.array(sd["weight_ih_l0"]), np.array(sd["weight_hh_l0"])
    b_ih, b_hh = np.array(sd["bias_ih_l0"]), np.array(sd["bias_hh_l0"])
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    gi, gh = w_ih @ x + b_ih, w_hh @ h + b_hh
    H = len(h)
    if module == "GRU":
        r, z = sig(gi[:H] + gh[:H]), sig(gi[H:2 * H] + gh[H:2 * H])
        n = np.tanh(gi[2 * H:] + r * gh[2 * H:])
        return {"h": (1 - z) * n + z * h}, (1 - z) * n + z * h, c
    pre = gi + gh
    i, f, g, o = sig(pre[:H]), sig(pre[H:2 * H]), np.tanh(pre[2 * H:3 * H]), sig(pre[3 * H:])
    c = f * c + i * g
    return {"c": c, "h": o * np.tanh(c)}, o * np.tanh(c), c


@pytest.mark.parametrize("case", CASES[:2], ids=[c["name"] for c in CASES[:2]])
def test_tolerance_accepts_answers_from_the_printed_weights(case, tmp_path):
    # A student works from the sheet's weights (4 decimals) and rounds to 4 significant
    # figures: the key's tolerance must accept the states they get.
    key, _ = _sheet(case, tmp_path)
    sd = {k: np.round(np.array(v), 4).tolist() for k, v in case["state_dict"].items()}
    m = case["config"]["hidden_size"]
    h, c = np.array(case.get("h0", [0.0] * m)), np.array(case.get("c0", [0.0] * m))
    questions = {q["id"]: q for q in key["questions"]}
    for t, x in enumerate(case["inputs"], 1):
        values, h, c = _numpy_step(case["module"], sd, np.array(x), h, c)
        for name, got in values.items():
            q = questions[f"trace.t{t}.{name}"]
            tol = q["tolerance"]
            for student, right in zip(got, _values(q["answer"])):
                typed = float(f"{student:.4g}")
                assert abs(typed - right) <= tol["abs"] + tol["rel"] * abs(right) + 1e-15, \
                    (q["id"], typed, right, tol)


@pytest.mark.parametrize("case", CASES[:2], ids=[c["name"] for c in CASES[:2]])
def test_worksheet_on_pytorch_weights_live(case, tmp_path):
    torch = pytest.importorskip("torch")
    module = getattr(torch.nn, case["module"])(case["config"]["input_size"],
                                               case["config"]["hidden_size"],
                                               batch_first=True).double()
    module.load_state_dict({k: torch.tensor(v, dtype=torch.float64)
                            for k, v in case["state_dict"].items()})
    x = torch.tensor(case["inputs"], dtype=torch.float64)[None]
    h0 = torch.tensor(case["h0"], dtype=torch.float64)[None, None]
    with torch.no_grad():
        if case["module"] == "GRU":
            out, _ = module(x, h0)
        else:
            c0 = torch.tensor(case["c0"], dtype=torch.float64)[None, None]
            out, _ = module(x, (h0, c0))
    key, _ = _sheet(case, tmp_path)
    for t, row in enumerate(out[0].tolist(), 1):
        answer = _values(next(q["answer"] for q in key["questions"]
                              if q["id"] == f"trace.t{t}.h"))
        assert answer == pytest.approx(row, rel=1e-10, abs=1e-12)


def test_worksheet_cli_errors_are_one_line(tmp_path, capsys):
    case = CASES[0]
    args = _write_case(case, tmp_path)
    assert main(["worksheet", *args, "--worked", "9", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--worked" in err[0] and "9" in err[0]
    assert not (tmp_path / "o").exists()
    assert main(["worksheet", "--cell", "gru", "--peephole", "diagonal",
                 "--out", str(tmp_path / "p")]) == 2
    assert "--peephole" in capsys.readouterr().err


# --- clean random variants of every cell ------------------------------------------------


def _sig(v):
    return 1 / (1 + math.exp(-v))


def _independent_trace(kind: str, w: dict, xs) -> list[dict[str, np.ndarray]]:
    """Each cell's textbook equations in float64 NumPy, one bias per gate (our names)."""
    A = {k: np.array(v, dtype=float) for k, v in w.items()}
    m = len(A["b" if kind == "rnn" else ("b_r" if kind == "gru" else "b_z")])
    h, c = np.zeros(m), np.zeros(m)
    sig = np.vectorize(_sig)
    rows = []
    for x in np.array(xs, dtype=float):
        if kind == "rnn":
            z = A["W"] @ x + A["U"] @ h + A["b"]
            row = {"z": z, "h": np.tanh(z), "pre": [z]}
        elif kind == "gru":
            z_r = A["W_r"] @ x + A["U_r"] @ h + A["b_r"]
            z_u = A["W_u"] @ x + A["U_u"] @ h + A["b_u"]
            r, u = sig(z_r), sig(z_u)
            z_n = A["W_n"] @ x + A["b_n"] + r * (A["U_n"] @ h)
            n = np.tanh(z_n)
            row = {"z_r": z_r, "z_u": z_u, "r": r, "u": u, "z_n": z_n, "n": n,
                   "h": (1 - u) * n + u * h, "pre": [z_r, z_u, z_n], "keep": ("u", h)}
        else:
            pre = {g: A[f"W_{g}"] @ x + A[f"U_{g}"] @ h + A[f"b_{g}"] for g in "zifo"}
            i, f, o = sig(pre["i"]), sig(pre["f"]), sig(pre["o"])
            c_new = np.tanh(pre["z"]) * i + c * f
            row = {"z": pre["z"], "z_i": pre["i"], "z_f": pre["f"], "z_o": pre["o"], "i": i,
                   "f": f, "o": o, "c": c_new, "h": np.tanh(c_new) * o,
                   "pre": list(pre.values()), "keep": ("f", c)}
            c = c_new
        h = row["h"]
        rows.append(row)
    return rows


SEEDS = range(100)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_clean_variants_of_every_cell(kind):
    for seed in SEEDS:
        hidden = 1 + seed % 2
        v = draw_clean({"cell": kind}, seed, hidden=hidden)
        assert not repeat_problems(v.inputs)
        assert len({tuple(x) for x in v.inputs}) == len(v.inputs)
        rows = _independent_trace(kind, v.weights, v.inputs)
        saw = {"keep": False, "replace": False, "flip": False}
        for t, row in enumerate(rows, 1):
            for pre in row["pre"]:  # saturated: the ideal value at least 10 from 0
                assert np.all(np.abs(np.rint(pre)) >= 10), (kind, seed, t)
                assert np.all(np.abs(pre) >= 9.5), (kind, seed, t)
            for name in row:  # ideal (0/1, ±1, small integers) and exact within 0.01
                if name not in ("pre", "keep") and not name.startswith("z"):
                    assert np.all(np.abs(row[name] - np.rint(row[name])) <= 0.01), \
                        (kind, seed, t, name)
            if "c" in row:
                assert np.all(np.abs(row["c"]) <= 20)
            if "keep" in row:
                gate, prev = row["keep"]
                g = np.rint(row[gate])
                new = np.rint(row["c" if kind == "lstm" else "h"])
                saw["keep"] |= bool(np.any((g == 1) & (np.rint(prev) != 0)))
                saw["replace"] |= bool(np.any((g == 0) & (np.rint(prev) != 0)
                                              & (new != np.rint(prev))))
            if t > 1:
                saw["flip"] |= bool(np.any(np.rint(row["h"]) * np.rint(rows[t - 2]["h"]) < 0))
        if kind == "rnn":
            assert saw["flip"], seed  # a saturating step that changes h
        else:
            assert saw["keep"] and saw["replace"], (kind, seed, saw)
        if kind == "lstm":  # a read: the output gate open on a non-empty memory
            assert any(np.any((np.rint(r["o"]) == 1) & (np.rint(r["c"]) != 0)) for r in rows)
        # The key's idealised answers are the independent values rounded.
        answers = {q.id: q.answer for q in trace.generate(v).questions}
        for t, row in enumerate(rows, 1):
            for q in anatomy(v.model.cell).quantities:
                answer = _values(answers[f"trace.t{t}.{q.name}"])
                assert answer == pytest.approx(np.rint(row[q.name]).tolist()), (seed, t, q.name)


def test_no_step_repeats_over_200_seeds_and_a_roster():
    # Issue 12: no exercise step repeats a worked step's input, no two steps are equal, and
    # the worked steps (1 and 4) still show a write and a read.
    drawn = [draw_variant("lecture-worked", seed) for seed in range(200)]
    drawn += [draw_variant("lecture-worked", 7, Student(f"s{k:03d}", "x")) for k in range(100)]
    for v in drawn:
        assert len(set(v.inputs)) == len(v.inputs), v.inputs
        assert not problems(v)
        rows = v.trace("ideal")
        worked = [rows[t - 1] for t in v.worked]
        assert any(r["i"] == 1 and r["z"] != 0 for r in worked)
        assert any(r["o"] == 1 and r["c"] != 0 for r in worked)


def test_roster_of_another_cell_gives_distinct_variants():
    sets = class_variants(5, [Student(f"s{k}", "x") for k in range(6)],
                          cell_options={"cell": "gru"}, hidden=2)
    traces = {sid: s.answers("trace") for sid, s in sets.items()}
    assert len(set(traces.values())) == 6
    assert all(s.variant.model.sizes["hidden"] == 2 for s in sets.values())


def test_default_worked_is_step_one_for_other_cells():
    s = build_set(seed=2, cell_options={"cell": "rnn"})
    assert [q.worked for q in s.questions if q.id.startswith("trace.t1.")] == [True, True]
    assert not any(q.worked for q in s.questions if q.id.startswith("trace.t2."))
    with pytest.raises(UserError, match="--worked"):
        build_set(seed=2, cell_options={"cell": "rnn"}, worked=(6,))


@pytest.mark.parametrize("options", [None, {"cell": "gru"}, {"cell": "lstm"}])
def test_box_numbers_in_prompts_match_the_sheets_boxes(options):
    import re

    from lstm_sym.handouts.content import build_worksheet
    from lstm_sym.handouts.layout import box_numbers

    s = build_set(seed=None if options is None else 3, cell_options=options)
    shown = box_numbers(build_worksheet(s, "en"))
    asked = [q for q in s.questions if q.family == "trace" and not q.worked]
    assert asked and set(shown) >= {q.id for q in asked}
    for q in asked:
        assert re.search(rf"box {shown[q.id]}\b", q.prompt.render("en")), q.id


def _renamed(cell, names: dict[str, str]):
    """The same cell with its gates (and their parameters) under other names."""
    import sympy as sp

    from lstm_sym.model.cells import Cell, Equation, Param, State

    def new(name: str) -> str:
        head, _, sub = name.partition("_")
        if name in names:
            return names[name]
        return f"{head}_{names.get(sub, sub)}" if sub else name

    syms = {}

    def sym(s):
        if s not in syms:
            syms[s] = sp.MatrixSymbol(new(s.name), *s.shape)
        return syms[s]

    def swap(expr):
        return expr.xreplace({s: sym(s) for s in sp.preorder_traversal(expr)
                              if isinstance(s, sp.MatrixSymbol)})

    params = tuple(Param(new(p.name), sym(p.symbol), p.role, names.get(p.gate, p.gate))
                   for p in cell.params)
    eqs = tuple(Equation(sym(e.lhs), swap(e.rhs), e.kind) for e in cell.equations)
    states = tuple(State(s.name, sym(s.prev), sym(s.new)) for s in cell.states)
    return Cell(cell.kind, cell.title, cell.options, cell.input, params, eqs, states,
                sym(cell.output))


def test_a_cell_with_other_gate_names_gets_a_key_and_sheet_with_those_names(monkeypatch):
    from lstm_sym.exercises import cell as cell_section
    from lstm_sym.exercises import variant as variant_module
    from lstm_sym.model.cells import build_cell

    other = _renamed(build_cell("gru"), {"r": "a", "u": "k", "n": "q"})
    monkeypatch.setattr(variant_module, "_cell", lambda options: other)
    v = draw_clean({"cell": "gru"}, 4, hidden=2)
    assert set(v.weights) == {"W_a", "U_a", "b_a", "W_k", "U_k", "b_k", "W_q", "U_q", "b_q"}
    ids = {q.id for q in trace.generate(v).questions}
    assert ids == {f"trace.t{t}.{n}" for t in range(1, 6)
                   for n in ("z_a", "z_k", "a", "k", "z_q", "q", "h")}
    # What the sheet shows: the table's columns, the equations and the weights.
    header = trace.generate(v).table.header
    assert header == ("t", "x", "z_{a}", "z_{k}", "a", "k", "z_{q}", "q", "h_{t}")
    section = cell_section.generate(v)
    assert r"W_{k}" in section.math and r"\sigma(z_{a})" in section.math
    assert "W_{r}" not in section.math and "z_{u}" not in section.math


@pytest.mark.skipif(any(__import__("shutil").which(p) is None
                        for p in ("latexmk", "pdflatex", "xelatex", "pdftotext")),
                    reason="TeX (latexmk, pdflatex, xelatex) or pdftotext is not installed")
def test_sheets_of_every_cell_kind_compile_to_pdf(tmp_path):
    import subprocess

    from lstm_sym.exercises.exercise_set import from_weights
    from lstm_sym.handouts.content import build_worksheet
    from lstm_sym.handouts.pdf import PdfJob, compile_many
    from lstm_sym.handouts.render import render
    from lstm_sym.numeric.weights import model_from_torch

    case = CASES[1]  # the LSTM with two hidden units, on PyTorch's weights
    own = from_weights(model_from_torch(case["state_dict"]), case["inputs"], case["h0"],
                       case["c0"])
    sets = {"gru-en": (build_set(seed=3, cell_options={"cell": "gru"}, hidden=2), "en"),
            "rnn-zh": (build_set(seed=4, cell_options={"cell": "rnn"}), "zh"),
            "lstm-peephole-zh": (build_set(seed=5, cell_options={"cell": "lstm",
                                                                 "peephole": "diagonal"}), "zh"),
            "lstm-weights-en": (own, "en")}
    jobs = []
    for name, (exset, lang) in sets.items():
        ws = build_worksheet(exset, lang)
        jobs += [PdfJob(render(ws, "tex"), tmp_path / f"{name}-solutions.pdf"),
                 PdfJob(render(ws.student_edition(), "tex"), tmp_path / f"{name}-worksheet.pdf")]
    results = compile_many(jobs)
    assert all(r.ok for r in results), [str(r.error) for r in results if not r.ok]
    text = subprocess.run(["pdftotext", str(tmp_path / "gru-en-worksheet.pdf"), "-"],
                          capture_output=True, check=True).stdout.decode()
    assert "GRU" in text and "Trace the cell" in text
