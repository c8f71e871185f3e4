"""Trace step: every equation of the cell at every step of the sequence.

The questions come from the cell's equations (:mod:`lstm_sym.exercises.anatomy`): one
per equation and step, with the id ``trace.t{t}.{name}`` (a new state under the state's
own name, a gate under the gate's name). One trace table shows the sequence: rows are
steps, columns the cell's quantities; a worked step shows its values, every other value
is a numbered box. Box numbers are labels only; ids stay ``trace.t{t}.{name}``.

A clean variant's answers are idealised as the lecture reasons (σ as 0/1, tanh as ±1)
with the exact values beside them; a teacher's own weights are asked to four
significant figures, the key keeping 12, and the tolerance accepts what the weights
printed on the sheet (4 decimals) give.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from lstm_sym.exercises.alternatives import FEEDBACK
from lstm_sym.exercises.anatomy import Anatomy, Quantity, anatomy
from lstm_sym.exercises.formatting import distinct_misconceptions, key_number, tex_number
from lstm_sym.exercises.model import (
    EXACT,
    IDEAL,
    Exercise,
    Misconception,
    Question,
    Step,
    T,
    Table,
    TableCell,
    Text,
    Tolerance,
    TracePlot,
)
from lstm_sym.exercises.variant import (
    GATES,
    OUTPUT,
    STATE,
    Row,
    Variant,
    make_model,
    pinning,
    saturated_backend,
)
from lstm_sym.model.notation import Act
from lstm_sym.model.printing import Equations
from lstm_sym.numeric.run import run

FAMILY = "trace"
DIGITS = 4  # significant figures asked for values that are not idealised
KEY_DIGITS = 12  # significant figures the key keeps
PRINTED_DECIMALS = 4  # decimals of the weights printed on the sheet
RELATIVE_SLACK = 1e-3  # 4 significant figures, rounded either way


def qid(t: int, name: str) -> str:
    """Question id of one table entry, e.g. ``trace.t2.c``."""
    return f"{FAMILY}.t{t}.{name}"


# --- numbers as the sheet and the key write them ------------------------------------------


def sig_tex(value: Any, digits: int = DIGITS) -> str:
    """A value to `digits` significant figures (LaTeX).

    >>> sig_tex(mpmath.mpf("0.123456")), sig_tex(mpmath.mpf(2)), sig_tex(mpmath.mpf("-1.5e-7"))
    ('0.1235', '2', '-1.5 \\\\cdot 10^{-7}')
    """
    with mpmath.workdps(50):
        x = mpmath.mpf(value)
        if x == int(x):
            return str(int(x))
        text = mpmath.nstr(x, digits, min_fixed=-4, max_fixed=6)
    if "e" in text:
        mant, exp = text.split("e")
        return rf"{mant} \cdot 10^{{{int(exp)}}}"
    return text


def _tex_values(values: tuple, fmt) -> str:
    parts = [fmt(v) for v in values]
    return parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"


def _key_values(values: tuple, digits: int = KEY_DIGITS) -> str:
    parts = [key_number(v, digits) for v in values]
    return parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"


def printed(value: Any) -> Any:
    """A weight as the sheet prints it: integers as they are, others to 4 decimals.

    >>> printed(0.123456), printed(3)
    (0.1235, 3)
    """
    return value if isinstance(value, int) else round(float(value), PRINTED_DECIMALS)


def printed_weights(weights: dict[str, Any]) -> dict[str, Any]:
    """The weights rounded as printed on the sheet."""
    return {k: [printed(v) if not isinstance(v, list) else [printed(w) for w in v]
                for v in value] for k, value in weights.items()}


# --- the questions ---------------------------------------------------------------------


def boxes(v: Variant) -> dict[str, int]:
    """Box number of every value the student finds, in table order (step by step, then
    the cell's quantities); worked values get none. The handout numbers the table's boxes
    the same way (lstm_sym.handouts.layout.box_numbers).

    >>> b = boxes(__import__("lstm_sym.exercises.variant", fromlist=["x"]).lecture_variant())
    >>> b["trace.t2.z"], b["trace.t3.z"], len(b)
    (1, 10, 27)
    """
    parts = anatomy(v.model.cell)
    asked = [t for t in range(1, len(v.inputs) + 1) if t not in v.worked]
    ids = [qid(t, q.name) for t in asked for q in parts.quantities]
    return {q: k for k, q in enumerate(ids, 1)}


def _bias_sum(v: Variant, q: Quantity) -> tuple:
    """The bias terms of a pre-activation, summed (what "forgot the bias" leaves out)."""
    cell = v.model.cell
    eq = cell.equation(q.equation)
    names = {node.name for node in sp.preorder_traversal(eq.rhs)
             if isinstance(node, sp.MatrixSymbol)}
    total = None
    for prm in cell.params:
        if prm.name in names and "bias" in prm.role:
            values = [mpmath.mpf(x) for x in np.ravel(np.array(v.weights[prm.name], dtype=object))]
            total = values if total is None else [a + b for a, b in zip(total, values)]
    return tuple(total) if total is not None else ()


def _pinned(v: Variant, pins: tuple[tuple[str, int], ...]) -> dict[tuple[str, int], list[Row]]:
    """Every step again from the right states, with one gate pinned open (1) or closed
    (0): a student who misreads that gate at this step. One batched ideal run for all
    the pins: a column per (pin, step)."""
    cell = v.model.cell
    rows = v.rows("ideal")
    steps = len(v.inputs)
    init = {st.name: [list(r[f"{st.name}_prev"]) for r in rows] * len(pins)
            for st in cell.states}

    trace = run(v.model, [[list(x)] for x in v.inputs] * len(pins), mode="ideal", dps=50,
                backend=saturated_backend(), bind=pinning(pins, width=steps),
                h0=init.get("h"), c0=init.get("c"))
    env = trace.layers[0].steps[0]
    parts = anatomy(cell)
    return {pin: [{q.name: tuple(env[q.equation][:, k * steps + b]) for q in parts.quantities}
                  for b in range(steps)] for k, pin in enumerate(pins)}


class _Memo(dict):
    """Runs shared by all questions of one trace exercise (pinned gates, printed weights)."""

    def get_or(self, key: tuple, make) -> Any:
        if key not in self:
            self[key] = make()
        return self[key]


# A pinned gate's misconception in words for any cell (the lecture cell keeps its own).
PIN_FEEDBACK = {"forget_ignored": "ex.mc.cell.keep_ignored", "no_reset": "ex.mc.cell.no_reset",
                "input_ignored": "ex.mc.cell.write_ignored",
                "output_always_open": "ex.mc.cell.read_always"}


def _feedback(v: Variant, parts: Anatomy, name: str, gate: str | None) -> Text:
    if v.lecture or name not in PIN_FEEDBACK or gate is None:
        return FEEDBACK[name]
    state = next((st for st, g in {**parts.keep, **parts.write}.items() if g == gate),
                 parts.state_names[0])
    return T(PIN_FEEDBACK[name], gate=parts.quantity(gate).tex,
             state=parts.quantity(state).tex)


def _cell_pins(parts: Anatomy) -> list[tuple[str, str, int]]:
    """(misconception, gate, 0 or 1): every gate a student may misread as always shut or
    always open; the read gate's only for the output.

    >>> from lstm_sym.exercises.cellmath import lecture_cell
    >>> _cell_pins(anatomy(lecture_cell()))[-1]
    ('output_always_open', 'o', 1)
    """
    pins = []
    for st, gate in parts.keep.items():
        pins += [("forget_ignored", gate, 0), ("no_reset", gate, 1)]
        if st in parts.write:
            pins.append(("input_ignored", parts.write[st], 1))
    if parts.read:
        pins.append(("output_always_open", parts.read, 1))
    return pins


def _alternatives(v: Variant, parts: Anatomy, q: Quantity, t: int,
                  memo: _Memo) -> list[tuple[str, tuple, Text]]:
    """(misconception id, values, feedback) candidates for quantity q at step t."""
    rows = v.answer_rows()
    value = rows[t - 1][q.name]
    out: list[tuple[str, tuple, Text]] = []
    if q.kind == "preactivation":
        bias = _bias_sum(v, q)
        if bias:
            out.append(("bias_ignored", tuple(a - b for a, b in zip(value, bias)),
                        FEEDBACK["bias_ignored"]))
    if q.is_gate:
        out.append(("gate_inverted", tuple(1 - a for a in value), FEEDBACK["gate_inverted"]))
    state = parts.state_of(q.name)
    output = q.name == parts.quantities[-1].name
    if v.ideal and (state or output):
        pins = [pin for pin in _cell_pins(parts) if output or pin[0] != "output_always_open"]
        pinned = memo.get_or(("pins",), lambda: _pinned(
            v, tuple(dict.fromkeys((gate, pin) for _, gate, pin in _cell_pins(parts))))) \
            if pins else {}
        for name, gate, pin in pins:
            out.append((name, pinned[(gate, pin)][t - 1][q.name], _feedback(v, parts, name, gate)))
    if t > 1 and q.kind != "gate":
        out.append(("previous_step", rows[t - 2][q.name], FEEDBACK["previous_step"]))
    return out


def _tolerance_exact(v: Variant, q: Quantity, t: int, memo: _Memo) -> Tolerance:
    """What accepts answers computed from the printed weights: twice the gap the rounding
    of the weights makes, and 4 significant figures either way."""
    rows = memo.get_or(("printed",), lambda: _printed_rows(v))
    gap = max((abs(a - b) for a, b in zip(v.rows("exact")[t - 1][q.name],
                                         rows[t - 1][q.name])), default=0)
    return Tolerance(abs=float(mpmath.nstr(2 * gap, 3)) if gap else 0.0, rel=RELATIVE_SLACK)


def _printed_rows(v: Variant) -> list[Row]:
    from lstm_sym.exercises.variant import sequence_rows

    model = make_model(v.cell, printed_weights(v.weights), "printed weights")
    inputs = [[printed(x) for x in step] for step in v.inputs]
    h0, c0 = ([printed(x) for x in start] if start is not None else None
              for start in (v.h0, v.c0))
    return sequence_rows(model, inputs, "exact", h0, c0)


def _question(v: Variant, parts: Anatomy, q: Quantity, t: int, box: int | None,
              explanation: Text | None, memo: _Memo) -> Question:
    worked = t in v.worked
    value = v.answer_rows()[t - 1][q.name]
    exact = v.rows("exact")[t - 1][q.name]
    size = len(value)
    vector = size > 1
    answer = _key_values(value)
    if v.ideal:
        same = all(a == b for a, b in zip(value, exact))
        integral = all(a == int(a) for a in value)
        if same and integral:
            kind, tol, exact_key, display_exact = ("vector" if vector else "integer"), EXACT, \
                None, None
        else:
            kind, tol = ("vector" if vector else "number"), IDEAL
            exact_key, display_exact = _key_values(exact), _tex_values(exact, tex_number)
        display = _tex_values(value, tex_number)
        accept = (exact_key,) if exact_key else ()
    else:
        kind, tol = ("vector" if vector else "number"), _tolerance_exact(v, q, t, memo)
        exact_key = display_exact = None
        display, accept = _tex_values(value, sig_tex), ()
    prompt = (T("ex.trace.q.worked", t=t, name=q.tex) if box is None
              else T("ex.trace.q.box" if v.ideal else "ex.trace.q.box_sig", t=t, name=q.tex,
                     box=box, digits=DIGITS))
    numbers = _substituted(v, q, t)
    math = f"{q.tex} = {_formula(v, q)} = " + (f"{numbers} = " if numbers else "") + display
    if q.argument is not None and v.ideal:  # σ(90) = 1 − 8.2·10⁻⁴⁰ ≈ 1: the idealisation shown
        pre = v.answer_rows()[t - 1][q.argument]
        math = (f"{q.tex} = {_apply_tex(q, _tex_values(pre, tex_number))} = "
                f"{_tex_values(exact, tex_number)} \\approx {display}")
    solution = (Step(explanation or T("ex.trace.sol.value"), math, f"${display}$"),)
    candidates = [Misconception(name, _key_values(vals), feedback)
                  for name, vals, feedback in _alternatives(v, parts, q, t, memo)
                  if len(vals) == size]
    mcs = distinct_misconceptions(kind, (answer, *accept), tol, candidates)
    return Question(qid(t, q.name), FAMILY, kind, prompt, answer, tol,
                    display=display, exact=exact_key, exact_display=display_exact,
                    accept=accept, worked=worked, solution=solution, misconceptions=mcs)


@lru_cache(maxsize=64)
def _formulas(cell, scalar: bool) -> dict[str, str]:
    eqs = Equations.of(cell, compact=False, scalar=scalar)
    return {eq.name: rhs for eq, (_, rhs) in zip(eqs.items, eqs.latex_rows())}


def _substituted(v: Variant, q: Quantity, t: int) -> str | None:
    """The equation with this step's numbers put in (one hidden unit), e.g. for the
    lecture's z_i at step 1: ``100 \\cdot 1 - 10``; None where it says nothing more."""
    if v.model.sizes["hidden"] != 1 or q.argument is not None:
        return None
    cell = v.model.cell
    row = v.answer_rows()[t - 1]
    fmt = tex_number if v.ideal else sig_tex
    known: dict[str, Any] = {p.name: np.ravel(np.array(v.weights[p.name], dtype=object))
                             for p in cell.params}
    known[cell.input.name] = v.inputs[t - 1]
    for st in cell.states:
        known[st.prev.name] = row[f"{st.name}_prev"]
    for other in anatomy(cell).quantities:
        known[other.equation] = row[other.name]
    text = _numbers(cell.equation(q.equation).rhs, known, fmt)
    return None if text in (fmt(row[q.name][0]),) else text


def _factor(text: str) -> str:
    return f"({text})" if text.startswith("-") or " " in text else text


def _numbers(expr: sp.Basic, known: dict[str, Any], fmt) -> str:
    """An equation's right-hand side with numbers for symbols (scalar, hidden size 1)."""
    if isinstance(expr, sp.MatrixSymbol):
        return fmt(known[expr.name][0])
    if isinstance(expr, sp.OneMatrix):
        return "1"
    if isinstance(expr, Act):
        inner = _numbers(expr.arg, known, fmt)
        head = {"sigmoid": r"\sigma", "tanh": r"\tanh"}.get(expr.fname)
        return f"{head}({inner})" if head else inner
    if isinstance(expr, sp.HadamardProduct):
        return r" \cdot ".join(_factor(_numbers(a, known, fmt)) for a in expr.args)
    if isinstance(expr, sp.MatMul):
        mats = [a for a in expr.args if isinstance(a, sp.MatrixExpr)]
        coeff = sp.Mul(*[a for a in expr.args if not isinstance(a, sp.MatrixExpr)])
        if len(mats) == 2 and isinstance(mats[0], sp.MatrixSymbol) and mats[0].name in known \
                and isinstance(mats[1], sp.MatrixSymbol):
            terms = [(w, x) for w, x in zip(known[mats[0].name], known[mats[1].name]) if w != 0]
            text = " + ".join(fmt(x) if w == 1 else f"{_factor(fmt(w))} \\cdot {_factor(fmt(x))}"
                              for w, x in terms) or "0"
        else:
            text = r" \cdot ".join(_factor(_numbers(a, known, fmt)) for a in mats)
        return text if coeff == 1 else f"-{_factor(text)}" if coeff == -1 else \
            f"{coeff} \\cdot {_factor(text)}"
    if isinstance(expr, sp.MatAdd):
        parts = [_numbers(a, known, fmt) for a in expr.args]
        parts = [p for p in parts if p != "0"] or ["0"]
        out = parts[0]
        for part in parts[1:]:
            out += f" - {part[1:]}" if part.startswith("-") else f" + {part}"
        return out
    raise TypeError(f"no numbers for {type(expr).__name__}")


def _apply_tex(q: Quantity, arg: str) -> str:
    head = {"sigmoid": r"\sigma", "tanh": r"\tanh"}.get(q.activation, q.activation)
    return f"{head}({arg})"


def _formula(v: Variant, q: Quantity) -> str:
    return _formulas(v.model.cell, v.model.sizes["hidden"] == 1)[q.equation]


def _explanation(v: Variant, parts: Anatomy, t: int) -> Text:
    """One sentence for the whole step: which gates are open, what happens to each state."""
    row = v.answer_rows()[t - 1]
    if not v.ideal:
        return T("ex.trace.sol.step_exact", t=t)
    opened = [g.tex for g in parts.gates if all(x == 1 for x in row[g.name])]
    closed = [g.tex for g in parts.gates if all(x == 0 for x in row[g.name])]
    return T("ex.trace.sol.step", t=t,
             open=", ".join(f"${g}$" for g in opened) or "–",
             closed=", ".join(f"${g}$" for g in closed) or "–")


def step_questions(v: Variant, t: int, numbers: dict[str, int] | None = None,
                   memo: _Memo | None = None) -> list[Question]:
    """Every question about step t (1-based), worked or not."""
    parts = anatomy(v.model.cell)
    numbers = boxes(v) if numbers is None else numbers
    memo = _Memo() if memo is None else memo
    out = []
    for k, q in enumerate(parts.quantities):
        explanation = _explanation(v, parts, t) if k == 0 else None
        out.append(_question(v, parts, q, t, numbers.get(qid(t, q.name)), explanation, memo))
    return out


def _table(v: Variant, numbers: dict[str, int]) -> Table:
    """Rows = steps, columns = the cell's quantities; each entry a value or a numbered box."""
    parts = anatomy(v.model.cell)
    header = ("t", "x", *(q.tex for q in parts.quantities))
    fmt = tex_number if v.ideal else sig_tex
    rows = []
    for t, row in enumerate(v.answer_rows(), 1):
        cells = [TableCell(str(t)), TableCell(f"${_tex_values(v.inputs[t - 1], _plain)}$")]
        for q in parts.quantities:
            name = qid(t, q.name)
            cells.append(TableCell(f"${_tex_values(row[q.name], fmt)}$", question=name,
                                   box=numbers.get(name)))
        rows.append(tuple(cells))
    return Table(header, tuple(rows), T("ex.trace.table_caption"))


def _plain(x: Any) -> str:
    """An input as the sheet prints it (4 decimals, as the weights)."""
    value = printed(x)
    return str(value) if isinstance(value, int) else f"{value:.{PRINTED_DECIMALS}f}"


def _plot(v: Variant) -> TracePlot | None:
    if not v.lecture:
        return None  # the plot's series are the lecture cell's (c, y, i, f, o)
    rows = v.plot_trace()
    return TracePlot(tuple(range(1, len(rows) + 1)),
                     {name: tuple(r[name] for r in rows) for name in (STATE, OUTPUT, *GATES)},
                     caption=T("ex.trace.plot_caption"))


def generate(v: Variant) -> Exercise:
    """The trace exercise of a variant.

    >>> from lstm_sym.exercises.variant import lecture_variant
    >>> ex = generate(lecture_variant())
    >>> [q.answer for q in ex.questions if q.id.endswith(".c")]
    ['3', '7', '7', '7', '0']
    """
    steps = range(1, len(v.inputs) + 1)
    numbers = boxes(v)
    memo = _Memo()
    questions = [q for t in steps for q in step_questions(v, t, numbers, memo)]
    asked = tuple(t for t in steps if t not in v.worked)
    kind = "ideal" if v.ideal else "exact"
    if v.worked and asked:
        intro = T(f"ex.trace.intro.{kind}", worked=v.worked, asked=asked, steps=len(v.inputs),
                  digits=DIGITS)
    else:
        intro = T(f"ex.trace.intro_all.{kind}", steps=len(v.inputs), digits=DIGITS)
    return Exercise(FAMILY, T("ex.trace.title"), intro,
                    tuple(questions), table=_table(v, numbers), plot=_plot(v))
