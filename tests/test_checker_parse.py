"""Reading answers: plain text, Unicode, LaTeX, name spellings and error positions.

Expected readings are written out by hand; values are checked against mpmath
computed independently of the checker's evaluator.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import pytest

from lstm_sym.checker.nodes import to_text
from lstm_sym.checker.numeric import evaluate, to_real
from lstm_sym.checker.parse import Names, ParseError, parse_answer

MN = Names.declare(["m", "n"])
X3 = Names.declare(["x3"])


def read(text: str, names: Names = MN) -> str:
    return to_text(parse_answer(text, names))


def error(text: str, names: Names = MN) -> tuple[str, dict]:
    with pytest.raises(ParseError) as info:
        parse_answer(text, names)
    return info.value.code, info.value.params


@pytest.mark.parametrize(
    "text, reading",
    [
        ("4m(n+m+1)", "4*m*(n + m + 1)"),
        ("4*m*n + 4*m**2 + 4*m", "4*m*n + 4*m^2 + 4*m"),
        ("2m", "2*m"),
        ("3(m+1)", "3*(m + 1)"),
        ("(m+1)(n+1)", "(m + 1)*(n + 1)"),
        ("mn", "m*n"),  # a run of declared names splits into them
        ("m n", "m*n"),
        ("−m", "-m"),  # Unicode minus
        ("m × n ÷ 2", "m*n/2"),
        ("m·n", "m*n"),
        ("m²", "m^2"),
        ("m⁻¹", "m^(-1)"),
        ("-m^2", "-m^2"),  # the power binds tighter than the sign
        ("2^-1", "2^(-1)"),
        ("2^3^2", "2^(3^2)"),  # right-associative
        ("1/2m", "1/2*m"),  # implicit multiplication binds like *
        ("1e-3", "1e-3"),
        ("2.5E+2", "2.5E+2"),
        ("2e^m", "2*e^m"),  # a bare e is the constant
        ("（m＋1）", "m + 1"),  # full-width characters from Chinese input methods
    ],
)
def test_plain_readings(text: str, reading: str) -> None:
    assert read(text) == reading


@pytest.mark.parametrize(
    "text, reading",
    [
        (r"\frac{7}{1+e^{-(100x_3-10)}}", "7/(1 + e^(-(100*x3 - 10)))"),
        (r"7\sigma\left(100x_{3}-10\right)", "7*sigma(100*x3 - 10)"),
        (r"7 \cdot \sigma(100 x3 - 10)", "7*sigma(100*x3 - 10)"),
        (r"\exp\left(-x_3\right) \times 2", "exp(-x3)*2"),
        (r"\sqrt{x_3} + \ln x_3 + \tanh{x_3}", "sqrt(x3) + ln(x3) + tanh(x3)"),
        (r"\frac12", "1/2"),
        (r"\mathrm{e}^{x_3}", "e^x3"),
        (r"$x_3\,+\;1$", "x3 + 1"),
        (r"\left. x_3 \right.", "x3"),
        ("σ(x3)", "sigma(x3)"),
        ("sigmoid(x3)", "sigma(x3)"),
        ("√x3", "sqrt(x3)"),
    ],
)
def test_latex_and_symbols(text: str, reading: str) -> None:
    assert read(text, X3) == reading


def test_every_spelling_of_a_declared_name_is_the_canonical_name() -> None:
    names = Names.declare(["x3", "z_i", "c_new", "c_prev"])
    for spelling in ("x3", "x_3", "x_{3}"):
        assert parse_answer(spelling, names) == ("var", "x3")
    for spelling in ("z_i", "z_{i}", "zi"):
        assert parse_answer(spelling, names) == ("var", "z_i")
    for spelling in ("c'", "c′", "c^{\\prime}", "c_new"):
        assert parse_answer(spelling, names) == ("var", "c_new")
    for spelling in ("c_{t-1}", "cₜ₋₁", "c_prev"):
        assert parse_answer(spelling, names) == ("var", "c_prev")


def test_reading_matches_hand_evaluation() -> None:
    # 4m(n+m+1) at m=3, n=5: 4*3*9 = 108.
    node = parse_answer("4m(n+m+1)", MN)
    assert evaluate(node, {"m": to_real(3), "n": to_real(5)}) == 108
    # The LaTeX gate at x3 = 0.1: 7*sigma(0) = 3.5 exactly.
    node = parse_answer(r"\frac{7}{1+e^{-(100x_3-10)}}", X3)
    assert evaluate(node, {"x3": to_real(Fraction(1, 10))}) == mpmath.mpf("3.5")


@pytest.mark.parametrize(
    "text, code, params",
    [
        ("1+2*34)", "unexpected_token", {"token": ")", "pos": 7}),
        ("(1+2", "unclosed", {"open": "(", "pos": 1}),
        ("(1+2]", "mismatched", {"close": "]", "pos": 5, "open": "(", "open_pos": 1}),
        ("1+", "unexpected_end", {}),
        ("2 3", "adjacent_numbers", {"pos": 3}),
        ("m @ n", "unexpected_char", {"char": "@", "pos": 3}),
        ("4q", "unknown_name", {"name": "q", "pos": 2}),
        ("factorial(10)", "unsupported_function", {"name": "factorial", "pos": 1}),
        (r"\input{x}", "unknown_command", {"name": "\\input", "pos": 1}),
        ("exp", "needs_argument", {"name": "exp", "pos": 1}),
        ("1" * 101, "number_too_long", {"pos": 1, "limit": 100}),
        ("1e100000", "too_complex", {}),
        ("(" * 101 + "1" + ")" * 101, "too_deep", {"limit": 100}),
        ("-" * 150 + "1", "too_deep", {"limit": 100}),
        ("   ", "empty", {}),
    ],
)
def test_errors_name_the_place(text: str, code: str, params: dict) -> None:
    assert error(text) == (code, params)


def test_error_position_counts_characters_of_the_original_answer() -> None:
    # Full-width and Unicode look-alikes are one character each, as typed.
    assert error("（1＋2））") == ("unexpected_token", {"token": "）", "pos": 6})
