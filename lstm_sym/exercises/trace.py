"""Trace step: z, z_i, z_f, z_o, the gates, c and y of each step of the worked sequence.

The lecture works steps 1 and 4 of [3,1,0] [4,1,0] [2,0,0] [1,0,1] [3,−1,0] and
leaves "the remaining three" to the reader; `variant.worked` says which steps are
shown solved. Answers are ideal (σ as a 0/1 step, as the lecture reasons) with the
exact values beside them; the exact gate values are a question of their own.
"""

from __future__ import annotations

from typing import Any

import mpmath

from lstm_sym.exercises.alternatives import FEEDBACK, alternative_step
from lstm_sym.exercises.cellmath import GATE_OF, TEX, affine_tex, substituted_tex, weight_of
from lstm_sym.exercises.formatting import (
    distinct_misconceptions,
    key_number,
    key_vector,
    tex_factor,
    tex_number,
    tex_vector,
)
from lstm_sym.exercises.model import (
    EXACT,
    IDEAL,
    RELATIVE,
    Exercise,
    Misconception,
    Question,
    Step,
    T,
    Table,
    TableCell,
    Text,
    TracePlot,
)
from lstm_sym.exercises.variant import SATURATION, Variant

FAMILY = "trace"
PRE_NAMES = ("z", "z_i", "z_f", "z_o")
GATES = ("i", "f", "o")
HEADER = ("t", "x", "z", "z_i", "z_f", "z_o", "i", "f", "o", "c", "y")
GATE_NAME = {g: T(f"ex.gate.{g}") for g in GATES}


def qid(t: int, name: str) -> str:
    """Question id of one table entry, e.g. ``trace.t2.c``."""
    return f"{FAMILY}.t{t}.{name}"


def _value(x: Any) -> str:
    return f"${tex_number(x)}$"


def _mcs(kind: str, answer: str, accept: tuple[str, ...], tolerance, pairs) -> tuple:
    candidates = [Misconception(name, value, FEEDBACK[name]) for name, value in pairs]
    return distinct_misconceptions(kind, (answer, *accept), tolerance, candidates)


def _pre_question(v: Variant, t: int, name: str, worked: bool) -> Question:
    row = v.trace("ideal")[t - 1]
    x = v.inputs[t - 1]
    value = row[name]
    channel, weight, bias = weight_of(v.weights, name)
    solution = (Step(T("ex.trace.sol.pre", name=TEX[name], input=f"x_{channel + 1}",
                       weight=weight, bias=bias),
                     " = ".join(dict.fromkeys((TEX[name], affine_tex(v.weights, name),
                                               substituted_tex(v.weights, name, x),
                                               tex_number(value)))),
                     _value(value)),)
    pairs = [("bias_ignored", key_number(alternative_step(v, "bias_ignored", t)[name]))]
    if t > 1:
        pairs.append(("previous_step", key_number(v.trace("ideal")[t - 2][name])))
    answer = key_number(value)
    return Question(qid(t, name), FAMILY, "integer",
                    T("ex.trace.q.pre", t=t, x=tex_vector(x), name=TEX[name]), answer,
                    worked=worked, solution=solution,
                    misconceptions=_mcs("integer", answer, (), EXACT, pairs))


def _gate_reason(pre: Any, gate: str) -> Text:
    key = "ex.trace.sol.gate_open" if pre > 0 else "ex.trace.sol.gate_closed"
    with mpmath.workdps(50):
        gap = 1 / (1 + mpmath.exp(mpmath.mpf(SATURATION)))  # 1 − σ(10) = σ(−10)
    return T(key, gate=GATE_NAME[gate], pre=tex_number(pre), bound=SATURATION,
             gap=tex_number(gap))


def _gate_question(v: Variant, t: int, gate: str, worked: bool) -> Question:
    row, exact = v.trace("ideal")[t - 1], v.trace("exact")[t - 1]
    pre = row[GATE_OF[gate]]
    ideal_value, exact_value = row[gate], exact[gate]
    solution = (Step(_gate_reason(pre, gate),
                     rf"{gate} = \sigma({tex_number(pre)}) = {tex_number(exact_value)} "
                     rf"\approx {tex_number(ideal_value)}", _value(ideal_value)),)
    answer, exact_key = key_number(ideal_value), key_number(exact_value)
    pairs = [("gate_inverted", key_number(alternative_step(v, "gate_inverted", t)[gate]))]
    return Question(qid(t, gate), FAMILY, "number",
                    T("ex.trace.q.gate", t=t, gate=GATE_NAME[gate], name=TEX[gate]),
                    answer, IDEAL, exact=exact_key, exact_display=tex_number(exact_value),
                    accept=(exact_key,), worked=worked, solution=solution,
                    misconceptions=_mcs("number", answer, (exact_key,), IDEAL, pairs))


def _gates_exact_question(v: Variant, t: int, worked: bool) -> Question:
    row, exact = v.trace("ideal")[t - 1], v.trace("exact")[t - 1]
    values = [exact[g] for g in GATES]
    solution = tuple(
        Step(T("ex.trace.sol.sigma", gate=GATE_NAME[g]),
             rf"{g} = \frac{{1}}{{1 + e^{{-({tex_number(row[GATE_OF[g]])})}}}} = "
             rf"{tex_number(exact[g])}", _value(exact[g]))
        for g in GATES)
    answer = key_vector(values)
    pairs = [("gate_as_01", key_vector(row[g] for g in GATES))]
    return Question(qid(t, "gates_exact"), FAMILY, "vector", T("ex.trace.q.gates_exact", t=t),
                    answer, RELATIVE, display=tex_vector(values), worked=worked,
                    solution=solution,
                    misconceptions=_mcs("vector", answer, (), RELATIVE, pairs))


