"""Misconceptions as alternative models: the trace a student gets by misreading the cell.

Each alternative changes the variant's weights (a gate pinned open or closed, the
biases dropped, a gate's sense flipped) and runs the same cell in ideal mode, so a
wrong answer is recognised by recomputing it, never by a typed number.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from lstm_sym.exercises.model import T, Text
from lstm_sym.exercises.variant import SATURATION, Variant, make_model, step_rows
from lstm_sym.numeric.run import run

# id -> (gate, pinned state); the gate ignores its input and stays open (1) or closed (0).
PINNED: dict[str, tuple[str, int]] = {
    "forget_ignored": ("f", 0),  # the memory is not kept from step to step
    "no_reset": ("f", 1),  # the memory is never reset
    "input_ignored": ("i", 1),  # every z is written
    "output_always_open": ("o", 1),  # the memory is always shown
}

FEEDBACK: dict[str, Text] = {name: T(f"ex.mc.{name}") for name in
                             (*PINNED, "previous_step", "bias_ignored", "gate_inverted",
                              "gate_as_01")}


def _pinned(weights: dict[str, Any], gate: str, state: int) -> dict[str, Any]:
    out = copy.deepcopy(weights)
    out[f"W_{gate}"] = [[0 for _ in row] for row in out[f"W_{gate}"]]
    out[f"b_{gate}"] = [SATURATION if state else -SATURATION for _ in out[f"b_{gate}"]]
    return out


def _no_bias(weights: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(weights)
    for name in ("b_i", "b_f", "b_o", "b_z"):
        out[name] = [0 for _ in out[name]]
    return out


def _inverted(weights: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(weights)
    for gate in ("i", "f", "o"):
        out[f"W_{gate}"] = [[-w for w in row] for row in out[f"W_{gate}"]]
        out[f"b_{gate}"] = [-b for b in out[f"b_{gate}"]]
    return out


def altered_weights(name: str, weights: dict[str, Any]) -> dict[str, Any]:
    """The weights of alternative `name`.

    >>> from lstm_sym.numeric.examples import LECTURE_PARAMS
    >>> altered_weights("no_reset", LECTURE_PARAMS)["W_f"], altered_weights("no_reset",
    ...     LECTURE_PARAMS)["b_f"]
    ([[0, 0, 0]], [10])
    """
    if name in PINNED:
        return _pinned(weights, *PINNED[name])
    if name == "bias_ignored":
        return _no_bias(weights)
    if name == "gate_inverted":
        return _inverted(weights)
    raise KeyError(name)


def _freeze(obj: Any) -> Any:
    if isinstance(obj, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in obj.items()))
    if isinstance(obj, (list, tuple)):
        return tuple(_freeze(v) for v in obj)
    return obj


def _model(cell: tuple, weights: tuple):
    """The model of frozen (hashable, so cacheable) cell options and weights."""
    thawed = {k: [list(r) if isinstance(r, tuple) else r for r in v] for k, v in weights}
    return make_model(dict(cell), thawed, "alternative")


@lru_cache(maxsize=1024)
def _rows(cell: tuple, weights: tuple, inputs: tuple, c0: Any) -> list[dict]:
    return step_rows(_model(cell, weights), inputs, "ideal", c0=c0)


def alternative_rows(variant: Variant, name: str, memory: bool = False) -> list[dict]:
    """Ideal-mode values of the whole trace (or memory) sequence under alternative `name`:
    a student who holds the misconception throughout."""
    weights = altered_weights(name, variant.weights)
    seq = variant.memory_inputs if memory else variant.inputs
    return _rows(_freeze(variant.cell), _freeze(weights), _freeze(seq), None)


def alternative_step(variant: Variant, name: str, t: int) -> dict:
    """Ideal-mode values of step t (1-based) alone under alternative `name`, starting from
    the right memory: a student who misreads this one step."""
    return _steps_alone(_freeze(variant.cell), _freeze(altered_weights(name, variant.weights)),
                        _freeze(variant.inputs),
                        tuple(int(r["c_prev"]) for r in variant.trace("ideal")))[t - 1]


@lru_cache(maxsize=256)
def _steps_alone(cell: tuple, weights: tuple, inputs: tuple, c_prev: tuple) -> list[dict]:
    """Every step as its own one-step sequence from its own memory, in one batched run."""
    model = _model(cell, weights)
    trace = run(model, [[list(x)] for x in inputs], mode="ideal", c0=[[c] for c in c_prev],
                dps=50)
    env = trace.layers[0].steps[0]
    renamed = {st.new.name: st.name for st in model.cell.states}
    return [{**{renamed.get(eq.name, eq.name): env[eq.name][0, b] for eq in model.cell.equations},
             "y": env[model.cell.output.name][0, b], "c_prev": c_prev[b]}
            for b in range(len(inputs))]
