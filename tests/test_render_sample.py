"""A hand-built worksheet that uses every field of the content model.

Other render/pdf/worksheet tests import :func:`sample_worksheet`. Its numbers
come from the lecture example run through the numeric core (ideal and float
modes), not typed here.
"""

from __future__ import annotations

import numpy as np

from lstm_sym.handouts.content import (
    CellDiagram,
    Item,
    Section,
    Step,
    Student,
    Table,
    TableCell,
    TracePlot,
    Worksheet,
)
from lstm_sym.handouts.pictures import number
from lstm_sym.numeric.examples import example
from lstm_sym.numeric.run import run

WORDS = {
    "en": {
        "title": "The LSTM memory cell, step by step",
        "subtitle": "The lecture's worked example: five inputs through one memory cell",
        "instructions": "Fill in the blanks of the table. Steps $t = 1$ and $t = 4$ are "
                        "worked for you; a gate is open when $\\sigma(z) \\approx 1$.",
        "cell": "The cell", "cell_intro": "One memory cell reads $x_t \\in \\mathbb{R}^3$; "
                                          "$g$ and $h$ are the identity.",
        "trace": "Trace the memory", "trace_intro": "Start from $c_0 = 0$.",
        "caption": "Values with ideal gates (each $\\sigma$ is 0 or 1).",
        "prompt_c": "What is the memory $c_{t}$ after step $t = {t}$?",
        "prompt_y": "What is the output $y_{t}$ at step $t = {t}$?",
        "step_gates": "The gates at $t = {t}$: input, forget, output.",
        "step_c": "New memory: keep the old value through the forget gate, add the input.",
        "step_y": "The output gate lets the memory through (or not).",
        "gates": "Gates", "choice_prompt": "At $t = 3$ the input gate is",
        "open": "open", "closed": "closed",
        "formula_prompt": "Write the new memory $c'$ in terms of $z$, $z_i$, $z_f$ and $c$.",
        "formula_step": "Input through the input gate, old memory through the forget gate.",
        "plot": "The trace", "plot_caption": "Memory, output and gates over time.",
        "legend": {"c": "memory $c$", "y": "output $y$", "i": "input gate",
                   "f": "forget gate", "o": "output gate"},
        "diagram_caption": "The lecture's memory cell.",
    },
    "zh": {
        "title": "LSTM 记忆元：逐步计算",
        "subtitle": "课堂例题：五个输入依次通过一个记忆元",
        "instructions": "填写表格中的空格。$t = 1$ 与 $t = 4$ 两步已给出解答；"
                        "当 $\\sigma(z) \\approx 1$ 时门是打开的。",
        "cell": "记忆元",
        "cell_intro": "一个记忆元读入 $x_t \\in \\mathbb{R}^3$；$g$ 与 $h$ 都是恒等函数。",
        "trace": "追踪记忆", "trace_intro": "从 $c_0 = 0$ 开始。",
        "caption": "理想门（每个 $\\sigma$ 取 0 或 1）下的数值。",
        "prompt_c": "第 $t = {t}$ 步之后记忆元 $c_{t}$ 的值是多少？",
        "prompt_y": "第 $t = {t}$ 步的输出 $y_{t}$ 是多少？",
        "step_gates": "$t = {t}$ 时的三个门：输入门、遗忘门、输出门。",
        "step_c": "新的记忆：旧值经遗忘门保留，再加上经输入门的输入。",
        "step_y": "输出门决定记忆是否输出。",
        "gates": "门", "choice_prompt": "$t = 3$ 时输入门是",
        "open": "打开的", "closed": "关闭的",
        "formula_prompt": "用 $z$、$z_i$、$z_f$ 和 $c$ 写出新的记忆 $c'$。",
        "formula_step": "输入经过输入门，旧记忆经过遗忘门。",
        "plot": "轨迹图", "plot_caption": "记忆元、输出与各门随时间的变化。",
        "legend": {"c": "记忆元 $c$", "y": "输出 $y$", "i": "输入门", "f": "遗忘门",
                   "o": "输出门"},
        "diagram_caption": "课堂上的记忆元。",
    },
}
WORKED = (1, 4)
ASKED = (2, 3, 5)


def _n(value) -> str:
    return number(float(value))


