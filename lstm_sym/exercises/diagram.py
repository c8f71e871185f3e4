"""The picture of any cell, read off its equations: what each equation reads is an edge.

The lecture's memory cell keeps its own lecture-style picture (:class:`CellDiagram`);
every other cell (an LSTM, a GRU, an RNN, a cell whose gates carry other names) is drawn
as a layered flow: what a step reads (the input and the previous states) at the bottom,
then each equation one layer above the highest of its inputs.
"""

from __future__ import annotations

import sympy as sp

from lstm_sym.exercises.model import FlowDiagram, Text
from lstm_sym.model.cells import Cell
from lstm_sym.model.notation import display


def flow_diagram(cell: Cell, caption: Text | str = "") -> FlowDiagram:
    """Nodes and edges of `cell`, in equation order.

    >>> from lstm_sym.model.cells import build_cell
    >>> d = flow_diagram(build_cell("gru"))
    >>> [(name, layer) for name, _, _, layer in d.nodes]
    [('x', 0), ('h_prev', 0), ('z_r', 1), ('z_u', 1), ('r', 2), ('u', 2), ('z_n', 3), ('n', 4), ('h', 5)]
    >>> ("r", "z_n") in d.edges and ("h_prev", "h") in d.edges
    True
    """
    read = [cell.input.name, *(st.prev.name for st in cell.states)]
    layer = {name: 0 for name in read}
    nodes = [(name, display(name, lecture=cell.lecture)[1], "input" if name == cell.input.name
              else "state", 0) for name in read]
    edges = []
    for eq in cell.equations:
        sources = [name for name in dict.fromkeys(
            node.name for node in sp.preorder_traversal(eq.rhs)
            if isinstance(node, sp.MatrixSymbol)) if name in layer]
        layer[eq.name] = 1 + max((layer[name] for name in sources), default=0)
        nodes.append((eq.name, display(eq.name, lecture=cell.lecture)[1], eq.kind,
                      layer[eq.name]))
        edges += [(name, eq.name) for name in sources]
    return FlowDiagram(tuple(nodes), tuple(edges), caption)