def _memory_reason(i: Any, f: Any) -> Text:
    state = ("write" if i == 1 else "skip") + "_" + ("keep" if f == 1 else "erase")
    return T(f"ex.trace.sol.c.{state}")


def _memory_question(v: Variant, t: int, worked: bool) -> Question:
    row, exact = v.trace("ideal")[t - 1], v.trace("exact")[t - 1]
    z, i, f, c_prev, c = row["z"], row["i"], row["f"], row["c_prev"], row["c"]
    formula = r"c' = g(z)\,\sigma(z_i) + c\,\sigma(z_f)"
    solution = (
        Step(_memory_reason(i, f),
             rf"{formula} \approx {tex_factor(z)} \cdot {tex_number(i)} + "
             rf"{tex_factor(c_prev)} \cdot {tex_number(f)} = {tex_number(c)}",
             _value(c)),
        Step(T("ex.trace.sol.exact"),
             rf"c' = {tex_factor(z)}\,\sigma({tex_number(row['z_i'])}) + "
             rf"{tex_factor(exact['c_prev'])}\,\sigma({tex_number(row['z_f'])}) = "
             rf"{tex_number(exact['c'])}", _value(exact["c"])),
    )
    answer, exact_key = key_number(c), key_number(exact["c"])
    pairs = [(name, key_number(alternative_step(v, name, t)["c"]))
             for name in ("forget_ignored", "no_reset", "input_ignored")]
    pairs.append(("previous_step", key_number(c_prev)))
    return Question(qid(t, "c"), FAMILY, "number", T("ex.trace.q.c", t=t), answer, IDEAL,
                    exact=exact_key, exact_display=tex_number(exact["c"]), accept=(exact_key,),
                    worked=worked, solution=solution,
                    misconceptions=_mcs("number", answer, (exact_key,), IDEAL, pairs))


def _output_question(v: Variant, t: int, worked: bool) -> Question:
    row, exact = v.trace("ideal")[t - 1], v.trace("exact")[t - 1]
    c, o, y = row["c"], row["o"], row["y"]
    key = "ex.trace.sol.y.open" if o == 1 else "ex.trace.sol.y.closed"
    solution = (
        Step(T(key), rf"y = h(c')\,\sigma(z_o) \approx {tex_factor(c)} \cdot "
                     rf"{tex_number(o)} = {tex_number(y)}", _value(y)),
        Step(T("ex.trace.sol.exact"),
             rf"y = {tex_factor(exact['c'])}\,\sigma({tex_number(row['z_o'])}) = "
             rf"{tex_number(exact['y'])}", _value(exact["y"])),
    )
    answer, exact_key = key_number(y), key_number(exact["y"])
    pairs = [(name, key_number(alternative_step(v, name, t)["y"]))
             for name in ("output_always_open", "forget_ignored", "no_reset", "input_ignored")]
    if t > 1:
        pairs.append(("previous_step", key_number(v.trace("ideal")[t - 2]["y"])))
    return Question(qid(t, "y"), FAMILY, "number", T("ex.trace.q.y", t=t), answer, IDEAL,
                    exact=exact_key, exact_display=tex_number(exact["y"]), accept=(exact_key,),
                    worked=worked, solution=solution,
                    misconceptions=_mcs("number", answer, (exact_key,), IDEAL, pairs))


def step_questions(v: Variant, t: int) -> list[Question]:
    """Every question about step t (1-based), worked or not."""
    worked = t in v.worked
    return [*(_pre_question(v, t, name, worked) for name in PRE_NAMES),
            *(_gate_question(v, t, g, worked) for g in GATES),
            _gates_exact_question(v, t, worked),
            _memory_question(v, t, worked), _output_question(v, t, worked)]


def _table(v: Variant) -> Table:
    rows = []
    for t, row in enumerate(v.trace("ideal"), 1):
        cells = [TableCell(str(t)), TableCell(f"${tex_vector(v.inputs[t - 1])}$")]
        cells += [TableCell(_value(row[name]), question=qid(t, name))
                  for name in (*PRE_NAMES, *GATES, "c", "y")]
        rows.append(tuple(cells))
    return Table(HEADER, tuple(rows), T("ex.trace.table_caption"))


def _plot(v: Variant) -> TracePlot:
    rows = v.plot_trace()
    return TracePlot(tuple(range(1, len(rows) + 1)),
                     {name: tuple(r[name] for r in rows) for name in ("c", "y", "i", "f", "o")},
                     caption=T("ex.trace.plot_caption"))


def generate(v: Variant) -> Exercise:
    """The trace exercise of a variant.

    >>> from lstm_sym.exercises.variant import lecture_variant
    >>> ex = generate(lecture_variant())
    >>> [q.answer for q in ex.questions if q.id.endswith(".c")]
    ['3', '7', '7', '7', '0']
    """
    steps = range(1, len(v.inputs) + 1)
    questions = [q for t in steps for q in step_questions(v, t)]
    asked = tuple(t for t in steps if t not in v.worked)
    intro = (T("ex.trace.intro", worked=v.worked, asked=asked, steps=len(v.inputs)) if v.worked
             else T("ex.trace.intro_all", steps=len(v.inputs)))
    return Exercise(FAMILY, T("ex.trace.title"), intro,
                    tuple(questions), table=_table(v), plot=_plot(v))
