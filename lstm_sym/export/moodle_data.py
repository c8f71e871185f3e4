"""The data a Moodle question depends on, as HTML tables and ``\\( … \\)`` math, built from
the key's ``exercise`` block alone (cell options, weights, inputs, sizes).

Moodle draws a random variant of a slot for each student, so a question cannot lean on
a sheet, on another question or on "the trace above": each one carries what it needs.
Which data a question needs follows its family:

* ``trace.t{t}.*``: the cell's equations, its weights, the inputs of steps 1…t and the
  zero start state;
* ``memory.*``: equations, weights and the memory-puzzle inputs;
* ``gradient.*``: equations, weights and the whole trace's inputs;
* ``gates.*``: equations and weights; ``shapes.*``: the sizes;
* ``params.*`` and ``gru.*`` state their sizes in the prompt and need nothing;
* any other family gets everything the exercise block holds.

>>> from lstm_sym.exercises import build_set
>>> html = data_html(build_set().key(), "trace.t2.c")
>>> "\\\\(W_{z}\\\\)" in html, html.count("<tr>")  # 8 weights, a header and steps 1 and 2
(True, 11)
>>> data_html(build_set().key(), "params.lstm_total")
''
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from lstm_sym.i18n import msg

Key = Mapping[str, Any]

# What each family's questions depend on; families not listed get everything.
NEEDS: dict[str, tuple[str, ...]] = {
    "trace": ("cell", "weights", "steps"),
    "memory": ("cell", "weights", "memory"),
    "gradient": ("cell", "weights", "trace"),
    "gates": ("cell", "weights"),
    "shapes": ("sizes",),
    "params": (),
    "gru": (),
}
EVERYTHING = ("cell", "weights", "trace", "memory", "sizes")
_STEP = re.compile(r"^trace\.t(\d+)\.")


def needs(qid: str) -> tuple[str, ...]:
    """What the question `qid` depends on.

    >>> needs("trace.t3.c"), needs("shapes.W_z"), needs("new_family.q")
    (('cell', 'weights', 'steps'), ('sizes',), ('cell', 'weights', 'trace', 'memory', 'sizes'))
    """
    return NEEDS.get(qid.split(".")[0], EVERYTHING)


def tex_number(value: Any) -> str:
    """A weight or input as LaTeX: integers plain, other numbers as written in the key.

    >>> tex_number(-10), tex_number(0.5), tex_number(2.0), tex_number(1e-05)
    ('-10', '0.5', '2', '1 \\\\cdot 10^{-5}')
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa} \\cdot 10^{{{int(exponent)}}}"
    return text


def tex_matrix(value: Any) -> str:
    """A key array (number, list or list of rows) as a LaTeX matrix.

    >>> tex_matrix([[1, 0], [0, 2]]), tex_matrix([5]), tex_matrix(3)
    ('\\\\begin{bmatrix}1 & 0 \\\\\\\\ 0 & 2\\\\end{bmatrix}', '5', '3')
    """
    if not isinstance(value, list):
        return tex_number(value)
    rows = value if value and isinstance(value[0], list) else [[v] for v in value]
    if len(rows) == 1 and len(rows[0]) == 1:
        return tex_number(rows[0][0])
    body = r" \\ ".join(" & ".join(tex_number(v) for v in row) for row in rows)
    return rf"\begin{{bmatrix}}{body}\end{{bmatrix}}"


def _math(tex: str) -> str:
    return f"\\({html.escape(tex, quote=False)}\\)"


