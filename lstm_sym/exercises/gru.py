"""GRU vs LSTM: gates, equations and the parameter ratio.

The lecture notes say a GRU has "1/3 fewer parameters". Counted from the cells, a
GRU has three weight blocks where an LSTM has four: 3/4 of an LSTM, i.e. 1/4
fewer; it is the LSTM that has 1/3 more. The solutions say so, with the numbers
computed from the two cells.
"""

from __future__ import annotations

from functools import cache, lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from lstm_sym.exercises.formatting import distinct_misconceptions
from lstm_sym.exercises.model import EXACT, Exercise, Misconception, Question, Step, T, Text
from lstm_sym.exercises.param_count import at, blocks, blocks_tex, formula
from lstm_sym.exercises.slips import lecture_slips
from lstm_sym.exercises.variant import Variant
from lstm_sym.model.cells import build_cell
from lstm_sym.model.notation import m, n
from lstm_sym.model.params import NetworkSpec, comparisons
from lstm_sym.model.printing import Equations, TexPrinter

FAMILY = "gru"
# Marks: reading the cell is 1; PyTorch's count takes a derivation (2); "how much more"
# needs the ratio turned around (2).
POINTS = {"gates": 1, "ratio": 1, "fewer": 1, "more": 2, "total": 2, "keep_gate": 1}


@cache
def gate_count(kind: str) -> int:
    """How many σ gates a cell has.

    >>> gate_count("gru"), gate_count("lstm")
    (2, 3)
    """
    return sum(eq.kind == "gate" for eq in build_cell(kind).equations)


@cache
def ratio() -> sp.Rational:
    """GRU parameters / LSTM parameters at the same sizes (and bias convention)."""
    return next(c.ratio for c in comparisons(NetworkSpec("gru")) if c.other == "lstm")


@cache
def keep_gate() -> str:
    """The GRU gate that multiplies h_{t−1} in the new state (how much of it is kept)."""
    eq = build_cell("gru").equation("h")
    entry = eq.rhs.subs({m: 1, n: 1}).as_explicit()[0, 0]
    elements = {el.parent.name: el for el in entry.atoms(MatrixElement)}
    factor = sp.diff(entry, elements["h_prev"])
    (gate,) = [name for name, el in elements.items() if factor == el]
    return gate


@cache
def _notes_feedback() -> Text:
    r = ratio()
    return T("ex.mc.gru.notes_fewer", more=sp.latex(1 / r - 1), fewer=sp.latex(1 - r))


def _mcs(kind: str, answer: str, candidates) -> tuple[Misconception, ...]:
    def feedback(mc: str) -> Text:
        return _notes_feedback() if mc == "notes_fewer" else T(f"ex.mc.gru.{mc}")

    return distinct_misconceptions(kind, (answer,), EXACT,
                                   [Misconception(i, str(a), feedback(i)) for i, a in candidates])


def gate_equations_tex(kind: str) -> str:
    """The cell's gate equations, printed by the model's printer.

    >>> print(gate_equations_tex("gru"))
    r = \\sigma(z_{r}),\\quad u = \\sigma(z_{u})
    """
    cell = build_cell(kind)
    printer = TexPrinter(cell.lecture)
    return r",\quad ".join(f"{printer.doprint(eq.lhs)} = {printer.doprint(eq.rhs)}"
                           for eq in cell.equations if eq.kind == "gate")


def _names(kind: str) -> tuple[str, ...]:
    cell = build_cell(kind)
    return tuple(f"${TexPrinter(cell.lecture).doprint(eq.lhs)}$" for eq in cell.equations
                 if eq.kind == "gate")


@cache
def _gates() -> Question:
    gru, lstm = gate_count("gru"), gate_count("lstm")
    steps = (Step(T("ex.gru.sol.gates", gru=gru, lstm=lstm, gru_names=_names("gru"),
                    lstm_names=_names("lstm")), gate_equations_tex("gru"), f"${gru}$"),)
    return Question(f"{FAMILY}.gates", FAMILY, "integer", T("ex.gru.q.gates"), str(gru),
                    solution=steps, points=POINTS["gates"],
                    misconceptions=_mcs("integer", str(gru), [("lstm_gates", lstm)]))


def _block_counts() -> tuple[int, int]:
    """How many equal weight blocks the GRU and the LSTM have (one bias per block)."""
    gru, _ = blocks(NetworkSpec("gru", bias="single"))
    lstm, _ = blocks(NetworkSpec("lstm", bias="single"))
    return len(gru), len(lstm)


@cache
def _ratio() -> Question:
    """The derivation: a GRU has 3 equal blocks where an LSTM has 4 of the same size."""
    r = ratio()
    gru, lstm = NetworkSpec("gru", bias="single"), NetworkSpec("lstm", bias="single")
    k_gru, k_lstm = _block_counts()
    assert sp.Rational(k_gru, k_lstm) == r  # equal blocks: the ratio is the block ratio
    steps = (Step(T("ex.gru.sol.blocks", gru=k_gru, lstm=k_lstm,
                    gru_names=tuple(f"${g}$" for g in blocks(gru)[0]),
                    lstm_names=tuple(f"${g}$" for g in blocks(lstm)[0])),
                  rf"\frac{{{blocks_tex(gru)}}}{{{blocks_tex(lstm)}}} = {sp.latex(r)}",
                  f"${sp.latex(r)}$"),)
    notes_ratio = 1 - (1 / r - 1)  # "1/3 fewer", as the notes say
    return Question(f"{FAMILY}.ratio", FAMILY, "expression", T("ex.gru.q.ratio"), str(r),
                    display=sp.latex(r), solution=steps, points=POINTS["ratio"],
                    misconceptions=_mcs("expression", str(r), [("notes_fewer", notes_ratio),
                                                               ("ratio_inverted", 1 / r)]))


