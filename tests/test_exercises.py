"""Exercises: the lecture's numbers, every family's answers from independent sources, the
worksheet content, determinism and class variants.

Expected values come from the lecture text (typed here from the notes), hand-derived
closed forms, PyTorch's own parameter counts (tests/reference), plain-math sigmoids and
finite differences — never from the code under test.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
import sympy as sp
from conftest import load_reference

from lstm_sym.errors import UserError
from lstm_sym.exercises import (
    Student,
    build_set,
    class_variants,
    from_key,
    lecture_variant,
    param_count,
)
from lstm_sym.exercises import exercise_set as exset_module
from lstm_sym.exercises import gru as gru_family
from lstm_sym.exercises.gradient import dy_dc
from lstm_sym.handouts.content import build_worksheet
from lstm_sym.i18n import catalogue
from lstm_sym.key import key_bytes
from lstm_sym.numeric.examples import example
from lstm_sym.numeric.run import run

FAMILIES = ("trace", "memory", "params", "shapes", "gates", "gradient", "gru")


@pytest.fixture(scope="module")
def lecture():
    return build_set()


def answer(s, qid):
    return s.question(qid).answer


def as_number(text):
    return Fraction(text) if "e" not in text else Fraction(float(text))


# --- the lecture -----------------------------------------------------------------------


def test_worked_steps_reproduce_the_lecture(lecture):
    # Step 1: "0*1 + 3 = 3 ... the output gate is closed, so the output is 0".
    # Step 4: "the output gate (100 - 10 = 90) opens, the whole output is 7".
    for t, c, y in ((1, 3, 0), (4, 7, 7)):
        assert lecture.question(f"trace.t{t}.c").worked
        assert (answer(lecture, f"trace.t{t}.c"), answer(lecture, f"trace.t{t}.y")) == (str(c),
                                                                                        str(y))
    assert [answer(lecture, f"trace.t1.{k}") for k in ("z", "z_i", "z_f", "z_o")] == \
        ["3", str(1 * 100 - 10), str(1 * 100 + 10), str(-10)]
    assert [answer(lecture, f"trace.t4.{k}") for k in ("z_i", "z_f", "z_o")] == \
        [str(0 * 100 - 10), str(0 * 100 + 10), str(100 - 10)]


def test_remaining_three_steps_are_questions(lecture):
    # By hand: [4,1,0] writes 4 onto 3; [2,0,0] keeps 7; [3,-1,0] resets; none is read.
    for t, c, y in ((2, 7, 0), (3, 7, 0), (5, 0, 0)):
        q = lecture.question(f"trace.t{t}.c")
        assert not q.worked and q.answer == str(c)
        assert answer(lecture, f"trace.t{t}.y") == str(y)
    gates = {t: [answer(lecture, f"trace.t{t}.{g}") for g in "ifo"] for t in (2, 3, 5)}
    assert gates == {2: ["1", "1", "0"], 3: ["0", "1", "0"], 5: ["0", "0", "0"]}


def test_exact_values_beside_ideal_ones(lecture):
    def sig(x):
        return 1 / (1 + mpmath.exp(-x))
    with mpmath.workdps(50):
        # c' = z σ(z_i) + c σ(z_f) from the lecture's pre-activations; step 3 keeps 7 through
        # a forget gate at σ(10) and lets z = 2 leak in at σ(-10).
        c1 = 3 * sig(90)
        c2 = 4 * sig(90) + c1 * sig(110)
        c3 = 2 * sig(-10) + c2 * sig(10)
    q = lecture.question("trace.t3.c")
    assert abs(mpmath.mpf(q.exact) - c3) < 1e-10
    assert abs(float(q.exact) - 7) < 0.01  # ideal and exact agree within the tolerance
    assert q.tolerance.abs == 0.01
    # The exact gate value of a closed input gate is σ(-10), not 0.
    gate = lecture.question("trace.t3.i")
    assert float(gate.exact) == pytest.approx(1 / (1 + math.exp(10)), rel=1e-9)
    assert gate.answer == "0"


def test_sigma_90_is_shown_computed(lecture):
    step = lecture.question("trace.t1.i").solution[0]
    gap = 1 / (1 + mpmath.exp(90))  # 1 − σ(90) without cancellation
    mantissa = mpmath.nstr(gap, 4).split("e")[0]
    assert "90" in step.math and mantissa in step.math and "10^{-40}" in step.math


def test_memory_puzzle_matches_the_lecture(lecture):
    # "3 is stored ... 4 is stored, so 7 ... 7 is output ... washed to 0 ... 6 stored and output"
    assert answer(lecture, "memory.c") == "[0, 3, 3, 7, 7, 7, 0, 6, 6]"
    assert answer(lecture, "memory.y") == "[0, 0, 0, 0, 0, 7, 0, 0, 6]"
    mcs = {m.id: m.answer for m in lecture.question("memory.y").misconceptions}
    assert mcs["output_always_open"] == "[0, 3, 3, 7, 7, 7, 0, 6, 6]"


def test_every_family_has_questions(lecture):
    families = {q.family for q in lecture.questions}
    assert set(FAMILIES) <= families
    ids = [q.id for q in lecture.questions]
    assert len(ids) == len(set(ids))


def test_worked_option_changes_what_is_shown():
    s = build_set(worked=(2,))
    assert s.question("trace.t2.c").worked and not s.question("trace.t1.c").worked
    with pytest.raises(UserError, match="--worked"):
        build_set(worked=(9,))
    assert all(q.worked for q in build_set(worked=(1, 2, 3, 4, 5)).questions
               if q.family == "trace")  # a fully worked example is allowed


# --- parameter counts, shapes, gates, GRU: closed forms by hand --------------------------


def test_parameter_counts_by_hand(lecture):
    n, m = 3, 2  # the lecture's 3-d input and two-cell layer
    assert answer(lecture, "params.lecture_cell") == str(4 * 1 * (3 + 1))
    assert sp.sympify(answer(lecture, "params.ratio_ffn")) == 4
    nn, mm = sp.symbols("n m")
    assert sp.expand(sp.sympify(answer(lecture, "params.lstm_formula")) - 4 * mm * (nn + mm + 1)) == 0
    assert answer(lecture, "params.lstm_total") == str(4 * m * (n + m + 1))
    assert answer(lecture, "params.pytorch_total") == str(4 * m * (n + m + 2))
    assert answer(lecture, "params.stacked") == str(4 * m * (n + m + 2) + 4 * m * (m + m + 2))
    both = 2 * 4 * m * (n + m + 2) + 2 * 4 * m * (2 * m + m + 2)
    assert answer(lecture, "params.bidirectional") == str(both)
    assert answer(lecture, "params.peephole") == str(4 * m * (n + m + m + 1))
    mcs = {mc.id: mc for mc in lecture.question("params.lstm_formula").misconceptions}
    assert sp.expand(sp.sympify(mcs["double_bias"].answer) - 4 * mm * (nn + mm + 2)) == 0
    assert "PyTorch" in mcs["double_bias"].feedback.render("en")


def test_parameter_counts_match_pytorch():
    # PyTorch's own counts for input 3, hidden 10 (tests/reference/torch_params.json).
    torch = {(c["module"], c["num_layers"], c["bidirectional"]): c["total"]
             for c in load_reference("torch_params.json")
             if c["input_size"] == 3 and c["hidden_size"] == 10 and c["bias"]
             and c["proj_size"] == 0 and c["module"] in ("LSTM", "GRU")}
    v = replace(lecture_variant(), sizes={"n": 3, "m": 10})
    params = {q.id: q.answer for q in param_count.generate(v).questions}
    assert params["params.pytorch_total"] == str(torch[("LSTM", 1, False)])
    assert params["params.stacked"] == str(torch[("LSTM", 2, False)])
    assert params["params.bidirectional"] == str(torch[("LSTM", 2, True)])
    gru = {q.id: q.answer for q in gru_family.generate(v).questions}
    assert gru["gru.total"] == str(torch[("GRU", 1, False)])


def test_gru_ratio_and_the_notes_claim(lecture):
    # Three blocks against four: 3/4; 1/4 fewer; the LSTM has 1/3 more.
    assert sp.sympify(answer(lecture, "gru.ratio")) == sp.Rational(3, 4)
    assert sp.sympify(answer(lecture, "gru.fewer")) == sp.Rational(1, 4)
    assert sp.sympify(answer(lecture, "gru.more")) == sp.Rational(1, 3)
    notes = {m.id: m.answer for m in lecture.question("gru.fewer").misconceptions}
    assert sp.sympify(notes["notes_fewer"]) == sp.Rational(1, 3)  # the seed's "1/3 fewer"
    (gru,) = [ex for ex in lecture.exercises if ex.family == "gru"]
    text = " ".join(note.render("en") for note in gru.notes)  # the slips note names it once
    assert "fewer" in text and r"\frac{1}{3}" in text and r"\frac{1}{4}" in text
    assert answer(lecture, "gru.gates") == "2" and answer(lecture, "gru.keep_gate") == "u"


def test_shapes_by_hand(lecture):
    n, m = 3, 2
    expected = {"W_z": [m, n], "b_i": [m, 1], "z": [m, 1], "c_prev": [m, 1], "U_f": [m, m],
                "W_f_stacked": [m, n + m]}
    for name, shape in expected.items():
        assert json.loads(answer(lecture, f"shapes.{name}")) == shape
    q = lecture.question("shapes.weight_ih")
    assert q.answer == "[4*m, n]" and set(q.variables) == {"m", "n"}


def test_gate_design_by_hand(lecture):
    assert answer(lecture, "gates.rest") == "[0, 1, 0]"  # σ(-10), σ(10), σ(-10)
    assert answer(lecture, "gates.i_bias") == "-10" and answer(lecture, "gates.f_bias") == "10"
    assert answer(lecture, "gates.opener") == "x3"
    assert float(answer(lecture, "gates.half_open")) == pytest.approx(10 / 100)
    assert float(answer(lecture, "gates.leak")) == pytest.approx(1 / (1 + math.exp(10)), rel=1e-5)


# --- gradients: symbolic derivative and finite differences -------------------------------


def test_local_derivative_is_the_forget_gate(lecture):
    x2, c, z = sp.symbols("x2 c z")
    def sig(e):
        return 1 / (1 + sp.exp(-e))
    by_hand = sp.diff(z * sig(100 * x2 - 10) + c * sig(100 * x2 + 10), c)
    got = sp.sympify(answer(lecture, "gradient.local"),
                     locals={"sigma": sp.Lambda(sp.Symbol("u"), sig(sp.Symbol("u")))})
    assert sp.simplify(got - by_hand) == 0


def _finite_difference(model, inputs, k, t, what, h=0.5):
    """d(value at step t)/d(memory after step k) by a central difference from runs that start
    at c_k = ±h (the gates read x only, so this is exact up to the 50-digit arithmetic)."""
    seq = [list(s) for s in inputs[k:t]]
    out = []
    for c0 in (h, -h):
        trace = run(model, seq, mode="exact", c0=[c0], dps=50)
        out.append(trace.layers[0].steps[-1]["c_new" if what == "c" else "y"][0, 0])
    with mpmath.workdps(50):
        return (out[0] - out[1]) / (2 * mpmath.mpf(h))


def test_gradient_answers_match_finite_differences(lecture):
    v = lecture.variant
    keep = lecture.question("gradient.keep")  # ∂y_4/∂c_1 in the lecture trace
    fd = _finite_difference(v.model, v.inputs, 1, 4, "y")
    assert abs(mpmath.mpf(keep.exact) - fd) < 1e-9
    with mpmath.workdps(50):
        def sig(x):
            return 1 / (1 + mpmath.exp(-x))
        assert abs(fd - sig(90) * sig(110) * sig(10) * sig(10)) < 1e-9  # o_4 f_2 f_3 f_4
    reset = lecture.question("gradient.reset")  # ∂c_5/∂c_1 across the reset
    fd = _finite_difference(v.model, v.inputs, 1, 5, "c")
    assert abs(mpmath.mpf(reset.exact) - fd) < 1e-45
    assert reset.answer == "0" and keep.answer == "1"


@pytest.mark.parametrize("seed", [3, 11])
def test_variant_gradients_match_finite_differences(seed):
    s = build_set(seed=seed)
    v = s.variant
    text = s.question("gradient.keep").prompt.params_dict()
    k, t = text["k"], text["t"]
    assert abs(dy_dc(v.model, v.inputs, k, t, "exact")
               - _finite_difference(v.model, v.inputs, k, t, "y")) < 1e-9


# --- the worksheet -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_worksheet_sections_and_table(lecture, lang):
    ws = build_worksheet(lecture, lang)
    assert ws.edition == "solutions" and ws.lang == lang
    assert [s.family for s in ws.sections] == ["cell", *FAMILIES]
    cell = ws.sections[0]
    assert cell.math.count(r" \\ ") == 5 and "&=" in cell.math
    assert cell.diagram.inputs == {"z": "x_{1}", "z_i": "100 x_{2} - 10",
                                   "z_f": "100 x_{2} + 10", "z_o": "100 x_{3} - 10"}
    trace = ws.sections[1]
    # The columns are the cell's equations, named as the model prints them.
    assert trace.table.header == ("t", "x", "z", "z_{i}", "z_{f}", "z_{o}", "i", "f", "o", "c'",
                                  "y")
    assert [row[9].text for row in trace.table.rows] == ["$3$", "$7$", "$7$", "$7$", "$0$"]
    assert set(trace.plot.series) == {"c", "y", "i", "f", "o"}
    assert trace.plot.series["c"][1] == pytest.approx(7)
    student = ws.student_edition()
    blanks = [[cell.blank for cell in row] for row in student.sections[1].table.rows]
    assert [any(b) for b in blanks] == [False, True, True, False, True]
    for sec in ws.sections:
        for item in sec.items:
            assert item.solution, item.id
            # The trace explains each step once (on its first value), not every value; other
            # families explain each idea once, so a step may carry only text or only math.
            first = sec.family != "trace" or item.id.endswith(".z")
            assert all(step.text or not first for step in item.solution), item.id
            assert any(step.math for step in item.solution), item.id
            assert item.prompt and item.answer


def test_both_catalogues_are_complete():
    en = {k for k in catalogue("en") if k.startswith("ex.")}
    zh = {k for k in catalogue("zh") if k.startswith("ex.")}
    assert en == zh and len(en) > 100
    sheet = build_worksheet(build_set(seed=4), "zh")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in sheet.sections[1].intro)


# --- variants, determinism, classes ----------------------------------------------------------


@pytest.fixture(scope="module")
def thirty():
    return {seed: build_set(seed=seed) for seed in range(30)}


def test_thirty_seeds_thirty_answer_sets(thirty, lecture):
    sets = {s.answers() for s in thirty.values()} | {lecture.answers()}
    assert len(sets) == 31
    traces = {s.answers("trace") for s in thirty.values()}
    assert len(traces) == 30


def test_variants_keep_the_lecture_shape(thirty):
    for seed, s in thirty.items():
        assert len(s.variant.inputs) == len(example("lecture-worked").inputs), seed
        assert {q.family for q in s.questions} >= set(FAMILIES)


def test_same_seed_same_bytes(tmp_path):
    a, b = key_bytes(build_set(seed=5).key()), key_bytes(build_set(seed=5).key())
    assert a == b and a.endswith(b"\n")
    # Another process with another hash seed gives the same bytes (no hash(), no global RNG).
    code = ("import hashlib, sys; from lstm_sym.exercises import build_set; "
            "from lstm_sym.key import key_bytes; "
            "sys.stdout.write(hashlib.sha256(key_bytes(build_set(seed=5).key())).hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True,
                         text=True, check=True).stdout
    assert out == hashlib.sha256(a).hexdigest()


def test_student_id_changes_the_variant():
    a = build_set(seed=1, student=Student("s001", "Ada"))
    b = build_set(seed=1, student=Student("s002", "Ada"))
    assert a.answers("trace") != b.answers("trace")
    assert a.key()["student"] == {"id": "s001", "name": "Ada"}
    assert "student" not in build_set(seed=1).key()


def test_key_recomputes_from_its_exercise_data():
    key = build_set(seed=8, student=Student("s9", "李雷")).key("zh")
    again = from_key(json.loads(key_bytes(key))).key("zh")
    assert key_bytes(again) == key_bytes(key)


def test_class_variants_distinct_and_order_free():
    roster = [Student(f"s{k:02d}", f"Student {k}") for k in range(6)]
    sets = class_variants(2024, roster)
    assert list(sets) == [s.id for s in roster]
    for family in ("trace", "memory"):
        assert len({s.answers(family) for s in sets.values()}) == len(roster)
    again = class_variants(2024, list(reversed(roster)))
    assert all(key_bytes(again[i].key()) == key_bytes(sets[i].key()) for i in ("s00", "s05"))


def test_class_variants_redraw_on_collision(monkeypatch):
    # Pretend every first draw collides: each later student gets attempt 1, deterministically.
    real = exset_module.fingerprints
    monkeypatch.setattr(exset_module, "fingerprints",
                        lambda s: (*real(s), "first draw") if s.variant.attempt == 0 else real(s))
    sets = class_variants(7, [Student("a", "A"), Student("b", "B")])
    assert sets["a"].variant.attempt == 0 and sets["b"].variant.attempt == 1
    assert sets["b"].key()["exercise"]["attempt"] == 1


def test_class_variants_rejects_duplicate_ids():
    with pytest.raises(UserError, match="s1"):
        class_variants(1, [Student("s1", "A"), Student("s1", "B")])


def test_unknown_language_is_a_user_error(lecture):
    with pytest.raises(UserError, match="--lang"):
        build_worksheet(lecture, "fr")
    with pytest.raises(UserError, match="--lang"):
        lecture.key("fr")


def test_bad_seed_is_a_user_error():
    with pytest.raises(UserError, match="--seed"):
        build_set(seed="7")  # type: ignore[arg-type]


def test_affine_formulas_as_plain_strings_match_sympy():
    # The sheet's formulas are written as strings for speed; SymPy's LaTeX is the reference.
    import random

    from lstm_sym.exercises.cellmath import affine, affine_tex

    rng = random.Random(1)
    for _ in range(2000):
        w = [rng.choice([0, 0, 1, -1, 2, -3, 100, -100, 20]) for _ in range(rng.randint(1, 4))]
        weights = {"W_i": [w], "b_i": [rng.choice([0, 1, -1, 10, -10, 5])]}
        assert affine_tex(weights, "z_i") == sp.latex(affine(weights, "z_i"), order="lex")


def test_shared_family_caches_give_each_student_their_own_numbers():
    # Families share work between students with equal sizes or gate weights; each answer
    # must still be the student's own, worked out here by hand from their weights and sizes.
    from lstm_sym.key import Student

    sets = [build_set(seed=5, student=Student(f"s{i}", "x")) for i in range(12)]
    for es in sets:
        w, (n, m) = es.variant.weights, (es.variant.sizes["n"], es.variant.sizes["m"])
        biases = [w[f"b_{g}"][0] for g in "ifo"]
        assert answer(es, "gates.rest") == str([int(b > 0) for b in biases])  # σ(±10…) ≈ 0 or 1
        row = w["W_o"][0]
        assert answer(es, "gates.opener") == f"x{max(range(3), key=lambda k: abs(row[k])) + 1}"
        weight_i = max(w["W_i"][0], key=abs)
        assert float(answer(es, "gates.half_open")) == pytest.approx(-w["b_i"][0] / weight_i)
        assert json.loads(answer(es, "shapes.W_f_stacked")) == [m, n + m]
        assert int(answer(es, "params.lstm_total")) == 4 * (m * n + m * m + m)
        assert int(answer(es, "gru.total")) == 3 * (m * n + m * m + 2 * m)
    assert len({es.variant.sizes["n"] for es in sets}) > 1  # the sizes do differ


def test_hints_are_each_callers_own_list():
    from lstm_sym.exercises.hints import question_hints
    from lstm_sym.model.cells import build_cell

    entry = {"id": "gru.ratio", "family": "gru", "kind": "expression"}
    first = question_hints(entry, build_cell("lecture"), "en")
    first.clear()  # the hints are shared between sheets; a caller's list is its own
    assert question_hints(entry, build_cell("lecture"), "en")


def _mutable_parts(obj, path="", seen=None):
    """Lists, dicts and sets anywhere inside frozen dataclasses, tuples and Texts."""
    import dataclasses

    if isinstance(obj, (list, dict, set, bytearray)):
        yield path
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _mutable_parts(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, tuple):
        for k, item in enumerate(obj):
            yield from _mutable_parts(item, f"{path}[{k}]")


@pytest.mark.parametrize("cell", [None, {"cell": "gru"}, {"cell": "lstm"}])
def test_shared_family_results_hold_nothing_mutable(cell):
    # These families hand the same objects to every student of a class (cached per sizes,
    # cell or weights): a list or dict inside would let one sheet change another's.
    from lstm_sym.exercises import cell as cell_family
    from lstm_sym.exercises import gate_design, shapes
    from lstm_sym.exercises.model import Step, T
    from lstm_sym.exercises.slips import lecture_slips

    v = build_set(seed=2, cell_options=cell).variant
    shared = [gru_family.generate(v), param_count.generate(v), shapes.generate(v),
              lecture_slips()]
    if v.memory_inputs:
        shared.append(gate_design.generate(v))
    else:
        shared.append(cell_family.generate(v).diagram)  # the flow diagram, once per cell
    assert [p for obj in shared for p in _mutable_parts(obj)] == []
    assert list(_mutable_parts(T("x", v=[1]))) == []  # T turns a list into a tuple
    assert list(_mutable_parts(Step(T("x", d={})))) == [".text.params[0][1]"]  # seen


def test_pinned_alternatives_in_one_run_equal_the_altered_weights():
    # One batched run pins each alternative's gate as it is computed; the altered weights
    # (gate weights zero, bias ±10) are the independent route, run one model each.
    from lstm_sym.exercises.alternatives import PINNED, alternative_rows, rows_with_weights
    from lstm_sym.exercises.variant import draw_variant, lecture_variant

    variants = [lecture_variant()] + [draw_variant("lecture-worked", seed, Student(f"p{seed}", "P"))
                                      for seed in range(12)]
    for v in variants:
        for name in PINNED:
            for memory in (False, True):
                pinned, weighted = alternative_rows(v, name, memory), rows_with_weights(v, name, memory)
                assert len(pinned) == len(weighted)
                for a, b in zip(pinned, weighted):
                    assert {k: a[k] for k in ("c", "y", "i", "f", "o", "c_prev")} == \
                        {k: b[k] for k in ("c", "y", "i", "f", "o", "c_prev")}


def test_a_drawn_variant_shares_its_checked_runs_and_they_are_its_own():
    # draw_variant hands the runs it checked the sequences with to the variant; a variant
    # rebuilt from the same data (nothing shared) computes the very same rows.
    from dataclasses import fields

    from lstm_sym.exercises.variant import Variant, draw_variant

    for seed in range(6):
        drawn = draw_variant("lecture-worked", seed, Student(f"d{seed}", "D"))
        fresh = Variant(**{f.name: getattr(drawn, f.name) for f in fields(Variant)})
        assert "_rows" in drawn.__dict__ and "_rows" not in fresh.__dict__
        for mode in ("ideal", "exact"):
            assert drawn.rows(mode) == fresh.rows(mode)
            assert drawn.memory_trace(mode) == fresh.memory_trace(mode)


def test_the_shared_local_factor_is_each_students_own():
    # gradient.local is built once per distinct (W_f, b_f, W_i, b_i) of a class: each
    # student's answer must still be σ(W_f·x + b_f) of their own weights.
    import mpmath
    import sympy as sp

    from lstm_sym.exercises.gradient import _local
    from lstm_sym.exercises.variant import draw_variant

    x = ("0.3", "-0.2", "0.1")
    seen = set()
    for k in range(16):
        v = draw_variant("lecture-worked", 3, Student(f"g{k}", "G"))
        w, b = v.weights["W_f"][0], v.weights["b_f"][0]
        got = sp.sympify(_local(v).answer, locals={"sigma": lambda a: 1 / (1 + sp.exp(-a))})
        value = got.subs({sp.Symbol(f"x{i + 1}"): sp.Rational(str(xi)) for i, xi in enumerate(x)})
        with mpmath.workdps(30):
            expected = 1 / (1 + mpmath.exp(-(sum(wi * mpmath.mpf(xi) for wi, xi in zip(w, x)) + b)))
            assert abs(mpmath.mpf(str(sp.N(value, 30))) - expected) < mpmath.mpf("1e-20")
        seen.add((tuple(w), b))
    assert len(seen) > 1  # the students did differ
