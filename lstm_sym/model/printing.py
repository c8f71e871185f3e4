"""Printing cells: SymPy printer subclasses for Unicode, LaTeX and a parsable plain form.

Printing is kept out of the model (as sympy.physics.mechanics does): the cell
holds SymPy objects, these printers decide how σ, ⊙, c′ and c_{t-1} look.
The ``format_*`` functions are pure; the CLI prints what they return.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from lstm_sym.model.cells import Cell, Equation, inline
from lstm_sym.model.notation import ACTIVATIONS, display, sigma

FORMATS = ("unicode", "latex", "markdown", "json")


def _act_symbol(fname: str) -> str:
    return ACTIVATIONS[fname].symbol or fname


class PlainPrinter(StrPrinter):
    """A one-line form that :func:`parse_plain` (SymPy's sympify) reads back.

    Vectors print as scalars and both products as ``*``: every operation but the
    matrix product is elementwise, so the string reads as the equation of one unit.
    """

    def _print_MatrixSymbol(self, expr):
        return expr.name

    def _print_HadamardProduct(self, expr):
        return "*".join(self.parenthesize(a, sp.printing.precedence.PRECEDENCE["Mul"])
                        for a in expr.args)

    def _print_MatMul(self, expr):
        return self._print_HadamardProduct(expr)

    def _print_MatAdd(self, expr):
        return self._print_Add(sp.Add(*[_scalar_shadow(a) for a in expr.args], evaluate=False),
                               order="none")

    def _print_Act(self, expr):
        name = {"sigmoid": "sigma"}.get(expr.fname, expr.fname)
        return f"{name}({self._print(expr.arg)})"

    def _print_OneMatrix(self, expr):
        return "1"


def _scalar_shadow(expr: sp.Basic) -> sp.Expr:
    """The scalar expression a vector equation stands for, unit by unit.

    >>> from lstm_sym.model.cells import build_cell
    >>> _scalar_shadow(build_cell("lecture").equation("c_new").rhs)
    c*f + i*z
    """
    from lstm_sym.model.notation import Act

    if isinstance(expr, sp.MatrixSymbol):
        return sp.Symbol(expr.name)
    if isinstance(expr, sp.OneMatrix):
        return sp.Integer(1)
    if isinstance(expr, Act):
        fn = {"sigmoid": sigma, "tanh": sp.tanh}.get(expr.fname) or sp.Function(expr.fname)
        return fn(_scalar_shadow(expr.arg))
    if isinstance(expr, sp.MatAdd):
        return sp.Add(*[_scalar_shadow(a) for a in expr.args])
    if isinstance(expr, (sp.MatMul, sp.HadamardProduct)):
        return sp.Mul(*[_scalar_shadow(a) for a in expr.args])
    if isinstance(expr, sp.Expr) and not isinstance(expr, sp.MatrixExpr):
        return expr
    raise TypeError(f"cannot print {type(expr).__name__}")


PARSE_NAMESPACE = {"sigma": sigma, "tanh": sp.tanh, "g": sp.Function("g"), "h": sp.Function("h")}


def parse_plain(text: str) -> sp.Expr:
    """Read back our own plain form (trusted text we printed; never student input).

    >>> parse_plain("sigma(z_i)*z + c*f")
    c*f + z*sigma(z_i)
    """
    names = {s: sp.Symbol(s) for s in ("c", "f", "i", "o", "n", "u", "r", "z", "x", "y", "h_prev")}
    return sp.sympify(text, locals={**names, **PARSE_NAMESPACE})


class _VectorPrinting:
    """What the Unicode and LaTeX printers share: terms in the cell's order, ⊙ for the
    elementwise product, juxtaposition for the matrix product. Subclasses set the glyphs."""

    lecture = False
    scalar = False
    name_index = 0  # 0: Unicode spelling, 1: LaTeX spelling (see notation.display)
    minus = "-"
    hadamard = " ⊙ "
    scalar_product = "·"

    def __init__(self, lecture: bool = False, scalar: bool = False):
        super().__init__({"order": "none"})
        self.lecture, self.scalar = lecture, scalar

    def _print_MatrixSymbol(self, expr):
        return display(expr.name, lecture=self.lecture)[self.name_index]

    def _join(self, args, sep: str) -> str:
        return sep.join(self.parenthesize(a, sp.printing.precedence.PRECEDENCE["Mul"])
                        for a in args)

    def _print_HadamardProduct(self, expr):
        return self._join(expr.args, self.scalar_product if self.scalar else self.hadamard)

    def _print_MatMul(self, expr):
        args = [a for a in expr.args if a != -1]
        return (self.minus if len(args) < len(expr.args) else "") + self._join(args, " ")

    def _print_MatAdd(self, expr):
        out = []
        for i, term in enumerate(expr.args):
            text = self._print(term)
            if text.startswith(self.minus):
                out.append(("" if i == 0 else " ") + self.minus + " " * (i > 0)
                           + text[len(self.minus):])
            else:
                out.append(("" if i == 0 else " + ") + text)
        return "".join(out)


class UnicodePrinter(_VectorPrinting, StrPrinter):
    """Terminal form: σ, tanh, ⊙, subscripts as the lecture writes them."""

    minus = "−"

    def _print_Act(self, expr):
        return f"{_act_symbol(expr.fname)}({self._print(expr.arg)})"

    def _print_OneMatrix(self, expr):
        return "1"


class TexPrinter(_VectorPrinting, LatexPrinter):
    """LaTeX form: ``\\sigma``, ``\\odot``, ``c_{t-1}``; terms in the order the cell wrote them."""

    name_index = 1
    hadamard = r" \odot "
    scalar_product = r" \, "

    def _print_Act(self, expr):
        head = {"sigmoid": r"\sigma", "tanh": r"\tanh"}.get(expr.fname, expr.fname)
        arg = self._print(expr.arg)
        # \left( … \right) leaves a visible gap after \sigma; only tall arguments need it.
        if any(tall in arg for tall in (r"\frac", r"\begin", r"\sum", r"\prod")):
            return head + r"\left(" + arg + r"\right)"
        return f"{head}({arg})"

    def _print_OneMatrix(self, expr):
        return r"1" if self.scalar else r"\mathbf{1}"


@dataclass(frozen=True)
class Equations:
    """A cell's equations, ready to print; renders as math in Jupyter.

    >>> from lstm_sym.model.cells import build_cell
    >>> eqs = Equations.of(build_cell("lecture"))
    >>> print(eqs.unicode().splitlines()[-2].strip())
    c′ = z ⊙ σ(z_i) + c ⊙ σ(z_f)
    """

    cell: Cell
    items: tuple[Equation, ...]
    scalar: bool = False

    @classmethod
    def of(cls, cell: Cell, compact: bool | None = None, scalar: bool = False) -> Equations:
        """`compact` substitutes the gate activations into c and y, as the lecture writes
        c′ = g(z)f(z_i) + c·f(z_f); it is the default for the lecture's cell."""
        compact = cell.lecture if compact is None else compact
        items = cell.equations
        if compact:
            items = inline(items, keep=tuple(e.name for e in items if e.kind != "gate"))
        return cls(cell, items, scalar)

    def _rows(self, printer) -> list[tuple[str, str]]:
        return [(printer.doprint(eq.lhs), printer.doprint(eq.rhs)) for eq in self.items]

    def unicode(self) -> str:
        rows = self._rows(UnicodePrinter(self.cell.lecture, self.scalar))
        width = max(len(lhs) for lhs, _ in rows)
        lines = [f"{lhs.rjust(width)} = {rhs}" for lhs, rhs in rows]
        return "\n".join([f"{self.cell.title} ({_options_text(self.cell)})", *lines]).rstrip()

    def latex_rows(self) -> list[tuple[str, str]]:
        return self._rows(TexPrinter(self.cell.lecture, self.scalar))

    def latex(self, standalone: bool = False) -> str:
        body = " \\\\\n".join(f"  {lhs} &= {rhs}" for lhs, rhs in self.latex_rows())
        block = "\\begin{align*}\n" + body + "\n\\end{align*}"
        if not standalone:
            return block
        return ("\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
                f"\\section*{{{self.cell.title}}}\n{block}\n{_legend_tex()}\n\\end{{document}}")

    def markdown(self) -> str:
        body = " \\\\\n".join(f"{lhs} &= {rhs}" for lhs, rhs in self.latex_rows())
        return (f"**{self.cell.title}** ({_options_text(self.cell)})\n\n"
                f"$$\n\\begin{{aligned}}\n{body}\n\\end{{aligned}}\n$$\n\n{_legend_md()}")

    def as_dict(self) -> dict:
        plain, tex = PlainPrinter({"order": "none"}), TexPrinter(self.cell.lecture, self.scalar)
        return {
            "cell": self.cell.kind,
            "options": dict(self.cell.options),
            "equations": [
                {"name": eq.name, "lhs": eq.name, "rhs": plain.doprint(eq.rhs),
                 "latex": tex.doprint(eq.rhs), "kind": eq.kind,
                 "shape": [str(d) for d in eq.lhs.shape]}
                for eq in self.items
            ],
        }

    def json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)

    def _repr_latex_(self) -> str:
        body = " \\\\ ".join(f"{lhs} &= {rhs}" for lhs, rhs in self.latex_rows())
        return f"$$\\begin{{aligned}} {body} \\end{{aligned}}$$"

    def __str__(self) -> str:
        return self.unicode()


def _options_text(cell: Cell) -> str:
    return ", ".join(f"{k}={v}" for k, v in cell.options)


def _legend_tex() -> str:
    return (r"\noindent $\sigma(x) = 1/(1+e^{-x})$ is the logistic sigmoid (the lecture's $f$); "
            r"$\odot$ is the elementwise product.")


def _legend_md() -> str:
    return ("$\\sigma(x) = 1/(1+e^{-x})$ is the logistic sigmoid (the lecture's $f$); "
            "$\\odot$ is the elementwise product.")


def format_equations(eqs: Equations, fmt: str, standalone: bool = False) -> str:
    """Render equations in one of :data:`FORMATS`.

    >>> from lstm_sym.model.cells import build_cell
    >>> print(format_equations(Equations.of(build_cell("rnn", bias="double")), "latex"))
    \\begin{align*}
      z &= W x_{t} + U h_{t-1} + b^{x} + b^{h} \\\\
      h_{t} &= \\tanh(z)
    \\end{align*}
    """
    if fmt == "unicode":
        return eqs.unicode()
    if fmt == "latex":
        return eqs.latex(standalone=standalone)
    if fmt == "markdown":
        return eqs.markdown()
    if fmt == "json":
        return eqs.json()
    raise ValueError(fmt)
