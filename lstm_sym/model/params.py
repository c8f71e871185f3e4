"""Parameter counts of whole networks, derived from the cells' tensor shapes.

A network is a cell stacked `layers` deep, optionally in both directions. Its
closed form is the sum of the cells' tensor counts with each layer's input size
substituted — never a formula typed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import sympy as sp

from lstm_sym.errors import UserError
from lstm_sym.model.cells import Cell, build_cell
from lstm_sym.model.notation import L, m, n, p

SYMBOL_ROLES = {n: "input", m: "hidden", p: "proj", L: "layers"}


@dataclass(frozen=True)
class NetworkSpec:
    """What `lstm-sym params` describes: a cell, its options and the network around it.

    >>> NetworkSpec("lstm", layers=2).layer_input(1)
    m
    """

    kind: str
    peephole: str = "none"
    bias: str | None = None
    convention: str = "lecture"
    gru_form: str = "after"
    layers: int = 1
    bidirectional: bool = False
    proj: bool = False
    g: str | None = None
    h: str | None = None

    def cell(self) -> Cell:
        return build_cell(self.kind, peephole=self.peephole, bias=self.bias,
                          convention=self.convention, gru_form=self.gru_form, proj=self.proj,
                          g=self.g, h=self.h)

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1

    def layer_input(self, layer: int) -> sp.Expr:
        """Input size of layer `layer` (0-based): x for the first, the previous outputs after."""
        if layer == 0:
            return n
        return self.directions * (p if self.proj else m)


@dataclass(frozen=True)
class ParamReport:
    """Closed form, optional total at concrete sizes, and the tensors behind it."""

    spec: NetworkSpec
    formula: sp.Expr
    total: int | None
    sizes: dict[sp.Symbol, int]
    tensors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "cell": self.spec.kind,
            "total": self.total,
            "formula": str(self.formula),
            "factored": str(sp.factor(self.formula)),
            "symbols": {str(s): SYMBOL_ROLES[s]
                        for s in sorted(self.formula.free_symbols, key=str)},
            "sizes": {SYMBOL_ROLES[s]: v for s, v in self.sizes.items()},
            "tensors": self.tensors,
        }


def count_params(
    spec: NetworkSpec,
    *,
    input_size: int | None = None,
    hidden: int | None = None,
    proj_size: int | None = None,
) -> ParamReport:
    """Count a network's parameters, symbolically and (with sizes) as a number.

    >>> r = count_params(NetworkSpec("lecture"), input_size=3, hidden=1)
    >>> r.formula, r.total
    (4*m*n + 4*m, 16)
    >>> count_params(NetworkSpec("lstm", convention="pytorch"), input_size=3, hidden=1).total
    24
    """
    if spec.layers < 1:
        raise UserError(f"--layers: expected a positive integer, got {spec.layers}")
    if spec.proj and spec.kind != "lstm":
        raise UserError(f"--proj: only --cell lstm has a projection, not --cell {spec.kind}")
    if spec.bidirectional and spec.kind in ("lecture", "ffn"):
        raise UserError(f"--bidirectional: --cell {spec.kind} does not read a sequence in order")
    if proj_size is not None and hidden is not None and proj_size >= hidden:
        raise UserError(f"--proj: must be smaller than --hidden ({hidden}), got {proj_size}")
    cell = spec.cell()
    per_cell = cell.param_count()
    first = per_cell
    later = per_cell.subs(n, spec.layer_input(1))
    layers_sym = L if spec.layers > 1 else 1
    formula = sp.expand(spec.directions * (first + (layers_sym - 1) * later))

    sizes: dict[sp.Symbol, int] = {}
    for sym, value in ((n, input_size), (m, hidden), (p, proj_size)):
        if value is not None:
            sizes[sym] = value
    if spec.layers > 1:
        sizes[L] = spec.layers
    missing = [SYMBOL_ROLES[s] for s in formula.free_symbols if s not in sizes]
    total = None
    tensors: list[dict] = []
    if not missing:
        total = int(formula.subs(sizes))
        tensors = _tensors(spec, cell, sizes)
        assert sum(t["count"] for t in tensors) == total  # two derivations of one number
    elif input_size is not None or hidden is not None:
        flags = {"input": "--input", "hidden": "--hidden", "proj": "--proj"}
        raise UserError(f"{flags[sorted(missing)[0]]}: needed for a total (or give no sizes "
                        "for the closed form alone)")
    return ParamReport(spec, formula, total, sizes, tensors)


def _tensors(spec: NetworkSpec, cell: Cell, sizes: dict) -> list[dict]:
    out = []
    for layer in range(spec.layers):
        for direction in range(spec.directions):
            prefix = f"l{layer}" + ("_reverse" if direction else "")
            values = {**sizes, n: spec.layer_input(layer).subs(sizes)}
            for prm in cell.params:
                shape = [int(sp.sympify(d).subs(values)) for d in prm.shape]
                out.append({"name": f"{prefix}.{prm.name}", "shape": shape,
                            "count": shape[0] * shape[1]})
    return out


@dataclass(frozen=True)
class Comparison:
    """One of the lecture's comparisons: ours / theirs, and what it means."""

    other: str
    ratio: sp.Expr
    sentence: str


