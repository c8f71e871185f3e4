"""Traces as reports: where the model and inputs come from, and how a trace prints.

`trace_report` turns a :class:`~lstm_sym.numeric.Trace` into rows of named values
(one row per time step, per sequence); the ``format_*`` functions are pure.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np

from lstm_sym.errors import UserError
from lstm_sym.numeric.examples import example
from lstm_sym.numeric.run import run
from lstm_sym.numeric.weights import Model, load_model, read_json

TRACE_FORMATS = ("table", "json", "csv", "markdown")


@dataclass
class RunInputs:
    """A model and what to feed it, from an example or from files."""

    model: Model
    inputs: Any
    h0: Any = None
    c0: Any = None
    name: str = ""


def load_run_inputs(args) -> RunInputs:
    """Resolve --example / --weights / --inputs / --h0 / --c0 into a :class:`RunInputs`."""
    if args.example and (args.weights or args.inputs):
        raise UserError("--example: give either an example or --weights with --inputs")
    h0 = read_json(args.h0, "--h0") if args.h0 else None
    c0 = read_json(args.c0, "--c0") if args.c0 else None
    if args.example or not (args.weights or args.inputs):
        ex = example(args.example or "lecture-worked")
        if args.cell not in (None, "lecture"):
            raise UserError(f"--cell {args.cell}: the lecture examples use --cell lecture")
        return RunInputs(ex.model, ex.inputs, h0, c0, ex.name)
    if not args.weights:
        raise UserError("--weights: needed with --inputs (or use --example)")
    if not args.inputs:
        raise UserError("--inputs: needed with --weights")
    model = load_model(args.weights, args.cell)
    return RunInputs(model, read_json(args.inputs, "--inputs"), h0, c0, str(args.weights))


@dataclass
class TraceReport:
    """Rows of a trace, ready to print; values stay in the mode's number type."""

    name: str
    mode: str
    cell: str
    columns: list[str]
    sequences: list[list[dict[str, Any]]]
    warnings: list[dict[str, Any]] = field(default_factory=list)
    dtype: str = "float64"  # float traces: float64 or float32


def trace_report(src: RunInputs, mode: str = "exact", tol: float = 1e-3,
                 dtype: str = "float64") -> TraceReport:
    """Run the model and collect every named value per step.

    In ideal mode the exact trace is run too, and every value further than `tol`
    from its exact counterpart is listed in `warnings` (and so is a gate whose
    pre-activation is exactly 0, which the 0/1 idealisation cannot decide).

    >>> from lstm_sym.numeric.examples import example
    >>> ex = example("lecture-worked")
    >>> rep = trace_report(RunInputs(ex.model, ex.inputs), mode="ideal")
    >>> [int(r["c"][0]) for r in rep.sequences[0]], rep.warnings
    ([3, 7, 7, 7, 0], [])
    """
    trace = run(src.model, src.inputs, mode=mode, h0=src.h0, c0=src.c0, dtype=dtype)
    batch, steps = trace.inputs.shape[0], trace.inputs.shape[1]
    seqs = [[trace.step_values(t, b) for t in range(steps)] for b in range(batch)]
    columns = list(seqs[0][0].keys())
    warnings: list[dict[str, Any]] = []
    if mode == "ideal":
        exact = run(src.model, src.inputs, mode="exact", h0=src.h0, c0=src.c0)
        for b in range(batch):
            for t in range(steps):
                ex_row = exact.step_values(t, b)
                for name in columns[2:]:
                    for k, (vi, ve) in enumerate(zip(seqs[b][t][name], ex_row[name])):
                        if abs(vi - ve) > tol:
                            warnings.append({"sequence": b, "t": t + 1, "name": name,
                                             "index": k, "ideal": vi, "exact": ve})
                        if vi == 0.5 and name in _gate_names(src.model):
                            warnings.append({"sequence": b, "t": t + 1, "name": name,
                                             "index": k, "ideal": vi, "exact": ve,
                                             "note": "pre-activation 0: half open"})
    return TraceReport(src.name, mode, src.model.cell.kind, columns, seqs, warnings, dtype)


def _gate_names(model: Model) -> set[str]:
    return {eq.name for eq in model.cell.equations if eq.kind == "gate"}


