"""One rule decides when a number matches a target: the checker grades with it and the
exercises drop, with it, misconceptions the checker could not tell from the answer. The
checker is the reference: the exercises' filter must agree with its verdicts."""

from __future__ import annotations

import pytest

from lstm_sym.checker.grade import grade
from lstm_sym.checker.question import compile_question
from lstm_sym.exercises.formatting import same_answer
from lstm_sym.key import Tolerance

# (answer given, key answer, tolerance): near the edges of each tolerance and of the
# noise floor (hand-picked: exactly at abs 0.01, tiny values that differ relatively,
# 0 against a tiny value, sigfigs rounding up across a decade).
CASES = [
    ("7", "6.99", Tolerance(abs=0.01)),
    ("7", "6.9899", Tolerance(abs=0.01)),
    ("1e-45", "9e-45", Tolerance(rel=0.01)),
    ("1e-45", "1.005e-45", Tolerance(rel=0.01)),
    ("0", "1e-40", Tolerance()),
    ("0", "1e-40", Tolerance(abs=1e-12)),
    ("0.5", "0.5000000000000000000000000000000001", Tolerance()),
    ("0.7311", "0.731058578630005", Tolerance(sigfigs=3)),
    ("0.7321", "0.731058578630005", Tolerance(sigfigs=3)),
    ("10", "9.8", Tolerance(sigfigs=2)),
    ("10", "9.5", Tolerance(sigfigs=2)),
    ("1.0001", "1", Tolerance(rel=1e-4)),
    ("1.00011", "1", Tolerance(rel=1e-4)),
]


@pytest.mark.parametrize("given, answer, tolerance", CASES)
def test_the_misconception_filter_agrees_with_the_checker(given, answer, tolerance):
    question = compile_question({"id": "q", "kind": "number", "answer": answer,
                                 "tolerance": tolerance.as_dict()})
    assert same_answer("number", given, answer, tolerance) == grade(question, given).correct


def test_the_rule_is_defined_once():
    import lstm_sym.checker.equivalence as equivalence
    import lstm_sym.checker.numeric as numeric
    import lstm_sym.exercises.formatting as formatting
    import lstm_sym.key as key

    assert not hasattr(formatting, "NOISE") and not hasattr(equivalence, "_NOISE")
    assert equivalence.close is key.close and "close" not in vars(numeric)
