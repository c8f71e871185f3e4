"""SymPy's opinion on equivalence, for the sandbox only.

These functions receive parsed nodes (never text) and may be slow or even hang
inside SymPy, so they are only ever called through :mod:`sandbox`, which kills
the worker after a time limit. σ becomes 1/(1+exp(-x)) so that SymPy's
simplifier knows what it is.

>>> from lstm_sym.checker.nodes import num
>>> simplifies_to_zero(("call", "sigma", (num(0),)), ("num", Fraction(1, 2), "0.5"))
True
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from lstm_sym.checker import limits
from lstm_sym.checker.nodes import Node
from lstm_sym.checker.numeric import TooComplex

_FUNCTIONS = {
    "sigma": lambda x: 1 / (1 + sp.exp(-x)),
    "exp": sp.exp,
    "tanh": sp.tanh,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "abs": sp.Abs,
}


def _power(base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
    # SymPy evaluates Integer**Integer eagerly (in C, uninterruptibly): check the size first.
    if base.is_Rational and exponent.is_Integer and base not in (0, 1, -1):
        bits = max(abs(base.p).bit_length(), abs(base.q).bit_length())
        if abs(int(exponent)) * bits > limits.MAX_EXACT_BITS:
            raise TooComplex("power too large")
    return sp.Pow(base, exponent)


def to_sympy(node: Node) -> sp.Expr:
    """The SymPy expression for a node; variables are real symbols."""
    kind = node[0]
    if kind == "num":
        value: Fraction = node[1]
        return sp.Rational(value.numerator, value.denominator)
    if kind == "var":
        return sp.Symbol(node[1], real=True)
    if kind == "const":
        return sp.E if node[1] == "e" else sp.pi
    if kind == "neg":
        return -to_sympy(node[1])
    if kind == "sum":
        return sp.Add(*(to_sympy(t) if s == "+" else -to_sympy(t) for s, t in node[1]))
    if kind == "prod":
        return sp.Mul(*(to_sympy(f) if op == "*" else 1 / to_sympy(f) for op, f in node[1]))
    if kind == "pow":
        return _power(to_sympy(node[1]), to_sympy(node[2]))
    if kind == "call":
        return _FUNCTIONS[node[1]](to_sympy(node[2][0]))
    if kind == "ufunc":
        return sp.Function(node[1])(*(to_sympy(a) for a in node[2]))
    raise ValueError(f"not a node: {node!r}")


def simplifies_to_zero(expected: Node, answer: Node) -> bool:
    """True if SymPy simplifies ``expected - answer`` to 0 (False is not a proof)."""
    difference = to_sympy(expected) - to_sympy(answer)
    if difference == 0:
        return True
    if sp.simplify(difference) == 0:
        return True
    return sp.simplify(difference.rewrite(sp.exp)) == 0
