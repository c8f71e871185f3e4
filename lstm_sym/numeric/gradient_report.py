"""Gradients as reports: names as the user's weights file spells them, and printing."""

from __future__ import annotations

import json
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from lstm_sym.model.cells import Cell
from lstm_sym.numeric.run import gradients
from lstm_sym.numeric.symbolic_gradients import carousel, forget_product, gradient_program, recurrent_carousel
from lstm_sym.numeric.trace_report import RunInputs, number_text
from lstm_sym.numeric.weights import to_torch_names


def _jsonable(arr: Any, mode: str) -> Any:
    if isinstance(arr, np.ndarray):
        return [_jsonable(a, mode) for a in arr]
    if mode != "float" and arr == int(arr):
        return int(arr)
    if mode == "exact" and isinstance(arr, mpmath.mpf):
        return mpmath.nstr(arr, 50)
    return float(arr)


def gradient_report(src: RunInputs, upstream: Any = None, mode: str = "exact") -> dict:
    """dL/d(every parameter, input and initial state), keyed as the weights file names them.

    >>> from lstm_sym.numeric.examples import example
    >>> ex = example("lecture-worked")
    >>> rep = gradient_report(RunInputs(ex.model, ex.inputs), mode="ideal")
    >>> rep["gradients"]["W_z"]   # x at the two writes: [3,1,0] + [4,1,0] reach y at step 4
    [[7, 2, 0]]
    """
    model = src.model
    g = gradients(model, src.inputs, upstream=upstream, mode=mode, h0=src.h0, c0=src.c0)
    named: dict[str, Any] = {}
    for layer, grads in enumerate(g.params):
        if model.source == "pytorch":
            for key, value in to_torch_names(model.cell, grads, layer).items():
                named[key] = _jsonable(value, mode)
        else:
            prefix = f"l{layer}." if len(g.params) > 1 else ""
            for key, value in grads.items():
                value = value[:, 0] if model.cell.param(key).is_vector else value
                named[prefix + key] = _jsonable(value, mode)
    single = g.inputs.shape[0] == 1
    named["inputs"] = _jsonable(g.inputs[0] if single else g.inputs, mode)
    for key, value in g.initial.items():
        if single and value.shape[0] == 1:
            value = value[0, 0]
        named[key] = _jsonable(value, mode)
    return {"loss": _jsonable(np.array([g.loss]), mode)[0], "mode": mode, "gradients": named}


def format_gradients(report: dict, fmt: str = "text") -> str:
    """Text: one line per tensor."""
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False)
    mode = report["mode"]

    def show(v):
        if isinstance(v, list):
            return "[" + ", ".join(show(x) for x in v) + "]"
        return number_text(mpmath.mpf(v) if isinstance(v, str) else v, mode, 8)

    lines = [f"L = Σ G·y = {show(report['loss'])}  ({mode})"]
    width = max(len(k) for k in report["gradients"])
    for key, value in report["gradients"].items():
        lines.append(f"dL/d{key.ljust(width)}  {show(value)}")
    return "\n".join(lines)


def format_symbolic(cell: Cell, steps: int, fmt: str = "text") -> str:
    """The symbolic gradient program of a one-unit cell over `steps` steps, with the
    closed-form facts about the memory's error flow."""
    prog = gradient_program(cell, steps)
    facts: dict[str, str] = {}
    if cell.kind in ("lecture", "lstm"):
        facts["dc_t/dc_{t-1} (direct)"] = str(carousel(cell))
        facts[f"dc_t/dc_(t-{min(steps, 3)}) (lecture cell)"] = str(forget_product(min(steps, 3)))
    if cell.kind == "lstm" and dict(cell.options).get("peephole") == "none":
        facts["dc_t/dc_{t-1} (through h_{t-1} too)"] = str(recurrent_carousel(cell))
    ops = {"forward": prog.forward_ops, "backward": prog.backward_ops,
           "ratio": round(prog.backward_ops / max(prog.forward_ops, 1), 3)}
    if fmt == "json":
        return json.dumps({
            "cell": cell.kind, "steps": steps, "ops": ops, "facts": facts,
            "loss": str(prog.loss),
            "forward": [{"name": str(s), "expr": str(e)} for s, e in prog.forward],
            "backward": [{"name": str(s), "expr": str(e)} for s, e in prog.backward],
            "gradients": {str(k): str(v) for k, v in prog.gradients.items()},
        }, indent=2, ensure_ascii=False)
    lines = [f"{cell.title}, one unit, T = {steps}: L = Σ_t y_t", ""]
    lines += [f"{k}: {v}" for k, v in facts.items()]
    lines += ["", f"operations: forward {ops['forward']}, gradient {ops['backward']} "
              f"({ops['ratio']}× the forward)", "", "forward:"]
    lines += [f"  {s} = {e}" for s, e in prog.forward]
    lines += ["reverse:"]
    lines += [f"  {s} = {e}" for s, e in prog.backward]
    lines += ["gradients:"]
    lines += [f"  dL/d{k} = {sp.sstr(v)}" for k, v in prog.gradients.items()]
    return "\n".join(lines)
