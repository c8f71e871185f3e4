"""Shared vocabulary: size symbols, the sigmoid, elementwise activations, display names.

Everything that turns a name into a picture (σ, c′, c_{t-1}) lives here so the
cell builders can stay free of presentation, and the printers free of cells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp
from sympy.core.symbol import Str
from sympy.matrices.expressions.matexpr import MatrixExpr

# Sizes. Positive integers, so SymPy can simplify shape arithmetic.
n = sp.Symbol("n", positive=True, integer=True)  # input size
m = sp.Symbol("m", positive=True, integer=True)  # hidden size (number of memory cells)
p = sp.Symbol("p", positive=True, integer=True)  # projection size (PyTorch's proj_size)
L = sp.Symbol("L", positive=True, integer=True)  # number of stacked layers



class sigma(sp.Function):
    """The logistic sigmoid σ(x) = 1 / (1 + e^(−x)), the lecture's gate function f.

    >>> x = sp.Symbol("x")
    >>> sigma(x).diff(x)
    (1 - sigma(x))*sigma(x)
    >>> sigma(0).rewrite(sp.exp)
    1/2
    """

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        s = sigma(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sp.exp(-x))

    def _eval_evalf(self, prec):
        return (1 / (1 + sp.exp(-self.args[0])))._eval_evalf(prec)

    def _latex(self, printer, exp=None):
        arg = printer._print(self.args[0])
        # \left( … \right) leaves a visible gap after \sigma; only a fraction needs it.
        body = rf"\sigma\left({arg}\right)" if r"\frac" in arg else rf"\sigma({arg})"
        return body if exp is None else f"{body}^{{{exp}}}"

    def _pretty(self, printer):
        return printer._print_Function(self, func_name="σ")


# Undefined functions for the lecture's generic form c' = g(z)f(z_i) + c f(z_f), y = h(c')f(z_o).
g_generic = sp.Function("g")
h_generic = sp.Function("h")


@dataclass(frozen=True)
class Activation:
    """An elementwise function with its scalar SymPy form.

    `scalar` maps a SymPy expression to the activation of it; `symbol` is how it
    prints in equations (None for the identity, which prints as nothing).
    """

    name: str
    scalar: Callable[[sp.Expr], sp.Expr]
    symbol: str | None


ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation("identity", lambda e: e, None),
    "sigmoid": Activation("sigmoid", sigma, "σ"),
    "tanh": Activation("tanh", sp.tanh, "tanh"),
    "relu": Activation("relu", lambda e: sp.Max(0, e), "relu"),
    "g": Activation("g", g_generic, "g"),
    "h": Activation("h", h_generic, "h"),
}
ACTIVATION_CHOICES = ("identity", "tanh", "sigmoid", "generic")


class Act(MatrixExpr):
    """An activation applied elementwise to a vector expression.

    >>> x = sp.MatrixSymbol("x", 2, 1)
    >>> Act("sigmoid", x).as_explicit()
    Matrix([
    [sigma(x[0, 0])],
    [sigma(x[1, 0])]])
    """

    def __new__(cls, fname: str, arg: MatrixExpr):
        fname = fname.name if isinstance(fname, Str) else fname  # doit() rebuilds from args
        if fname not in ACTIVATIONS:
            raise ValueError(f"unknown activation {fname!r}")
        if fname == "identity":
            return arg
        return MatrixExpr.__new__(cls, Str(fname), arg)

    @property
    def fname(self) -> str:
        return self.args[0].name

    @property
    def arg(self) -> MatrixExpr:
        return self.args[1]

    @property
    def shape(self):
        return self.arg.shape

    def _entry(self, i, j, **kwargs):
        return ACTIVATIONS[self.fname].scalar(self.arg._entry(i, j, **kwargs))


def activation_name(choice: str, generic: str) -> str:
    """Map a user's choice for g or h to an activation name.

    >>> activation_name("generic", "g"), activation_name("tanh", "g")
    ('g', 'tanh')
    """
    return generic if choice == "generic" else choice


# How names print. Keys are the plain names used in SymPy strings (parsable);
# values are (unicode, latex).
DISPLAY: dict[str, tuple[str, str]] = {
    "x": ("xₜ", "x_{t}"),
    "c_prev": ("cₜ₋₁", "c_{t-1}"),
    "h_prev": ("hₜ₋₁", "h_{t-1}"),
    "c": ("cₜ", "c_{t}"),
    "h": ("hₜ", "h_{t}"),
    "y": ("yₜ", "y_{t}"),
    "c_new": ("c′", "c'"),
    "W_proj": ("W_hr", "W_{hr}"),
}


def display(name: str, lecture: bool = False) -> tuple[str, str]:
    """Unicode and LaTeX spelling of a symbol name.

    The lecture's single cell has no time index: its memory is c and c′.

    >>> display("b_z")
    ('b_z', 'b_{z}')
    >>> display("bh_f")
    ('bʰ_f', 'b^{h}_{f}')
    >>> display("c", lecture=True)
    ('c', 'c')
    """
    if lecture and name in ("x", "c", "y"):
        return name, name
    if name in DISPLAY:
        return DISPLAY[name]
    head, _, sub = name.partition("_")
    sup_u, sup_l = "", ""
    if len(head) == 2 and head[0] in "bW" and head[1] in "xh":  # bx_z, bh_z: double bias
        sup_u = {"x": "ˣ", "h": "ʰ"}[head[1]]
        sup_l = f"^{{{head[1]}}}"
        head = head[0]
    if not sub:
        return head + sup_u, head + sup_l
    return f"{head}{sup_u}_{sub}", f"{head}{sup_l}_{{{sub}}}"