def _table(header: Sequence[str] | None, rows: Sequence[Sequence[str]]) -> str:
    """A small bordered HTML table (cells are already HTML)."""
    style = ' style="border:1px solid #999;padding:2px 8px;text-align:center"'
    head = ("<thead><tr>" + "".join(f"<th{style}>{h}</th>" for h in header) + "</tr></thead>"
            if header else "")
    body = "".join("<tr>" + "".join(f"<td{style}>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table style="border-collapse:collapse;margin:4px 0">{head}<tbody>{body}</tbody></table>'



@cache
def _cell(options: tuple[tuple[str, str], ...]):
    from lstm_sym.numeric.weights import cell_from_options

    return cell_from_options(dict(options), "exercise: cell")


def _equations(cell) -> str:
    from lstm_sym.model.printing import Equations

    rows = Equations.of(cell).latex_rows()
    return r"\begin{aligned}" + r" \\ ".join(f"{lhs} &= {rhs}" for lhs, rhs in rows) + \
        r"\end{aligned}"


def _start_state(cell, exercise: Mapping[str, Any]) -> str:
    """The states before step 1: the key's h0/c0 where given, else zero."""
    from lstm_sym.model.notation import display

    out = []
    for s in cell.states:
        name = display(s.prev.name, lecture=True)[1] if cell.lecture else f"{s.name}_{{0}}"
        given = exercise.get(f"{s.name}0")
        value = tex_matrix([[v] for v in given]) if isinstance(given, list) and given else "0"
        out.append(_math(f"{name} = {value}"))
    return ", ".join(out)


def _inputs_table(inputs: Sequence[Sequence[Any]], lecture: bool) -> str:
    """One row per step. The lecture names the inputs x_1, x_2, … (one column each); a
    recurrent cell's x_t is one vector (one column, the step's vector)."""
    if lecture:
        header = [_math("t"), *(_math(f"x_{{{j}}}") for j in range(1, len(inputs[0]) + 1))]
        rows = [[str(t), *(_math(tex_number(v)) for v in step)] for t, step in enumerate(inputs, 1)]
    else:
        header = [_math("t"), _math("x_{t}")]
        rows = [[str(t), _math(tex_matrix([list(step)]) + r"^{\top}")]
                for t, step in enumerate(inputs, 1)]
    return _table(header, rows)


def _weights_table(weights: Mapping[str, Any], cell) -> str:
    from lstm_sym.model.notation import display

    order = [p.name for p in cell.params if p.name in weights] if cell else list(weights)
    rows = [[_math(display(name, lecture=bool(cell and cell.lecture))[1]),
             _math(tex_matrix(weights[name]))] for name in order]
    return _table(None, rows)


def _step_count(qid: str, inputs: Sequence[Any]) -> int:
    found = _STEP.match(qid)
    return min(int(found.group(1)), len(inputs)) if found else len(inputs)


def data_html(key: Key, qid: str) -> str:
    """The HTML block that makes question `qid` of `key` answerable on its own ('' if the
    question needs nothing beyond its prompt)."""
    exercise = key.get("exercise") or {}
    lang = exercise.get("lang", "en")
    wanted = needs(qid)
    cell = None
    if {"cell", "weights", "steps", "trace", "memory"} & set(wanted) and exercise.get("cell"):
        try:
            cell = _cell(tuple(sorted(exercise["cell"].items())))
        except Exception:  # an unknown cell in an edited key: show the raw weights only
            cell = None
    out: list[str] = []
    if "cell" in wanted and cell is not None:
        out.append(f"<p>{msg(lang, 'moodle.data.cell')} {_math(_equations(cell))}</p>")
    if "weights" in wanted and exercise.get("weights"):
        out.append(f"<p>{msg(lang, 'moodle.data.weights')}</p>"
                   + _weights_table(exercise["weights"], cell))
    inputs = exercise.get("inputs") or []
    sequence = {"steps": inputs[:_step_count(qid, inputs)], "trace": inputs,
                "memory": exercise.get("memory_inputs") or []}
    for which in ("steps", "trace", "memory"):
        if which in wanted and sequence[which]:
            start = _start_state(cell, exercise) if cell is not None else _math("0")
            out.append(f"<p>{msg(lang, f'moodle.data.{which}', start=start)}</p>"
                       + _inputs_table(sequence[which], cell is None or cell.lecture))
            if which == "steps" and exercise.get("ideal", True):
                out.append(f"<p>{msg(lang, 'moodle.data.ideal')}</p>")
    sizes = exercise.get("sizes") or {}
    if "sizes" in wanted and sizes:
        listed = ", ".join(_math(f"{name} = {tex_number(value)}") for name, value in sizes.items())
        out.append(f"<p>{msg(lang, 'moodle.data.sizes', sizes=listed)}</p>")
    return "\n".join(out)

