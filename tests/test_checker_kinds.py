"""Correct, incorrect and invalid answers for every question kind.

Reference values come from hand derivations or from mpmath directly (not from
the checker's evaluator): e.g. 7·σ(8) = 7/(1+e^-8) = 6.9976510...
"""

from __future__ import annotations

import mpmath
import pytest

from lstm_sym.checker import Verdict, check_expected, check_question
from lstm_sym.errors import UserError

SEVEN_SIGMA_8 = 7 / (1 + mpmath.exp(-8))  # 6.99765...

TRACE = {
    "id": "trace.t2.c", "family": "trace", "kind": "number", "prompt": "c at t=2",
    "answer": "7", "exact": "6.99966",
    "accept": [], "variables": [], "tolerance": {"abs": 0.01, "rel": 0.0, "sigfigs": None},
    "choices": None, "worked": False, "reveal": False,
    "misconceptions": [{"id": "forget_ignored", "answer": "3",
                        "feedback": "You dropped the memory term."}],
}  # fmt: skip

EXACT_GATE = {
    "id": "gate.exact", "kind": "number", "answer": mpmath.nstr(SEVEN_SIGMA_8, 20),
    "tolerance": {"abs": 0.0, "rel": 1e-4, "sigfigs": None}, "reveal": True,
    "misconceptions": [{"id": "ideal_gate", "answer": "7",
                        "feedback": "That is the ideal 0/1 gate value, not the exact one."}],
}  # fmt: skip

GATE_EXPR = {
    "id": "gate.expr", "kind": "expression", "answer": "7*sigma(100*x3 - 10)",
    "variables": ["x3"], "tolerance": None, "reveal": False,
    "misconceptions": [{"id": "gate_open", "answer": "7", "feedback": "The gate is not always open."}],
}  # fmt: skip

PARAMS = {
    "id": "count", "kind": "expression", "answer": "4*m*n + 4*m**2 + 4*m",
    "variables": ["m", "n"], "reveal": False,
    "misconceptions": [{"id": "no_bias", "answer": "4*m*(n + m)", "feedback": "Count the biases."}],
}  # fmt: skip

INTEGER = {
    "id": "int",
    "kind": "integer",
    "answer": "40",
    "reveal": False,
    "misconceptions": [{"id": "one_gate", "answer": "10", "feedback": "Four gates."}],
}
VECTOR = {
    "id": "vec",
    "kind": "vector",
    "answer": "[0, 3, 3, 7]",
    "tolerance": {"abs": 0.01},
    "reveal": False,
    "misconceptions": [{"id": "shifted", "answer": "[3, 3, 7, 0]", "feedback": "Off by one."}],
}
CHOICE = {
    "id": "ch",
    "kind": "choice",
    "answer": "forget gate",
    "choices": ["input gate", "forget gate", "output gate"],
    "reveal": False,
    "misconceptions": [{"id": "input", "answer": "input gate", "feedback": "Not that one."}],
}


def check(question: dict, answer: str, **kw) -> Verdict:
    return check_question(question, answer, **kw)


# -- numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "answer", ["7", "6.99966", "6.995", "7.01", "σ(90)*7", "7*1", "14/2", "28/4"]
)
def test_number_correct_within_abs_tolerance(answer: str) -> None:
    verdict = check(TRACE, answer)
    assert (verdict.valid, verdict.correct, verdict.score) == (True, True, 1.0)


@pytest.mark.parametrize("answer", ["7.02", "6.98", "-7", "70", "3/4"])
def test_number_incorrect(answer: str) -> None:
    verdict = check(TRACE, answer)
    assert (verdict.valid, verdict.correct, verdict.score, verdict.misconception) == (
        True, False, 0.0, None)  # fmt: skip
    assert "7" not in verdict.feedback  # never reveals when reveal is false
    assert verdict.expected is None


def test_number_misconception_feedback() -> None:
    verdict = check(TRACE, "3.0")
    assert (verdict.correct, verdict.misconception) == (False, "forget_ignored")
    assert verdict.feedback == "You dropped the memory term."


def test_exact_question_tells_the_ideal_value_apart() -> None:
    # rel 1e-4 of 6.9977 is 7e-4; the ideal 7 is 2.3e-3 away: a misconception, not right.
    assert check(EXACT_GATE, "7*sigma(8)").correct
    assert check(EXACT_GATE, "6.9977").correct
    assert check(EXACT_GATE, r"\frac{7}{1+e^{-8}}").correct
    ideal = check(EXACT_GATE, "7")
    assert (ideal.correct, ideal.misconception) == (False, "ideal_gate")
    # reveal is true here, so the expected answer is attached and named.
    assert ideal.expected == EXACT_GATE["answer"]
    assert EXACT_GATE["answer"] in ideal.feedback


def test_sigfigs_tolerance() -> None:
    question = {
        "id": "s",
        "kind": "number",
        "answer": "sigma(1)",
        "tolerance": {"abs": 0, "rel": 0, "sigfigs": 3},
    }
    # sigma(1) = 0.7310585786...: three significant figures are 0.731.
    assert check(question, "0.731").correct
    assert check(question, "0.73106").correct
    assert not check(question, "0.730").correct
    assert not check(question, "0.73").correct  # 0.730 vs 0.731