@cache
def _fewer() -> Question:
    """From the ratio: the GRU lacks (4 − 3) of the LSTM's 4 blocks."""
    r = ratio()
    k_gru, k_lstm = _block_counts()
    answer = 1 - r
    assert answer == sp.Rational(k_lstm - k_gru, k_lstm)
    steps = (Step(T("ex.gru.sol.fewer", ratio=sp.latex(r), missing=k_lstm - k_gru,
                    lstm=k_lstm),
                  rf"\frac{{{k_lstm} - {k_gru}}}{{{k_lstm}}} = 1 - {sp.latex(r)} = "
                  rf"{sp.latex(answer)}", f"${sp.latex(answer)}$"),)
    return Question(f"{FAMILY}.fewer", FAMILY, "expression", T("ex.gru.q.fewer"), str(answer),
                    display=sp.latex(answer), solution=steps, points=POINTS["fewer"],
                    misconceptions=_mcs("expression", str(answer),
                                        [("notes_fewer", 1 / r - 1), ("ratio_given", r)]))


@cache
def _more() -> Question:
    """From the ratio: the LSTM has (4 − 3) block more than the GRU's 3, measured
    against the GRU."""
    r = ratio()
    k_gru, k_lstm = _block_counts()
    answer = 1 / r - 1
    assert answer == sp.Rational(k_lstm - k_gru, k_gru)
    steps = (Step(T("ex.gru.sol.more", ratio=sp.latex(r), extra=k_lstm - k_gru, gru=k_gru),
                  rf"\frac{{{k_lstm} - {k_gru}}}{{{k_gru}}} = {sp.latex(1 / r)} - 1 = "
                  rf"{sp.latex(answer)}", f"${sp.latex(answer)}$"),)
    return Question(f"{FAMILY}.more", FAMILY, "expression", T("ex.gru.q.more"), str(answer),
                    display=sp.latex(answer), solution=steps, points=POINTS["more"],
                    misconceptions=_mcs("expression", str(answer), [("more_fewer_swapped", 1 - r)]))


@cache
def _latex(expr: sp.Expr) -> str:
    return sp.latex(expr)


@lru_cache(maxsize=256)
def _total(n: int, m: int) -> Question:
    """The PyTorch count at the sheet's sizes (a few sizes serve a whole class)."""
    sizes = {"n": n, "m": m}
    spec = NetworkSpec("gru", convention="pytorch")
    total = at(formula(spec), sizes)
    lstm = at(formula(NetworkSpec("lstm", convention="pytorch")), sizes)
    r = ratio()
    notes = sp.Rational(lstm) * (1 - (1 / r - 1))
    candidates = [("lstm_count", lstm), ("single_bias", at(formula(NetworkSpec("gru", bias="single")),
                                                           sizes))]
    if notes.is_Integer:  # an integer question cannot list a fractional wrong answer
        candidates.insert(0, ("notes_fewer", notes))
    names = tuple(f"${g}$" for g in blocks(spec)[0])
    closed = _latex(formula(spec))
    steps = (Step(T("ex.gru.sol.total", names=names), rf"{blocks_tex(spec)} = {closed}",
                  f"${closed}$"),
             Step(T("ex.params.sol.at", sizes=f"n = {n},\\ m = {m}"),
                  rf"{closed} = {total} = {_latex(r)} \cdot {lstm}",
                  f"${total}$"))
    return Question(f"{FAMILY}.total", FAMILY, "integer",
                    T("ex.gru.q.total", n=n, m=m, count=len(names)),
                    str(total), solution=steps, points=POINTS["total"],
                    misconceptions=_mcs("integer", str(total), candidates))


@cache
def _keep_gate() -> Question:
    answer = keep_gate()
    h = build_cell("gru").equation("h")
    steps = (Step(T("ex.gru.sol.keep_gate", gate=answer),
                  rf"{TexPrinter().doprint(h.lhs)} = {TexPrinter().doprint(h.rhs)}",
                  f"${answer}$"),)
    choices = ("r", "u")
    return Question(f"{FAMILY}.keep_gate", FAMILY, "choice", T("ex.gru.q.keep_gate"), answer,
                    choices=choices, solution=steps, points=POINTS["keep_gate"],
                    misconceptions=_mcs("choice", answer,
                                        [("reset_gate", c) for c in choices if c != answer]))


def generate(v: Variant) -> Exercise:
    """The GRU-vs-LSTM exercise.

    >>> from lstm_sym.exercises.variant import lecture_variant
    >>> [q.answer for q in generate(lecture_variant()).questions]
    ['2', '3/4', '1/4', '1/3', '42', 'u']
    """
    # Only the sizes and whether the sheet is the lecture cell's change between variants.
    return _exercise(v.cell.get("cell") == "lecture", v.sizes["n"], v.sizes["m"])


@cache
def _equations_tex() -> str:
    equations = Equations.of(build_cell("gru", bias="single")).latex_rows()
    return r" \\ ".join(f"{lhs} &= {rhs}" for lhs, rhs in equations)


@lru_cache(maxsize=256)
def _exercise(lecture: bool, n: int, m: int) -> Exercise:
    # The lecture notes' slips, once, at the end of the solutions of a lecture-cell sheet.
    notes = lecture_slips() if lecture else ()
    return Exercise(FAMILY, T("ex.gru.title"), T("ex.gru.intro"), math=_equations_tex(),
                    questions=(_gates(), _ratio(), _fewer(), _more(), _total(n, m), _keep_gate()),
                    notes=notes)
