"""The checker against real keys: every key the exercises build must grade its own
answers as right and its misconceptions as themselves (the key.json contract)."""

from __future__ import annotations

import pytest

from lstm_sym.checker import check_many
from lstm_sym.exercises import build_set


def _keys() -> list[dict]:
    """The lecture's key in both languages and two random variants."""
    keys = [build_set().key("en"), build_set().key("zh")]
    keys += [build_set(example, seed=seed).key("en")
             for example, seed in (("lecture-worked", 1), ("lecture-memory", 2))]  # fmt: skip
    return keys


@pytest.fixture(scope="module")
def questions() -> list[dict]:
    return [q for key in _keys() for q in key["questions"]]


def test_every_key_answer_is_correct(questions: list[dict]) -> None:
    items = [(q, text) for q in questions
             for text in [q["answer"], q.get("exact"), *(q.get("accept") or [])] if text]  # fmt: skip
    wrong = [(q["id"], text, v.feedback) for (q, text), v in zip(items, check_many(items))
             if not v.correct]  # fmt: skip
    assert wrong == []


def test_every_misconception_is_recognised(questions: list[dict]) -> None:
    items = [(q, m["answer"]) for q in questions for m in q["misconceptions"]]
    expected = [m["id"] for q in questions for m in q["misconceptions"]]
    assert [v.misconception for v in check_many(items)] == expected