def test_number_invalid_answers() -> None:
    for answer, phrase in [
        ("", "empty"),
        ("x", "Unknown name 'x'"),
        ("0,5", "decimal point"),
        ("1/0", "no real value"),
        ("sqrt(-4)", "no real value"),
    ]:
        verdict = check(TRACE, answer)
        assert not verdict.valid and not verdict.correct, answer
        assert phrase in verdict.feedback, (answer, verdict.feedback)


# -- integers ----------------------------------------------------------------


@pytest.mark.parametrize("answer", ["40", "4*10", "40.0", "80/2", "4e1", "2^5+8", " 40 "])
def test_integer_correct(answer: str) -> None:
    assert check(INTEGER, answer).correct


def test_integer_incorrect_and_not_whole() -> None:
    assert check(INTEGER, "41").feedback.startswith("Not correct")
    half = check(INTEGER, "40.5")
    assert (half.valid, half.correct, half.feedback) == (
        True,
        False,
        "The answer must be a whole number.",
    )
    assert check(INTEGER, "5*2").misconception == "one_gate"


# -- expressions ---------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "4m(n+m+1)",
        "4*m*(m+n+1)",
        "4m^2+4mn+4m",
        "4 m (1 + m + n)",
        r"4m\left(n+m+1\right)",
        "(2m)(2n+2m+2)",
        "4m·(n+m+1)",
    ],
)
def test_expression_parameter_count_equivalent_forms(answer: str) -> None:
    verdict = check(PARAMS, answer)
    assert verdict.correct, verdict
    assert verdict.parsed is not None


def test_expression_incorrect_and_misconception() -> None:
    wrong = check(PARAMS, "4m(n+m+2)")
    assert (wrong.valid, wrong.correct, wrong.misconception) == (True, False, None)
    assert check(PARAMS, "4mn + 4m^2").misconception == "no_bias"


@pytest.mark.parametrize(
    "answer",
    [
        r"\frac{7}{1+e^{-(100x_3-10)}}",
        "7*sigma(100*x3-10)",
        r"7\sigma(100x_{3}-10)",
        r"7\sigma\left(100x_3-10\right)",
        "7/(1+exp(10-100x3))",
        "7σ(100x_3 − 10)",
        "7(1+tanh((100x3-10)/2))/2",
    ],
)
def test_expression_gate_forms(answer: str) -> None:
    assert check(GATE_EXPR, answer).correct


def test_expression_gate_wrong_forms() -> None:
    assert not check(GATE_EXPR, "7*sigma(100*x3)").correct
    assert not check(GATE_EXPR, "7*sigma(10*x3-10)").correct
    assert check(GATE_EXPR, "7").misconception == "gate_open"
    unknown = check(GATE_EXPR, "7σ(100y)")
    assert not unknown.valid and "Unknown name 'y'" in unknown.feedback


def test_expression_undefined_points_are_skipped_not_fatal() -> None:
    # ln(x) is undefined for half the sample points; x/x is undefined at none.
    assert check_expected("ln(x^2)", "2 ln(abs(x))", variables=["x"]).correct
    assert check_expected("1", "x/x", variables=["x"]).correct
    nowhere = check_expected("x", "sqrt(-1-x^2)", variables=["x"])
    assert nowhere.valid and not nowhere.correct


def test_expression_unspecified_functions_from_the_key() -> None:
    question = {
        "id": "g",
        "kind": "expression",
        "answer": "g(z)*sigma(z_i) + c*sigma(z_f)",
        "variables": ["z", "z_i", "z_f", "c"],
    }
    assert check(question, r"c\sigma(z_f) + \sigma(z_{i}) g(z)").correct
    assert not check(question, "g(z_i)*sigma(z) + c*sigma(z_f)").correct


# -- vectors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        "[0, 3, 3, 7]",
        "0 3 3 7",
        "0,3,3,7",
        "(0; 3; 3; 7)",
        "[0, 3, 3, 6.995]",
        r"\begin{bmatrix}0 \\ 3 \\ 3 \\ 7\end{bmatrix}",
        r"\left[0, 3, 3, 7\right]",
        "[0,3,3,7]^T",
    ],
)
def test_vector_correct(answer: str) -> None:
    assert check(VECTOR, answer).correct


def test_vector_wrong_length_partial_and_misconception() -> None:
    short = check(VECTOR, "[0, 3, 3]")
    assert (short.valid, short.correct) == (True, False)
    assert short.feedback == "Your vector has 3 entries, but this question expects 4."
    partial = check(VECTOR, "[0, 3, 4, 8]")
    assert (partial.correct, partial.score) == (False, 0.5)
    assert "entries 3, 4" in partial.feedback
    assert check(VECTOR, "3 3 7 0").misconception == "shifted"
    bad = check(VECTOR, "[0, 3, 3+, 7]")
    assert not bad.valid and bad.feedback.startswith("Entry 3:")


