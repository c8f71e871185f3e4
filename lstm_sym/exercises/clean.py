"""Clean random variants for any recurrent cell (LSTM, GRU, RNN), drawn from the cell model.

Weights are integers chosen so that every pre-activation is an odd multiple of 10
whenever the inputs and the idealised states are integers: biases are odd multiples of
10 (a second, recurrent bias even), every weight an even one. So every σ and tanh is
saturated (|pre-activation| ≥ 10), gates idealise to 0/1, tanh to ±1 (or 0 where its
argument is 0) and the memory holds small integers. Inputs are drawn from {−1, 0, 1}
with no two steps equal, so no exercise step repeats a worked one.

Candidates are screened a batch at a time in float64 (one batched run of the cell); only
the first that passes is traced exactly (ideal and mpmath) and checked again. Which
behaviours a sequence must show comes from the cell's anatomy: a state kept, reset and
written through its keep gate, an output read through its gate, or, for a cell without
gates, a saturated output that flips and holds.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from lstm_sym.errors import UserError
from lstm_sym.exercises.anatomy import Anatomy, anatomy
from lstm_sym.exercises.model import IDEAL
from lstm_sym.exercises.variant import (
    MAX_MEMORY,
    SATURATION,
    Variant,
    cell_of,
    check_worked,
    derive_seed,
    make_model,
)
from lstm_sym.key import Student
from lstm_sym.model.cells import Cell
from lstm_sym.model.notation import m, n
from lstm_sym.numeric.run import run

STEPS = 5  # as the lecture's worked sequence
BATCH = 64  # candidate sequences per weight draw, screened in one float64 run
MAX_ROUNDS = 300
EXAMPLE = "random"
ODD = (10, -10, 10, -10, 30, -30)  # the first bias of a pre-activation
EVEN = (0, 0, 0, 20, -20)  # weights, peepholes and a second (recurrent) bias
# A pre-activation reads h = σ(z_o) tanh(c), within 0.005 of ±1 (|c| ≥ 3): its exact value
# may differ from the ideal integer the table gives by this much, and stays saturated.
PRE_GAP = 0.5


@lru_cache(maxsize=64)
def _shapes(cell: Cell, inputs: int, hidden: int) -> tuple[tuple[str, str, int, int], ...]:
    sizes = {n: inputs, m: hidden}
    return tuple((prm.name, prm.role, *(int(sp.sympify(d).subs(sizes)) for d in prm.shape))
                 for prm in cell.params)


def draw_weights(rng: np.random.Generator, cell: Cell, inputs: int, hidden: int) -> dict:
    """Integer weights that keep every pre-activation an odd multiple of 10: every input
    matrix reads some input, and some recurrent weight is not 0 (the recurrence plays a
    part), while most are 0 (a saturated tanh(c) of a small memory stays exact)."""
    while True:
        out = {}
        for name, role, rows, cols in _shapes(cell, inputs, hidden):
            odd = "bias" in role and role != "recurrent bias"
            values = rng.choice(ODD if odd else EVEN, size=(rows, cols)).astype(int)
            while role == "input weight" and not values.any():
                values = rng.choice(EVEN, size=(rows, cols)).astype(int)
            out[name] = [int(v) for v in values[:, 0]] if cols == 1 and "bias" in role \
                else [[int(v) for v in row] for row in values]
        recurrent = [out[name] for name, role, *_ in _shapes(cell, inputs, hidden)
                     if role == "recurrent weight"]
        if not recurrent or np.any(np.array([np.ravel(r) for r in recurrent], dtype=object)
                                   .astype(float)):
            return out


def _alphabet(inputs: int) -> tuple[int, ...]:
    return (-1, 0, 1) if 3 ** inputs >= STEPS else (-2, -1, 0, 1, 2)


def draw_inputs(rng: np.random.Generator, inputs: int, batch: int) -> np.ndarray:
    """`batch` sequences of STEPS distinct input vectors, (batch, STEPS, inputs)."""
    alphabet = np.array(_alphabet(inputs))
    size = len(alphabet) ** inputs
    if size < STEPS:
        raise UserError(f"--input {inputs}: too few distinct inputs for {STEPS} steps")
    codes = np.argsort(rng.random((batch, size)), axis=1)[:, :STEPS]
    digits = (codes[..., None] // len(alphabet) ** np.arange(inputs)) % len(alphabet)
    return alphabet[digits]


def _stack(trace, name: str) -> np.ndarray:
    """(T, units, batch) values of one named quantity."""
    return np.stack([env[name] for env in trace.layers[0].steps]).astype(np.float64)


def _behaviours(parts: Anatomy, values: dict[str, np.ndarray], worked: list[int]) -> np.ndarray:
    """Per candidate (batch axis): does it show the cell's characteristic behaviours?"""
    cell = parts.cell
    batch = next(iter(values.values())).shape[-1]
    ok = np.ones(batch, dtype=bool)
    shown_in_worked = np.zeros(batch, dtype=bool)
    for st in cell.states:
        new, prev = values[st.name], values[f"{st.name}_prev"]
        gate = parts.keep.get(st.name)
        if gate is not None:
            g = values[gate]
            ok &= ((g == 1) & (prev != 0)).any(axis=(0, 1))  # kept
            ok &= ((g == 0) & (prev != 0) & (new != prev)).any(axis=(0, 1))  # reset/replaced
            changed = new != g * prev  # written
        else:
            changed = new != prev
            if not parts.keep and parts.read is None:  # no gates: a flip and a hold
                ok &= ((new * prev) < 0).any(axis=(0, 1))
                ok &= ((new == prev) & (prev != 0)).any(axis=(0, 1))
        ok &= changed.any(axis=(0, 1))
        shown_in_worked |= changed[worked].any(axis=(0, 1))
    if parts.read is not None:
        out = values[parts.quantities[-1].name]
        ok &= ((values[parts.read] == 1) & (out != 0)).any(axis=(0, 1))
    return ok & shown_in_worked


