"""The question families against independent sources: the lecture's hand derivations,
plain-Python recomputation of the memory cell, PyTorch's documented parameter layout;
and the key's `points` contract."""

from __future__ import annotations

import copy
import re

import pytest

from lstm_sym.checker import check_question
from lstm_sym.errors import UserError
from lstm_sym.exercises import build_set
from lstm_sym.handouts.content import build_worksheet
from lstm_sym.key import points_of, validate_key


@pytest.fixture(scope="module")
def lecture():
    return build_set()


@pytest.fixture(scope="module")
def lecture_key(lecture):
    return lecture.key("en")


def _q(key: dict, qid: str) -> dict:
    return next(q for q in key["questions"] if q["id"] == qid)


# --- memory puzzle (issue 12, item 1) ---------------------------------------------------


def _plain_memory(weights: dict, inputs, overwrite: bool = False) -> tuple[list, list]:
    """The lecture cell with 0/1 gates in plain Python: c' = z·i + c·f (or, for a student
    who overwrites, c' = z·i + c·f·(1 − i)), y = c'·o."""
    def pre(name, x):
        return sum(w * v for w, v in zip(weights[f"W_{name}"][0], x)) + weights[f"b_{name}"][0]

    def step(v):
        return 1 if v > 0 else 0

    c, cs, ys = 0, [], []
    for x in inputs:
        z, i, f, o = pre("z", x), step(pre("i", x)), step(pre("f", x)), step(pre("o", x))
        c = z * i + c * f * ((1 - i) if overwrite else 1)
        cs.append(c)
        ys.append(c * o)
    return cs, ys


def test_memory_rule_says_adds(lecture):
    ex = next(e for e in lecture.exercises if e.family == "memory")
    en, zh = ex.intro.render("en"), ex.intro.render("zh")
    assert "adds" in en and "writes" not in en
    assert "加到记忆上" in zh and "写入记忆" not in zh


def test_overwriting_is_a_named_misconception(lecture_key):
    # The lecture's own example (hand-derived): 3 is written, then 4 is ADDED: 7. A student
    # who overwrites gets 4 there and 6 after the reset.
    q = _q(lecture_key, "memory.c")
    assert q["answer"] == "[0, 3, 3, 7, 7, 7, 0, 6, 6]"
    verdict = check_question(q, "[0, 3, 3, 4, 4, 4, 0, 6, 6]")
    assert not verdict.correct and verdict.misconception == "overwrote"
    assert "overwrote" in verdict.feedback
    y = _q(lecture_key, "memory.y")
    verdict = check_question(y, "[0, 0, 0, 0, 0, 4, 0, 0, 6]")
    assert verdict.misconception == "overwrote"


@pytest.mark.parametrize("seed", [None, 1, 2, 3, 7, 11, 12345])
def test_memory_answers_and_overwrite_recomputed_in_plain_python(seed):
    key = build_set(seed=seed).key()
    ex = key["exercise"]
    cs, ys = _plain_memory(ex["weights"], ex["memory_inputs"])
    assert _q(key, "memory.c")["answer"] == str(cs).replace(",", ", ").replace(",  ", ", ")
    assert _q(key, "memory.y")["answer"] == str(ys).replace(",", ", ").replace(",  ", ", ")
    wrong_c, _ = _plain_memory(ex["weights"], ex["memory_inputs"], overwrite=True)
    mcs = {m["id"]: m["answer"] for m in _q(key, "memory.c")["misconceptions"]}
    if wrong_c != cs and "overwrote" in mcs:
        assert mcs["overwrote"] == str(wrong_c).replace(",", ", ").replace(",  ", ", ")
    if wrong_c != cs:  # named unless another misconception gives the same list first
        verdict = check_question(_q(key, "memory.c"), str(wrong_c))
        assert not verdict.correct and verdict.misconception is not None


def test_memory_walkthrough_is_given_once(lecture_key):
    c_steps = _q(lecture_key, "memory.c")["solution"]
    y_steps = _q(lecture_key, "memory.y")["solution"]
    assert not {s["text"] for s in c_steps} & {s["text"] for s in y_steps}
    assert len(c_steps) <= 4 and len(y_steps) <= 2  # one step per rule, not per time step
    # Every time step is named by exactly one rule of the memory solution.
    named = [int(t) for s in c_steps for t in re.findall(r"\d+", s["text"].split("=")[1]
                                                         .split("the")[0])]
    assert sorted(named) == list(range(1, 10))
    # The hand derivation of the lecture's example: the three writes add.
    assert r"c_{4} = 3 + 4 = 7" in c_steps[0]["math"] and r"c_{8} = 0 + 6 = 6" in c_steps[0]["math"]


# --- counts (issue 12, items 6 and 7) ---------------------------------------------------