# -- choices -----------------------------------------------------------------


@pytest.mark.parametrize(
    "answer", ["forget gate", "Forget  Gate", "b", "(b)", "B)", "2", "b) forget gate"]
)
def test_choice_correct(answer: str) -> None:
    assert check(CHOICE, answer).correct


def test_choice_incorrect_misconception_and_unknown() -> None:
    assert check(CHOICE, "c").feedback.startswith("Not correct")
    assert check(CHOICE, "a").misconception == "input"
    unknown = check(CHOICE, "cell state")
    assert not unknown.valid
    assert "one of: input gate, forget gate, output gate" in unknown.feedback


# -- languages, reveal, API shape ----------------------------------------------


def test_chinese_feedback() -> None:
    assert check(TRACE, "7", lang="zh").feedback == "正确。"
    assert check(VECTOR, "[0, 3]", lang="zh").feedback == "你的向量有 2 个分量，但本题需要 4 个。"
    assert "第 7 个字符" in check(TRACE, "1+2*34)", lang="zh").feedback


def test_unknown_language_is_a_user_error() -> None:
    with pytest.raises(UserError):
        check(TRACE, "7", lang="fr")


def test_broken_key_is_a_user_error_naming_the_question() -> None:
    with pytest.raises(UserError, match="question 'bad': answer"):
        check({"id": "bad", "kind": "number", "answer": "1+"}, "1")
    with pytest.raises(UserError, match="kind"):
        check({"id": "bad", "kind": "essay", "answer": "1"}, "1")


def test_check_expected_reveals_and_infers_variables() -> None:
    verdict = check_expected("4*m*(n + m + 1)", "4m(n+m)")
    assert (verdict.correct, verdict.expected) == (False, "4*m*(n + m + 1)")
    assert check_expected("0.5", "1/2", kind="number").correct
    assert check_expected("[1, 2]", "1 2", kind="vector").correct
    assert check_expected("40", "4*10", kind="integer").correct
    assert check_expected("0.73", "0.7311", kind="number", tolerance={"abs": 0.01}).correct


def test_verdict_to_dict_has_every_field() -> None:
    data = check(TRACE, "3").to_dict()
    assert data == {
        "valid": True,
        "correct": False,
        "score": 0.0,
        "feedback": "You dropped the memory term.",
        "expected": None,
        "parsed": "3",
        "misconception": "forget_ignored",
        "carried": False,
    }


def test_vector_misconception_of_another_length() -> None:
    question = dict(VECTOR, misconceptions=[{"id": "no_t0", "answer": "[3, 3, 7]",
                                             "feedback": "The first step is missing."}])  # fmt: skip
    verdict = check(question, "3 3 7")
    assert (verdict.correct, verdict.misconception) == (False, "no_t0")


def test_truncated_decimals_with_an_ellipsis() -> None:
    # The contract's own example key writes "6.99999999..." for an exact value.
    question = dict(TRACE, exact="6.99999999...", accept=["6.9999..."])
    assert check(question, "6.999...").correct
    assert check_expected("1/3", "0.333…", kind="number", tolerance={"abs": 0.001}).correct


def test_unspecified_function_arity_is_checked_when_reading() -> None:
    verdict = check_expected("2*g(z)", "2g(z, z)")
    assert not verdict.valid
    assert verdict.feedback == "'g' at position 2 takes 1 argument(s), but got 2."


def test_every_message_exists_in_both_languages() -> None:
    from lstm_sym.checker import MESSAGES

    assert set(MESSAGES["en"]) == set(MESSAGES["zh"])
    question = dict(VECTOR, misconceptions=[{"id": "silent", "answer": "[3, 3, 7, 0]"}])
    for lang in ("en", "zh"):
        verdict = check(question, "3 3 7 0", lang=lang)
        assert verdict.misconception == "silent" and verdict.feedback


def test_shapes_may_be_written_with_a_times_sign() -> None:
    question = {"id": "shape", "kind": "vector", "answer": "[2, 3]",
                "misconceptions": [{"id": "transposed", "answer": "[3, 2]", "feedback": "Rows first."}]}  # fmt: skip
    for answer in ("2x3", "2 × 3", "(2, 3)", "2 3", "[2,3]"):
        assert check(question, answer).correct, answer
    assert check(question, "3x2").misconception == "transposed"
    assert not check(question, "2*3").correct  # a product is a number, not a shape


def test_choices_by_value_and_by_spelling() -> None:
    numbers = {"id": "b", "kind": "choice", "answer": "-10", "choices": ["-10", "0", "10"]}
    assert check(numbers, "−10").correct and check(numbers, "-1e1").correct
    assert not check(numbers, "2").valid  # "2" is not an option, nor safely an index here
    names = {"id": "n", "kind": "choice", "answer": "x3", "choices": ["x1", "x2", "x3"]}
    assert check(names, "x_3").correct and check(names, "x_{3}").correct
    letters = {"id": "l", "kind": "choice", "answer": "f", "choices": ["i", "f", "o"]}
    assert check(letters, "F").correct
    assert not check(letters, "b").valid  # letters are options here, not labels
