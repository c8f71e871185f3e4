"""lstm_sym: one symbolic model of a recurrent cell, many views.

>>> from lstm_sym import build_cell, equations
>>> print(equations("lecture").unicode().splitlines()[-1])
  y = c′ ⊙ σ(z_o)
"""

from __future__ import annotations

__version__ = "0.1.0"

from lstm_sym.errors import UserError
from lstm_sym.model.cells import Cell, build_cell
from lstm_sym.model.params import NetworkSpec, count_params
from lstm_sym.model.printing import Equations


def equations(cell: Cell | str = "lecture", compact: bool | None = None, **options) -> Equations:
    """A cell's equations; renders as math in Jupyter.

    >>> equations("gru", gru_form="before").items[-1].name
    'h'
    """
    if isinstance(cell, str):
        cell = build_cell(cell, **options)
    return Equations.of(cell, compact=compact)


__all__ = ["Cell", "Equations", "NetworkSpec", "UserError", "__version__", "build_cell",
           "count_params", "equations"]
