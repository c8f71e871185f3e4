"""Every question family checks itself (PrairieLearn's habit): over many variants its key
answer is graded right by lstm_sym.checker, its misconceptions and a typical wrong answer
wrong, and garbage invalid. And every variant is as clean as the lecture's, checked by an
independent re-implementation of the ideal and exact cell in plain Python."""

from __future__ import annotations

import math
from functools import cache

import pytest

from lstm_sym.checker import check_question
from lstm_sym.exercises import build_set, draw_variant, problems

FAMILIES = ("trace", "memory", "params", "shapes", "gates", "gradient", "gru")
SEEDS = (None, 0, 1, 2, 3, 4, 5, 6)
GARBAGE = ("((", "3 +* 4", "#!?", "")


@cache
def key(seed):
    return build_set(seed=seed).key("en" if seed is None or seed % 2 else "zh")


def typical_wrong(q: dict) -> str:
    """An answer a careless student could give that is not right."""
    kind, answer = q["kind"], q["answer"]
    if kind == "choice":
        return next(c for c in q["choices"] if c != answer)
    if kind == "expression":
        return f"({answer}) + 1"
    if kind == "vector":
        first, *rest = answer[1:-1].split(", ")  # our vectors have no nested commas
        return "[" + ", ".join([f"{first} + 1", *rest]) + "]"
    value = float(answer)
    return repr(value + 1 + abs(value))  # off by far more than any tolerance


@pytest.mark.parametrize("family", FAMILIES)
def test_family_checks_itself(family):
    checked = 0
    for seed in SEEDS:
        lang = "en" if seed is None or seed % 2 else "zh"
        for q in (q for q in key(seed)["questions"] if q["family"] == family):
            where = f"seed {seed}, {q['id']}"
            verdict = check_question(q, q["answer"], lang=lang)
            assert verdict.valid and verdict.correct, (where, verdict)
            for other in [q["exact"], *q["accept"]]:
                if other is not None:
                    assert check_question(q, other).correct, (where, other)
            for mc in q["misconceptions"]:
                verdict = check_question(q, mc["answer"], lang=lang)
                assert not verdict.correct and verdict.misconception == mc["id"], (where, mc)
                assert verdict.feedback, where
            wrong = typical_wrong(q)
            verdict = check_question(q, wrong)
            assert verdict.valid and not verdict.correct, (where, wrong, verdict)
            for junk in GARBAGE:
                verdict = check_question(q, junk)
                assert not verdict.valid and not verdict.correct, (where, junk, verdict)
            checked += 1
    assert checked >= len(SEEDS)


# --- cleanliness over 200 seeds, with an independent plain-Python cell --------------------


def _simulate(weights: dict, inputs) -> list[dict]:
    """The lecture's cell by hand: c' = z·σ(z_i) + c·σ(z_f), y = c'·σ(z_o), g = h = identity;
    ideal gates are 1 for a positive pre-activation, 0 for a negative one."""
    rows, c, c_exact = [], 0, 0.0
    for x in inputs:
        pre = {g: sum(w * v for w, v in zip(weights[f"W_{g}"][0], x)) + weights[f"b_{g}"][0]
               for g in "zifo"}
        gate = {g: int(pre[g] > 0) for g in "ifo"}
        exact = {g: 1 / (1 + math.exp(-pre[g])) for g in "ifo"}
        new = pre["z"] * gate["i"] + c * gate["f"]
        new_exact = pre["z"] * exact["i"] + c_exact * exact["f"]
        rows.append({"pre": pre, "gate": gate, "c_prev": c, "c": new, "y": new * gate["o"],
                     "c_exact": new_exact, "y_exact": new_exact * exact["o"]})
        c, c_exact = new, new_exact
    return rows


def _check_clean(rows: list[dict], where: str) -> None:
    for t, r in enumerate(rows, 1):
        assert all(abs(r["pre"][g]) >= 10 for g in "ifo"), (where, t, r["pre"])
        assert isinstance(r["c"], int) and abs(r["c"]) <= 20, (where, t)
        assert abs(r["c"] - r["c_exact"]) <= 0.01 and abs(r["y"] - r["y_exact"]) <= 0.01, where
    assert any(r["gate"]["i"] and r["pre"]["z"] and r["gate"]["f"] and r["c_prev"]
               for r in rows), (where, "no write onto a non-empty memory")
    assert any(not r["gate"]["f"] and r["c_prev"] for r in rows), (where, "no reset")
    assert any(r["gate"]["o"] and r["c"] for r in rows), (where, "no read")


def test_two_hundred_variants_are_clean():
    seen_roles, seen_traces = set(), set()
    for seed in range(200):
        v = draw_variant("lecture-worked", seed)
        if seed % 20 == 0:  # the generator's own checks (slower: mpmath traces)
            assert problems(v) == [], seed
        _check_clean(_simulate(v.weights, v.inputs), f"seed {seed} trace")
        _check_clean(_simulate(v.weights, v.memory_inputs), f"seed {seed} memory")
        seen_roles.add((v.roles.data, v.roles.write, v.roles.read))
        seen_traces.add(v.inputs)
        assert v.sizes["n"] != v.sizes["m"]
    assert len(seen_roles) == 6  # every input drives every role in some variant
    assert len(seen_traces) == 200
