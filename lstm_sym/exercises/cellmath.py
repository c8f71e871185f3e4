"""The variant's pre-activations as formulas: SymPy expressions in x1, x2, x3 and LaTeX.

Every formula is built from the weight arrays, so a variant's sheet shows the
weights it was drawn with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

# Pre-activation name -> the suffix of its weights (W_z/b_z, W_i/b_i, ...).
SUFFIX = {"z": "z", "z_i": "i", "z_f": "f", "z_o": "o"}
GATE_OF = {"i": "z_i", "f": "z_f", "o": "z_o"}
TEX = {"z": "z", "z_i": "z_i", "z_f": "z_f", "z_o": "z_o", "i": r"\sigma(z_i)",
       "f": r"\sigma(z_f)", "o": r"\sigma(z_o)", "c": "c'", "y": "y"}


def input_symbols(n: int) -> list[sp.Symbol]:
    """x1 … xn (they print as x_{1} … in LaTeX, and parse back as x1)."""
    return [sp.Symbol(f"x{k}") for k in range(1, n + 1)]


def affine(weights: dict[str, Any], pre: str) -> sp.Expr:
    """The pre-activation as an expression in the inputs.

    >>> from lstm_sym.numeric.examples import LECTURE_PARAMS
    >>> affine(LECTURE_PARAMS, "z_i")
    100*x2 - 10
    """
    row = weights[f"W_{SUFFIX[pre]}"][0]
    bias = weights[f"b_{SUFFIX[pre]}"][0]
    xs = input_symbols(len(row))
    return sum((sp.Integer(w) * x for w, x in zip(row, xs)), sp.Integer(0)) + sp.Integer(bias)


def affine_tex(weights: dict[str, Any], pre: str) -> str:
    """LaTeX of the pre-activation formula, e.g. ``100 x_{2} - 10``."""
    return sp.latex(affine(weights, pre), order="lex")


def substituted_tex(weights: dict[str, Any], pre: str, x: Sequence[int]) -> str:
    """The formula with the step's inputs put in, before adding up: ``100 \\cdot 1 - 10``.

    >>> from lstm_sym.numeric.examples import LECTURE_PARAMS
    >>> substituted_tex(LECTURE_PARAMS, "z_f", [3, -1, 0])
    '100 \\\\cdot (-1) + 10'
    """
    row = weights[f"W_{SUFFIX[pre]}"][0]
    bias = weights[f"b_{SUFFIX[pre]}"][0]
    terms = []
    for w, v in zip(row, x):
        if w == 0:
            continue
        value = f"({v})" if v < 0 else str(v)
        terms.append(value if w == 1 else f"-{value}" if w == -1 else f"{w} \\cdot {value}")
    if bias or not terms:
        terms.append(str(bias))
    out = terms[0]
    for term in terms[1:]:
        out += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return out


def weight_of(weights: dict[str, Any], pre: str) -> tuple[int, int, int]:
    """(input channel 0-based, weight, bias) of a pre-activation driven by one input."""
    row = weights[f"W_{SUFFIX[pre]}"][0]
    channel = max(range(len(row)), key=lambda k: abs(row[k]))
    return channel, row[channel], weights[f"b_{SUFFIX[pre]}"][0]