def test_pytorch_counts_state_two_biases_and_match_the_documented_layout(lecture_key):
    n, m = 3, 2
    # PyTorch documents weight_ih (4m × n), weight_hh (4m × m), bias_ih and bias_hh (4m) per
    # LSTM layer and direction; the GRU has 3m rows instead of 4m.
    lstm = 4 * m * n + 4 * m * m + 2 * 4 * m
    above, above_bi = 4 * m * m + 4 * m * m + 8 * m, 4 * m * 2 * m + 4 * m * m + 8 * m
    expected = {"params.pytorch_total": lstm, "params.stacked": lstm + above,
                "params.bidirectional": 2 * (lstm + above_bi),
                "gru.total": 3 * m * n + 3 * m * m + 2 * 3 * m}
    for qid, total in expected.items():
        for lang, words in (("en", ("bias_ih", "bias_hh", "two bias")),
                            ("zh", ("bias_ih", "bias_hh", "两个偏置"))):
            q = _q(build_set().key(lang), qid)
            assert all(w in q["prompt"] for w in words), (qid, lang, q["prompt"])
        assert int(_q(lecture_key, qid)["answer"]) == total, qid


def test_gru_solutions_derive_each_answer_from_three_blocks_against_four(lecture_key):
    ratio, fewer, more = (_q(lecture_key, f"gru.{k}") for k in ("ratio", "fewer", "more"))
    assert (ratio["answer"], fewer["answer"], more["answer"]) == ("3/4", "1/4", "1/3")
    for q, last in ((ratio, r"\frac{3}{4}"), (fewer, r"\frac{1}{4}"), (more, r"\frac{1}{3}")):
        assert len(q["solution"]) == 1, q["id"]
        step = q["solution"][0]
        assert step["value"] == f"${last}$" and step["math"].endswith(last), q["id"]
        assert r"\ne" not in step["math"]
    assert r"\frac{4 - 3}{4}" in fewer["solution"][0]["math"]
    assert r"\frac{4 - 3}{3}" in more["solution"][0]["math"]
    assert "3 blocks" in ratio["solution"][0]["text"] and "4 (" in ratio["solution"][0]["text"]


# --- gate design (issue 12, item 10) ----------------------------------------------------


def test_gate_design_names_the_failing_case(lecture_key):
    steps = _q(lecture_key, "gates.i_bias")["solution"]
    text = {s["text"].split(":")[0]: s["text"] for s in steps}
    # Bias 0: z_i = 100·0 + 0 = 0 at x2 = 0, so σ = ½ (hand derivation).
    assert "$x_2 = 0$, $z_i = 0$" in text["Bias $0$ fails"] and r"\tfrac12" in text["Bias $0$ fails"]
    # Bias +10: z_i = 10 at x2 = 0: open where the input gate must be closed.
    assert "$z_i = 10$" in text["Bias $10$ fails"] and "open where it must be closed" in \
        text["Bias $10$ fails"]
    f_steps = " ".join(s["text"] for s in _q(lecture_key, "gates.f_bias")["solution"])
    assert "closed where it must be open" in f_steps
    assert "too close to 0" not in f_steps


FIGURES = {"three": 3, "four": 4, "3": 3, "4": 4, "三": 3, "四": 4}


@pytest.mark.parametrize("seed,lang", [(None, "en"), (None, "zh"), (3, "en")])
def test_significant_figures_asked_are_shown(seed, lang):
    # "Ask for what you show, and show what you ask for": no 1 − 8.194·10⁻⁴⁰ where a
    # question asks for four significant figures.
    asked = 0
    for q in build_set(seed=seed).key(lang)["questions"]:
        found = re.search(r"(three|four|\d) significant figures|保留(三|四)位有效数字",
                          q["prompt"])
        if not found:
            continue
        asked += 1
        figures = FIGURES[found.group(1) or found.group(2)]
        assert " - " not in q["display"] and " + " not in q["display"], q["display"]
        for entry in q["display"].strip("()[]").split(", "):
            mantissa = entry.split(r" \cdot")[0].lstrip("-")
            assert len(mantissa.replace(".", "").lstrip("0")) == figures, (q["id"], entry)
    assert asked  # gates.leak at least


# --- the lecture's slips (issue 12, item 11) --------------------------------------------


def test_lecture_slips_are_named_once_in_the_solutions_only(lecture):
    ws = build_worksheet(lecture, "en")
    notes = [n for sec in ws.sections for n in sec.notes]
    text = " ".join(notes)
    # Hand checks against the lecture notes: their example adds (3 + 4 = 7, step 4); the 6
    # is written at step 8 and read at step 9 (x3 = 1); z_i = 100·x2 − 10 > 0 for x2 > 0.1;
    # σ is written f; a GRU has 1/4 fewer, not 1/3.
    assert "3 + 4 = 7" in text and "step 9" in text and "step 8" in text
    assert "x_2 > 0.1" in text and "$f$" in text
    assert r"\frac{1}{4}$ fewer" in text and r"“$\frac{1}{3}$ fewer”" in text
    assert sum("1}{3}$ fewer" in n for n in notes) == 1
    assert not [n for sec in ws.student_edition().sections for n in sec.notes]


