"""Reading an answer of each kind: a constant, an integer, a vector, a choice.

Shared by the key (compiled once) and by student answers, so both are read
by the same rules.

>>> [entry for entry, _ in split_vector(r"\\left[1, 2\\right]")]
['1', '2']
"""

from __future__ import annotations

import re
from fractions import Fraction

from lstm_sym.checker.latex import blank_matrix_markup
from lstm_sym.checker.lexer import spelling_key
from lstm_sym.checker.nodes import Node, is_constant
from lstm_sym.checker.numeric import (
    CTX,
    Real,
    TooComplex,
    Undefined,
    evaluate,
    exact_value,
    to_real,
)
from lstm_sym.checker.parse import Names, ParseError, parse_answer
from lstm_sym.key import close, split_entries


def read_real(text: str, names: Names) -> tuple[Real, Node]:
    """A constant answer's value; raises ParseError, Undefined or TooComplex."""
    node = parse_answer(text, names)
    if not is_constant(node):
        raise ParseError("no_names")
    exact = exact_value(node)
    return (to_real(exact) if exact is not None else evaluate(node, {})), node


def read_rational_or_real(text: str, names: Names) -> tuple[Fraction | Real, Node]:
    """Like :func:`read_real` but keeps plain rationals exact (for integers)."""
    node = parse_answer(text, names)
    if not is_constant(node):
        raise ParseError("no_names")
    exact = exact_value(node)
    return (exact if exact is not None else evaluate(node, {})), node


def as_integer(value: Fraction | Real) -> int | None:
    """The integer `value` equals, or None (reals count if integral to 50 digits)."""
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else None
    nearest = CTX.nint(value)
    return int(nearest) if abs(value - nearest) <= CTX.mpf(10) ** -30 * max(1, abs(value)) else None


def split_vector(text: str) -> list[tuple[str, int]]:
    """Entries of a vector answer with their 0-based offsets in `text`: as
    :func:`lstm_sym.key.split_entries` reads them, and LaTeX matrices
    ``\\begin{bmatrix}0 \\\\ 3\\end{bmatrix}`` too.

    >>> [entry for entry, _ in split_vector("[0, 3, σ(1), -7]")]
    ['0', '3', 'σ(1)', '-7']
    >>> [entry for entry, _ in split_vector("0 3 3 7")]
    ['0', '3', '3', '7']
    """
    return split_entries(blank_matrix_markup(text))


_LABEL = re.compile(r"\(?([a-z]|\d{1,3})[).:]?")
_LABELLED = re.compile(r"\(?([a-z])[).:]\s*(.+)")


def _normalise_choice(text: str) -> str:
    return " ".join(text.casefold().split()).strip().rstrip(".。").strip("\"'“”")


def read_choice(text: str, choices: tuple[str, ...] | None) -> int | str | None:
    """The index of the chosen option, or None.

    Tried in order: the option's text (case and spacing ignored), the same
    with name spellings folded (``x_3`` is ``x3``), the value for numeric
    options (``−10`` is ``-10``), then a letter ``b``/``(b)`` or a number ``2``
    when that cannot be confused with an option's own text. Without a list of
    choices the normalised text itself is the choice.

    >>> read_choice(" Forget  gate ", ("input gate", "forget gate")), read_choice("(b)", ("yes", "no"))
    (1, 1)
    >>> read_choice("−10", ("10", "-10")), read_choice("a", ("i", "f", "o"))
    (1, None)
    """
    answer = _normalise_choice(text)
    if choices is None:
        return answer or None
    normalised = [_normalise_choice(c) for c in choices]
    if answer in normalised:
        return normalised.index(answer)
    folded = [spelling_key(c) for c in normalised]
    if spelling_key(answer) in folded:
        return folded.index(spelling_key(answer))
    numeric = _numeric_match(text, choices)
    if numeric is not None:
        return numeric
    label = _LABEL.fullmatch(answer)
    if label:
        mark = label.group(1)
        if mark.isalpha():
            if any(len(c) == 1 and c.isalpha() for c in normalised):
                return None  # "a" is ambiguous when the options are letters
            index = ord(mark) - ord("a")
        elif any(_looks_numeric(c) for c in normalised):
            return None  # "3" is ambiguous when the options are numbers
        else:
            index = int(mark) - 1
        return index if 0 <= index < len(choices) else None
    labelled = _LABELLED.fullmatch(answer)
    if labelled:
        index = ord(labelled.group(1)) - ord("a")
        if index < len(choices) and normalised[index] == labelled.group(2).strip():
            return index
    return None


def _numeric_match(text: str, choices: tuple[str, ...]) -> int | None:
    """The first numeric option equal to the answer's value, if both are numbers."""
    if not any(_looks_numeric(_normalise_choice(c)) for c in choices):
        return None
    try:
        value = read_real(text, Names())[0]
    except (ParseError, Undefined, TooComplex):
        return None
    for index, choice in enumerate(choices):
        if _looks_numeric(_normalise_choice(choice)) and close(value, to_real(Fraction(choice))):
            return index
    return None


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d+(\.\d*)?([eE][-+]?\d{1,3})?", text))


def choice_label(index: int) -> str:
    return chr(ord("a") + index)