_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six")


def _words(count: int) -> str:
    return _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)


def weight_blocks(cell: Cell) -> tuple[str, ...]:
    """The gates (or inputs) a cell has one weight block for, in the cell's order.

    >>> weight_blocks(build_cell("gru"))
    ('r', 'u', 'n')
    """
    return tuple(dict.fromkeys(str(prm.gate) for prm in cell.params))


def _inputs(cell: Cell) -> str:
    return ", ".join(eq.name for eq in cell.equations if eq.kind == "preactivation")


def ratio_of(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    """a/b in lowest terms. The counts are polynomials, so cancel settles it (and quickly:
    a first simplify in a process also imports sympy.physics, a quarter of a second);
    simplify is kept for a ratio cancel leaves open.

    >>> n, m = sp.symbols("n m")
    >>> ratio_of(3 * m * (n + m + 1), 4 * m * (n + m + 1))
    3/4
    """
    ratio = sp.cancel(a / b)
    return ratio if ratio.is_number else sp.simplify(a / b)


def comparisons(spec: NetworkSpec) -> list[Comparison]:
    """Ratios the lecture talks about, at the same sizes and bias convention.

    >>> [str(c.ratio) for c in comparisons(NetworkSpec("gru"))]
    ['3', '3/4']
    """
    return list(_comparisons(spec))  # a fresh list: the cached tuple is shared


@cache  # SymPy's simplify is slow; specs and comparisons are frozen, so one per spec
def _comparisons(spec: NetworkSpec) -> tuple[Comparison, ...]:
    mine_cell = spec.cell()
    mine = mine_cell.param_count()
    blocks = len(weight_blocks(mine_cell))

    def other_cell(kind: str) -> Cell:
        return NetworkSpec(kind, bias=spec.bias, convention=spec.convention).cell()

    def ratio_to(kind: str) -> sp.Expr:
        return ratio_of(mine, other_cell(kind).param_count())

    out = []
    if spec.kind == "lecture":
        r = ratio_to("ffn")
        out.append(Comparison("ffn", r, f"{_times(r)} a feed-forward layer of the same width: "
                              f"each memory cell needs {_words(blocks)} inputs "
                              f"({_inputs(mine_cell)}) where a neuron needs one."))
    if spec.kind == "gru" or (spec.kind == "lstm" and not spec.proj and spec.peephole == "none"):
        r = ratio_to("rnn")
        out.append(Comparison("rnn", r, f"{_times(r)} a plain RNN layer of the same sizes: "
                              f"{_words(blocks)} weight blocks where the plain layer has "
                              f"{_words(len(weight_blocks(other_cell('rnn'))))}."))
    if spec.kind == "gru":
        r = ratio_to("lstm")
        fewer = 1 - r
        more = 1 / r - 1
        lstm_blocks = len(weight_blocks(other_cell("lstm")))
        out.append(Comparison("lstm", r, (
            f"{r} of an LSTM of the same sizes: a GRU has {fewer} fewer parameters "
            f"({_words(blocks)} weight blocks instead of {_words(lstm_blocks)}), so an LSTM "
            f"has {more} more. The lecture notes say \"{more} fewer\"; that mixes up the two: "
            f"it is {fewer} fewer.")))
    if spec.kind == "lstm" and not spec.proj and spec.peephole == "none":
        r = ratio_of(other_cell("gru").param_count(), mine)
        out.append(Comparison("gru", 1 / r, (
            f"A GRU of the same sizes has {r} of these: {1 - r} fewer, not the {1 / r - 1} the "
            f"lecture notes give (an LSTM has {1 / r - 1} more than a GRU).")))
    return tuple(out)


def _times(r: sp.Expr) -> str:
    return f"{r}× the parameters of" if r.is_Integer else f"{r} of the parameters of"


def format_params_text(report: ParamReport) -> str:
    """The human-readable report `lstm-sym params` prints.

    >>> print(format_params_text(count_params(NetworkSpec("rnn"))).splitlines()[1])
    parameters: m**2 + m*n + m  =  m*(m + n + 1)
    """
    spec = report.spec
    lines = [f"{spec.cell().title}: bias={spec.cell().option('bias')}, "
             f"layers={spec.layers}, directions={spec.directions}"
             + (f", peephole={spec.peephole}" if spec.peephole != "none" else "")]
    lines.append(f"parameters: {report.formula}  =  {sp.factor(report.formula)}")
    if report.total is not None:
        at = ", ".join(f"{s}={v}" for s, v in report.sizes.items())
        lines.append(f"at {at}: {report.total}")
        for t in report.tensors:
            lines.append(f"  {t['name']:<16} {'×'.join(map(str, t['shape'])):>10}  {t['count']}")
    for comp in comparisons(spec):
        lines.append(f"note: {comp.sentence}")
    return "\n".join(lines)