# --- points (issue 12, item 13) ---------------------------------------------------------


def test_every_question_has_deliberate_points(lecture_key):
    points = {q["id"]: q["points"] for q in lecture_key["questions"]}
    assert all(isinstance(p, int) and not isinstance(p, bool) and p >= 1
               for p in points.values())
    assert points["trace.t2.c"] == 1  # a value read off one trace step
    assert points["memory.c"] == points["memory.y"] == 3  # a nine-step sequence
    assert points["gradient.keep"] == 3 and points["gru.more"] == 2
    assert points["params.bidirectional"] > points["params.lstm_total"]


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_points_are_validated(lecture_key, bad):
    key = copy.deepcopy(lecture_key)
    key["questions"][3]["points"] = bad
    with pytest.raises(UserError, match=r"questions\[3\]\.points"):
        validate_key(key, "k.json")


def test_keys_without_points_still_read(lecture_key):
    key = copy.deepcopy(lecture_key)
    for q in key["questions"]:
        del q["points"]
    validate_key(key)
    assert {points_of(q) for q in key["questions"]} == {1}


def test_key_holds_what_a_reader_shows(lecture_key):
    # Moodle and reports read prompts and worked solutions from the key, not from a rebuild.
    q = _q(lecture_key, "params.lstm_formula")
    assert "$" in q["prompt_tex"] and "$" not in q["prompt"]
    assert q["display"] == "4 m^{2} + 4 m n + 4 m"
    assert q["solution"] and all(set(s) == {"text", "math", "value"} for s in q["solution"])


# --- families follow the sheet's cell (issue 11, item 1) --------------------------------

# PyTorch's documented layouts: weight_ih (B·m × n), weight_hh (B·m × m), bias_ih and
# bias_hh (B·m) per layer, with B = 4 blocks for nn.LSTM, 3 for nn.GRU, 1 for nn.RNN.
BLOCKS = {"lstm": 4, "gru": 3, "rnn": 1}


@pytest.mark.parametrize("cell", sorted(BLOCKS))
def test_counts_and_shapes_are_of_the_sheets_cell(cell):
    s = build_set(seed=5, cell_options={"cell": cell}, inputs=3, hidden=2)
    key = s.key("en")
    n, m = key["exercise"]["sizes"]["n"], key["exercise"]["sizes"]["m"]
    blocks = BLOCKS[cell]
    one = blocks * (m * n + m * m + 2 * m)
    assert int(_q(key, "params.pytorch_total")["answer"]) == one
    above = blocks * (m * m + m * m + 2 * m)
    assert int(_q(key, "params.stacked")["answer"]) == one + above
    # The sheet's own cell, one bias per block as its equations have it.
    assert int(_q(key, "params.total")["answer"]) == blocks * (m * n + m * m + m)
    assert _q(key, "shapes.weight_ih")["answer"] == (f"[{blocks}*m, n]" if blocks > 1
                                                     else "[m, n]")
    assert _q(key, "shapes.h_prev")["answer"] == f"[{m}, 1]"
    assert ("shapes.c_prev" in {q["id"] for q in key["questions"]}) == (cell == "lstm")
    assert not any(q["id"].startswith(("params.lecture", "params.peephole", "shapes.W_z_"))
                   and cell != "lstm" for q in key["questions"])
    for q in key["questions"]:
        if q["family"] in ("params", "shapes"):
            assert check_question(q, q["answer"]).correct, q["id"]
            for mc in q["misconceptions"]:
                verdict = check_question(q, mc["answer"])
                assert verdict.misconception == mc["id"], (q["id"], mc)


def test_gradient_follows_the_carried_state():
    # Hand derivations (and PyTorch's documented GRU, h' = (1 − z)⊙n + z⊙h with its z our u):
    # LSTM c_t = f⊙c_{t−1} + i⊙g, so the direct factor is f = σ(z_f); GRU h_t = (1 − u)⊙n +
    # u⊙h_{t−1}, so it is u = σ(z_u); a plain RNN has no gated direct path.
    expected = {"lstm": ("sigma(z_f)", "f"), "gru": ("sigma(z_u)", "u")}
    for cell, (local, gate) in expected.items():
        key = build_set(seed=4, cell_options={"cell": cell}, inputs=3, hidden=2).key("zh")
        assert _q(key, "gradient.local")["answer"] == local
        assert _q(key, "gradient.flow")["answer"] == gate
        for qid in ("gradient.local", "gradient.flow"):
            q = _q(key, qid)
            assert check_question(q, q["answer"]).correct
            for mc in q["misconceptions"]:
                assert check_question(q, mc["answer"]).misconception == mc["id"]
    rnn = build_set(seed=4, cell_options={"cell": "rnn"}, inputs=3, hidden=2)
    assert "gradient" not in {ex.family for ex in rnn.exercises}