def sample_worksheet(lang: str = "en", student: Student | None = None,
                     seed: int | None = None) -> Worksheet:
    """The solutions edition of a lecture-like sheet in `lang`."""
    w = WORDS[lang]
    ex = example("lecture-worked")
    ideal = run(ex.model, [ex.inputs], mode="ideal")
    exact = run(ex.model, [ex.inputs], mode="float")
    steps = [ideal.step_values(t) for t in range(len(ex.inputs))]
    floats = [exact.step_values(t) for t in range(len(ex.inputs))]

    def v(t: int, name: str) -> str:
        return _n(steps[t - 1][name][0])

    items = []
    for t in sorted(WORKED + ASKED):
        prev = v(t - 1, "c") if t > 1 else "0"
        solution = (
            Step(w["step_gates"].replace("{t}", str(t)),
                 math=(rf"\sigma(z_i) = \sigma({v(t, 'z_i')}) \approx {v(t, 'i')},\quad "
                       rf"\sigma(z_f) = \sigma({v(t, 'z_f')}) \approx {v(t, 'f')},\quad "
                       rf"\sigma(z_o) = \sigma({v(t, 'z_o')}) \approx {v(t, 'o')}")),
            Step(w["step_c"],
                 math=(rf"c_{t} = g(z)\,\sigma(z_i) + c_{t - 1}\,\sigma(z_f) = {v(t, 'z')} "
                       rf"\cdot {v(t, 'i')} + {prev} \cdot {v(t, 'f')} = {v(t, 'c')}"),
                 value=f"${v(t, 'c')}$"),
        )
        items.append(Item(f"trace.t{t}.c", w["prompt_c"].replace("{t}", str(t)), "number",
                          answer=f"${v(t, 'c')}$", exact=f"${float(floats[t - 1]['c'][0]):.6f}$",
                          worked=t in WORKED, solution=solution))
        items.append(Item(f"trace.t{t}.y", w["prompt_y"].replace("{t}", str(t)), "number",
                          answer=f"${v(t, 'y')}$", worked=t in WORKED,
                          solution=(Step(w["step_y"], math=rf"y_{t} = h(c_{t})\,\sigma(z_o) = "
                                         rf"{v(t, 'c')} \cdot {v(t, 'o')} = {v(t, 'y')}"),)))

    header = ("t", "x_1", "x_2", "x_3", "z", r"\sigma(z_i)", r"\sigma(z_f)", r"\sigma(z_o)",
              "c_t", "y_t")
    rows = []
    for t in range(1, len(ex.inputs) + 1):
        row = [TableCell(str(t))] + [TableCell(_n(x)) for x in ex.inputs[t - 1]]
        row += [TableCell(v(t, name)) for name in ("z", "i", "f", "o")]
        row += [TableCell(v(t, "c"), question=f"trace.t{t}.c"),
                TableCell(v(t, "y"), question=f"trace.t{t}.y")]
        rows.append(tuple(row))

    model = ex.model.layers[0]
    inputs = {}
    for name, gate in (("z", "z"), ("z_i", "i"), ("z_f", "f"), ("z_o", "o")):
        weights = [float(w_) for w_ in np.ravel(model[f"W_{gate}"])]
        bias = float(np.ravel(model[f"b_{gate}"])[0])
        terms = [f"{'' if w_ == 1 else _n(w_)}x_{k + 1}" for k, w_ in enumerate(weights) if w_]
        inputs[name] = " + ".join(terms) + (f" {'+' if bias > 0 else '-'} {_n(abs(bias))}"
                                            if bias else "")

    sections = (
        Section("cell", w["cell"], intro=w["cell_intro"],
                diagram=CellDiagram(inputs, g="g(z) = z", h="h(c') = c'",
                                    caption=w["diagram_caption"]),
                math=(r"z &= W_z x_t + b_z, & z_i &= W_i x_t + b_i, \\ "
                      r"z_f &= W_f x_t + b_f, & z_o &= W_o x_t + b_o, \\ "
                      r"c' &= g(z)\,\sigma(z_i) + c\,\sigma(z_f), & y &= h(c')\,\sigma(z_o)")),
        Section("trace", w["trace"], intro=w["trace_intro"],
                table=Table(header, tuple(rows), caption=w["caption"]), items=tuple(items)),
        Section("gates", w["gates"], items=(
            Item("gates.t3.i", w["choice_prompt"], "choice", answer=w["closed"],
                 choices=(w["open"], w["closed"]),
                 solution=(Step(w["step_gates"].replace("{t}", "3"), math=(
                     rf"\sigma(z_i) = \sigma({v(3, 'z_i')}) \approx {v(3, 'i')}")),)),
            Item("eq.c", w["formula_prompt"], "expression",
                 answer=r"$c' = g(z)\,\sigma(z_i) + c\,\sigma(z_f)$", answer_lines=2,
                 solution=(Step(w["formula_step"]),)),
        )),
        Section("plot", w["plot"], plot=TracePlot(
            t=tuple(range(1, len(ex.inputs) + 1)),
            series={name: tuple(float(s[name][0]) for s in floats)
                    for name in ("c", "y", "i", "f", "o")},
            labels=w["legend"], caption=w["plot_caption"])),
    )
    return Worksheet(w["title"], lang, "solutions", sections, subtitle=w["subtitle"],
                     instructions=w["instructions"], student=student, seed=seed)


def test_sample_covers_every_field():
    ws = sample_worksheet("zh", Student("s007", "李小龙"))
    secs = {s.family: s for s in ws.sections}
    assert secs["cell"].diagram and secs["cell"].math and secs["plot"].plot
    assert secs["trace"].table.rows[1][-2].text == "7"  # the lecture: 3 + 4 stored
    student = ws.student_edition()
    trace = {s.family: s for s in student.sections}["trace"]
    assert trace.table.rows[1][-2].blank and not trace.table.rows[0][-2].blank
    assert all(s.plot is None for s in student.sections)
