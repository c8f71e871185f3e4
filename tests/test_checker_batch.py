"""check_many: same verdicts as one-by-one checking, computed once per distinct pair."""

from __future__ import annotations

import random
import time

import pytest

from lstm_sym.checker import api, check_many, check_question
from lstm_sym.checker.sandbox import Sandbox

QUESTIONS = [
    {"id": "n", "kind": "number", "answer": "7", "tolerance": {"abs": 0.01},
     "misconceptions": [{"id": "m", "answer": "3", "feedback": "Memory term dropped."}]},
    {"id": "i", "kind": "integer", "answer": "4*10*(5 + 10 + 1)"},
    {"id": "e", "kind": "expression", "answer": "sigma(z)*(1 - sigma(z))", "variables": ["z"]},
    {"id": "v", "kind": "vector", "answer": "[0, 3, 3, 7]"},
    {"id": "c", "kind": "choice", "answer": "tanh", "choices": ["sigmoid", "tanh", "relu"]},
]  # fmt: skip
ANSWERS = {
    "n": ["7", "6.999", "3", "7.5", "", "x", "9**9**9**9"],
    "i": ["640", "4*160", "641", "640.5", "(("],
    "e": ["σ(z)(1-σ(z))", "sigma(z)-sigma(z)^2", "exp(-z)/(1+exp(-z))^2", "sigma(z)", "y"],
    "v": ["0 3 3 7", "[0, 3, 3]", "[0, 3, 4, 7]", "[0, 3, 3, 7"],
    "c": ["b", "tanh", "a", "gelu"],
}


def mixed_items(count: int, seed: int = 3) -> list[tuple[dict, str]]:
    rng = random.Random(seed)
    items = []
    for _ in range(count):
        question = rng.choice(QUESTIONS)
        items.append((question, rng.choice(ANSWERS[question["id"]])))
    return items


def test_batch_agrees_with_one_by_one() -> None:
    items = mixed_items(300)
    assert check_many(items) == [check_question(q, a) for q, a in items]
    assert check_many(items, lang="zh") == [check_question(q, a, lang="zh") for q, a in items]


def test_identical_pairs_are_graded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real_grade = api.grade

    def counting(question, answer, lang):
        calls.append(answer)
        return real_grade(question, answer, lang)

    monkeypatch.setattr(api, "grade", counting)
    items = mixed_items(500)
    verdicts = check_many(items)
    assert len(calls) == len({(q["id"], a) for q, a in items})
    first = {}
    for (question, answer), verdict in zip(items, verdicts):
        assert first.setdefault((question["id"], answer), verdict) is verdict


def test_copies_of_a_question_share_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real_grade = api.grade
    monkeypatch.setattr(api, "grade", lambda q, a, lang: calls.append(a) or real_grade(q, a, lang))
    check_many([(dict(QUESTIONS[0]), "7") for _ in range(50)])
    assert len(calls) == 1


def test_sympy_calls_of_a_batch_go_to_the_sandbox_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = []
    box = Sandbox(workers=2)
    real_run = box.run
    monkeypatch.setattr(
        box, "run", lambda calls, timeout=None: runs.append(len(calls)) or real_run(calls)
    )
    monkeypatch.setattr(api, "shared_sandbox", lambda: box)
    # sqrt(-x^2 - 1) has no real value anywhere, so numbers cannot decide.
    question = {"id": "s", "kind": "expression", "answer": "sqrt(-x^2 - 1)", "variables": ["x"]}
    answers = ["(-x^2-1)^(1/2)", "sqrt(-x^2-1)+1", "sqrt(-x^2 - 1)*2/2", "(-x^2-1)^(1/2)"]
    verdicts = check_many([(question, a) for a in answers])
    assert [v.correct for v in verdicts] == [True, False, True, True]
    assert runs == [3]  # one batch, the repeated answer asked once
    box.close()


def test_a_class_of_answers_is_fast() -> None:
    items = mixed_items(6000)
    start = time.perf_counter()
    verdicts = check_many(items)
    assert time.perf_counter() - start < 5.0
    assert len(verdicts) == 6000
