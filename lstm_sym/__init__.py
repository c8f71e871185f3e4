"""lstm_sym: one symbolic model of a recurrent cell, many views.

The public API mirrors the command line (same names, same options) and every result
displays well in Jupyter: ``equations`` as math, ``count_params``, ``trace`` and
``grad`` as tables, ``check`` as a verdict with feedback, ``worksheet`` as the sheet
and key in memory (``.write(folder)`` writes the files).

>>> from lstm_sym import equations, count_params, trace
>>> print(equations("lecture").unicode().splitlines()[-1])
  y = c′ ⊙ σ(z_o)
>>> count_params("lstm", convention="pytorch", input=64, hidden=128)
<parameters of LSTM: 99328 at n=64, m=128; 4*m**2 + 4*m*n + 8*m>
>>> trace(example="lecture-worked", gates="ideal")
<lecture trace (ideal gates): 5 steps of x, z, z_i, z_f, z_o, i, f, o, c, y>
"""

from __future__ import annotations

__version__ = "0.1.0"

from lstm_sym.api.checks import CheckResult, Practice, check
from lstm_sym.api.counts import ParamCount, count_params
from lstm_sym.api.equations import CellEquations, equations
from lstm_sym.api.traces import GradientProgram, Gradients, Trace, grad, trace
from lstm_sym.api.worksheets import Handouts, worksheet
from lstm_sym.errors import UserError
from lstm_sym.model.cells import Cell, build_cell
from lstm_sym.model.params import NetworkSpec
from lstm_sym.model.printing import Equations

__all__ = ["Cell", "CellEquations", "CheckResult", "Equations", "GradientProgram", "Gradients",
           "Handouts", "NetworkSpec", "ParamCount", "Practice", "Trace", "UserError",
           "__version__", "build_cell", "check", "count_params", "equations", "grad", "trace",
           "worksheet"]
