"""`equations(...)`: a cell's equations as a result that displays as math in Jupyter."""

from __future__ import annotations

from typing import Any

from lstm_sym.model.cells import Cell
from lstm_sym.model.printing import Equations


class CellEquations(Equations):
    """:class:`~lstm_sym.model.printing.Equations` with a short ``repr`` and the CLI's
    title and legend around the math in Jupyter.

    >>> eqs = equations("gru")
    >>> repr(eqs)
    '<equations of GRU (gru_form=after, bias=single): z_r, z_u, r, u, z_n, n, h>'
    """

    def title(self) -> str:
        """The title line `lstm-sym equations` prints: the cell and its options."""
        return self.unicode().split("\n", 1)[0]

    def legend(self) -> str:
        """What σ and ⊙ mean, as `--format markdown` prints it (inline ``$…$`` math)."""
        return self.markdown().rsplit("\n\n", 1)[1]

    def __repr__(self) -> str:
        names = ", ".join(eq.name for eq in self.items)
        return f"<equations of {self.title()}: {names}>"

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_latex_(self) -> str:
        # Text outside $…$ shows as text where text/latex is rendered (MathJax, KaTeX).
        body = " \\\\ ".join(f"{lhs} &= {rhs}" for lhs, rhs in self.latex_rows())
        return f"{self.title()}\n$$\\begin{{aligned}} {body} \\end{{aligned}}$$\n{self.legend()}"


def equations(cell: Cell | str = "lecture", compact: bool | None = None,
              **options: Any) -> CellEquations:
    """A cell's equations, as `lstm-sym equations` prints them; math in Jupyter.

    `cell` is a name (``lecture``, ``lstm``, ``gru``, ``rnn``, ``ffn``) or a built
    :class:`~lstm_sym.model.cells.Cell`; the options are the command's: ``peephole``,
    ``bias``, ``convention``, ``gru_form``, ``g``, ``h``, ``proj``. `compact`
    substitutes the gates into c and y (the lecture cell's default).

    >>> print(equations("lecture").unicode().splitlines()[-1])
      y = c′ ⊙ σ(z_o)
    >>> equations("lstm", peephole="diagonal").items[-1].name
    'h'
    """
    if isinstance(cell, str):
        from lstm_sym.api.arguments import namespace
        from lstm_sym.cli.common import spec_from_args

        args = namespace("equations", {"cell": cell, **options})
        cell = spec_from_args(args).cell()
    elif options:
        raise TypeError(f"equations: options {sorted(options)} need a cell name, not a built Cell")
    return CellEquations.of(cell, compact=compact)