def screen(parts: Anatomy, trace, worked: tuple[int, ...]) -> np.ndarray:
    """Float64 screening of a batch: saturated, near-integer, small memory, behaviours;
    and some step left to the student holds a non-zero state."""
    steps = trace.inputs.shape[1]
    raw = {q.name: _stack(trace, q.equation) for q in parts.quantities}
    for st in parts.cell.states:
        raw[f"{st.name}_prev"] = _stack(trace, st.prev.name)
    ok = np.ones(trace.inputs.shape[0], dtype=bool)
    pre = {q.name for q in parts.quantities if q.kind == "preactivation"}
    rounded = {}
    for name, arr in raw.items():  # idealised: the nearest integers, within the tolerance
        near = np.rint(arr)
        gap = PRE_GAP if name in pre else IDEAL.abs / 2
        ok &= (np.abs(arr - near) <= gap).all(axis=(0, 1))
        rounded[name] = near
    for q in parts.quantities:  # every pre-activation feeds a σ or a tanh
        if q.kind == "preactivation":
            ok &= (np.abs(rounded[q.name]) >= SATURATION).all(axis=(0, 1))
    states = np.concatenate([rounded[st.name] for st in parts.cell.states], axis=1)
    ok &= (np.abs(states) <= MAX_MEMORY).all(axis=(0, 1))
    units = rounded[parts.cell.states[0].name].shape[1]
    alive = (states != 0).any(axis=0)  # (units of every state, batch)
    ok &= alive.reshape(len(parts.cell.states), units, -1).any(axis=0).all(axis=0)
    ok &= _behaviours(parts, rounded, [t - 1 for t in worked])
    asked = [t for t in range(steps) if t + 1 not in worked]
    if asked:
        states = np.concatenate([rounded[st.name][asked] for st in parts.cell.states], axis=1)
        ok &= (states != 0).any(axis=(0, 1))
    return ok


def exact_problems(v: Variant) -> list[str]:
    """Ideal and exact values within the tolerance; pre-activations saturated integers."""
    out = []
    parts = anatomy(v.model.cell)
    with mpmath.workdps(50):
        for t, (ideal, exact) in enumerate(zip(v.rows("ideal"), v.rows("exact")), 1):
            for q in parts.quantities:
                for a, b in zip(ideal[q.name], exact[q.name]):
                    if q.kind == "preactivation":
                        if a != int(a) or abs(a) < SATURATION or abs(a - b) > PRE_GAP:
                            out.append(f"step {t}: {q.name} = {a} (exact "
                                       f"{mpmath.nstr(b, 8)}) is not saturated")
                    elif abs(a - b) > IDEAL.abs:
                        out.append(f"step {t}: ideal {q.name} = {a} and exact "
                                   f"{mpmath.nstr(b, 8)} differ by more than {IDEAL.abs}")
    return out


def draw_clean(cell_options: dict, seed: int, student: Student | None = None,
               worked: tuple[int, ...] = (1,), attempt: int = 0, inputs: int = 3,
               hidden: int = 1) -> Variant:
    """A clean random variant of any recurrent cell for (seed, student id, attempt).

    >>> from lstm_sym.exercises.variant import repeat_problems
    >>> v = draw_clean({"cell": "gru", "bias": "single"}, 1)
    >>> exact_problems(v), repeat_problems(v.inputs)
    ([], [])
    """
    worked = check_worked(worked, STEPS)
    rng = np.random.default_rng(derive_seed(seed, student.id if student else None, attempt))
    options = dict(cell_options)
    for _ in range(MAX_ROUNDS):
        weights = draw_weights(rng, cell_of(options), inputs, hidden)
        model = make_model(options, weights, "variant")
        xs = draw_inputs(rng, inputs, BATCH)
        trace = run(model, xs.astype(np.float64), mode="float")
        for b in np.flatnonzero(screen(anatomy(model.cell), trace, worked)):
            sizes = _sizes(rng)
            v = Variant(EXAMPLE, seed, student, worked, weights,
                        tuple(tuple(int(x) for x in step) for step in xs[b]), (), sizes,
                        attempt, options)
            if not exact_problems(v):
                return v
    raise UserError(f"--cell {options.get('cell')}: no clean variant found for this cell; "
                    "give the weights with --weights")


def _sizes(rng: np.random.Generator) -> dict[str, int]:
    n_ = int(rng.integers(2, 7))
    return {"n": n_, "m": int(rng.choice([k for k in range(2, 7) if k != n_]))}