def number_text(value: Any, mode: str, digits: int = 10) -> str:
    """How one value prints: integers plainly, exact values to `digits` digits.

    A value within rounding of an integer but not equal to it keeps its distance, so
    σ(90) shows as 1 − 8.2e-40 rather than a misleading 1.0.

    >>> number_text(mpmath.mpf(7), "ideal"), number_text(0.1234567, "float")
    ('7', '0.1234567')
    >>> number_text(np.float32(0.1), "float")  # float32: its shortest decimal, not 0.100000001
    '0.1'

    >>> with mpmath.workdps(50):
    ...     number_text(1 / (1 + mpmath.exp(-90)), "exact", 4)
    '1 − 8.194e-40'
    """
    if isinstance(value, np.float32):
        value = float(str(value))  # the shortest decimal that reads back as this float32
    if isinstance(value, (int,)) or (isinstance(value, (mpmath.mpf, float))
                                     and value == int(value) and abs(value) < 1e15):
        return str(int(value))
    if isinstance(value, mpmath.mpf):
        near = mpmath.nint(value)
        gap = value - near
        if near != 0 and abs(gap) < mpmath.mpf(10) ** (-digits + 1) * abs(near):
            sign = "−" if gap < 0 else "+"
            return f"{int(near)} {sign} {mpmath.nstr(abs(gap), digits, min_fixed=1, max_fixed=0)}"
        return mpmath.nstr(value, digits, min_fixed=-4, max_fixed=8)
    return f"{float(value):.{min(digits, 17)}g}"


def _cell_text(values: list, mode: str, digits: int) -> str:
    parts = [number_text(v, mode, digits) for v in values]
    return parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"


def _json_value(value: Any, mode: str, digits: int):
    if isinstance(value, np.float32):
        return float(str(value))  # 0.1, not 0.10000000149011612
    if mode == "float":
        return float(value)
    if value == int(value):
        return int(value)
    return mpmath.nstr(value, 50) if mode == "exact" else float(value)


def format_trace(rep: TraceReport, fmt: str, digits: int = 10) -> str:
    """Render a trace report as table, json, csv or markdown."""
    if fmt == "json":
        def row_json(row):
            return {k: (v if k == "t" else [_json_value(x, rep.mode, digits) for x in v])
                    for k, v in row.items()}
        data: dict[str, Any] = {"example": rep.name, "cell": rep.cell, "mode": rep.mode}
        if rep.mode == "float":
            data["dtype"] = rep.dtype
        if rep.mode == "exact":
            data["note"] = "exact values are decimal strings (50 significant digits)"
        if len(rep.sequences) == 1:
            data["steps"] = [row_json(r) for r in rep.sequences[0]]
        else:
            data["sequences"] = [{"steps": [row_json(r) for r in s]} for s in rep.sequences]
        data["warnings"] = [{k: (_json_value(v, "exact", digits)
                                 if k in ("ideal", "exact") else v) for k, v in w.items()}
                            for w in rep.warnings]
        return json.dumps(data, indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        first = rep.sequences[0][0]
        header = ["sequence"] + [k if k == "t" or len(first[k]) == 1 else f"{k}[{i + 1}]"
                                 for k in rep.columns
                                 for i in range(1 if k == "t" else len(first[k]))]
        writer.writerow(header)
        for b, seq in enumerate(rep.sequences):
            for row in seq:
                cells = [b + 1]
                for k in rep.columns:
                    cells += [row[k]] if k == "t" else [number_text(v, rep.mode, digits)
                                                         for v in row[k]]
                writer.writerow(cells)
        return out.getvalue().rstrip("\n")
    rows = [[str(r["t"])] + [_cell_text(r[k], rep.mode, digits) for k in rep.columns[1:]]
            for seq in rep.sequences for r in seq]
    header = rep.columns
    if fmt == "markdown":
        lines = ["| " + " | ".join(f"${_tex_name(h)}$" if h != "t" else "$t$" for h in header)
                 + " |", "|" + "---:|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        text = "\n".join(lines)
    else:
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
        lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths))]
        lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in rows]
        kind = f"{rep.mode} gates, {rep.dtype}" if rep.mode == "float" else f"{rep.mode} gates"
        text = f"{rep.cell} trace ({kind})\n" + "\n".join(lines)
    if rep.warnings:
        notes = [f"note: step {w['t']}: {w['name']} is {number_text(w['ideal'], 'ideal')} "
                 f"ideally but {number_text(w['exact'], 'exact', digits)} exactly"
                 + (f" ({w['note']})" if "note" in w else "") for w in rep.warnings]
        text += "\n\n" + "\n".join(notes)
    return text


def _tex_name(name: str) -> str:
    head, _, sub = name.partition("_")
    return f"{head}_{{{sub}}}" if sub else head
