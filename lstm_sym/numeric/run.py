"""Numbers from the cell model: traces over sequences and their gradients.

The one place symbols become numbers. A trace runs the compiled program
(:mod:`lstm_sym.numeric.program`) step by step with the state threaded through, in one of
three modes:

- ``exact``: mpmath at `dps` digits (σ(90) is 1 − 8.2·10⁻⁴⁰, not 1);
- ``ideal``: every σ a hard 0/1 step, as the lecture reasons ("the gate is open");
- ``float``: float64 (or float32, ``dtype=``) NumPy over a batch of sequences.

Gradients are reverse mode over the same program, step by step back in time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from lstm_sym.errors import UserError
from lstm_sym.model.notation import m, n, p
from lstm_sym.numeric.backends import FLOAT_DTYPES, Backend, get_backend
from lstm_sym.numeric.program import Env, Program
from lstm_sym.numeric.weights import Model, as_matrix

MODES = ("exact", "ideal", "float")


@dataclass
class LayerTrace:
    """Every named value of one layer at every step; arrays are (size, batch)."""

    steps: list[Env]


@dataclass
class Trace:
    """The result of running a model over inputs.

    `outputs` is (batch, T, size) in the backend's numbers; `layers[-1]` is the top layer.
    """

    model: Model
    mode: str
    inputs: np.ndarray  # (batch, T, n)
    layers: list[LayerTrace]
    outputs: np.ndarray
    final: list[dict[str, np.ndarray]]  # per layer: state name -> (size, batch)

    @property
    def dtype(self) -> str:
        """``float64`` or ``float32`` for float traces, ``object`` for the others."""
        return self.outputs.dtype.name

    def step_values(self, t: int, b: int = 0, layer: int = -1) -> dict[str, list]:
        """Named values of step t (0-based) of sequence b, as the trace JSON lists them."""
        cell = self.model.cell
        env = self.layers[layer].steps[t]
        row: dict[str, Any] = {"t": t + 1, "x": [v for v in self.inputs[b, t]]}
        renamed = {st.new.name: st.name for st in cell.states}
        for eq in cell.equations:
            row[renamed.get(eq.name, eq.name)] = [v for v in env[eq.name][:, b]]
        row["y"] = [v for v in env[cell.output.name][:, b]]
        return row


def _inputs_array(inputs: Any, n: int, where: str = "--inputs", dtype: Any = np.float64) -> np.ndarray:
    """Inputs as (batch, T, n): a list of steps, or a list of such lists.

    A float NumPy array is checked in one vectorised pass and kept as `dtype` (the float
    batch path); anything else is checked entry by entry so errors can name it.
    """
    if isinstance(inputs, np.ndarray) and inputs.dtype.kind in "fiu" and inputs.ndim in (2, 3):
        arr = inputs[None] if inputs.ndim == 2 else inputs
        if arr.shape[1] == 0:
            raise UserError(f"{where}: the sequence is empty")
        if arr.shape[2] != n:
            raise UserError(f"{where}: each time step needs {n} numbers (the cell's input "
                            f"size), got {arr.shape[2]}")
        if not np.isfinite(arr).all():
            raise UserError(f"{where}: contains NaN or infinity")
        with np.errstate(over="ignore"):  # too large for float32: reported by the caller
            return arr.astype(dtype, copy=False)
    arr = np.array(inputs, dtype=object)
    if arr.ndim == 2:
        arr = arr[None]
    if arr.ndim != 3 or arr.shape[1] == 0:
        if np.size(arr) == 0:
            raise UserError(f"{where}: the sequence is empty")
        raise UserError(f"{where}: expected a list of time steps, each a list of {n} numbers")
    if arr.shape[2] != n:
        raise UserError(f"{where}: each time step needs {n} numbers (the cell's input size), "
                        f"got {arr.shape[2]}")
    as_matrix(arr.reshape(-1, n).tolist(), where)  # finite numbers only
    return arr


def _initial(value: Any, layers: int, size: int, batch: int, where: str) -> list[np.ndarray]:
    """An initial state per layer as (size, batch); None means zeros."""
    if value is None:
        return [np.zeros((size, batch), dtype=object) for _ in range(layers)]
    arr = np.array(value, dtype=object)
    if arr.ndim == 1:
        arr = np.broadcast_to(arr[None, None, :], (layers, batch, arr.shape[0]))
    elif arr.ndim == 2:
        arr = arr[None] if layers == 1 else arr[:, None, :].repeat(batch, axis=1)
    if arr.ndim != 3 or arr.shape[0] != layers or arr.shape[2] != size \
            or arr.shape[1] not in (1, batch):
        raise UserError(f"{where}: expected {size} numbers (or [layers][batch][{size}]), got "
                        f"shape {'×'.join(map(str, np.shape(value)))}")
    as_matrix(arr.reshape(-1, size).tolist(), where)
    arr = np.broadcast_to(arr, (layers, batch, size))
    return [np.array(arr[k].T) for k in range(layers)]


def _output_size(model: Model) -> int:
    """The output's length: usually the symbol m or p itself, looked up without SymPy's
    subs (which cost more than a small exact trace when exercises run thousands)."""
    sizes = {n: model.sizes["input"], m: model.sizes["hidden"],
             p: model.sizes.get("proj", model.sizes["hidden"])}
    rows = model.cell.output.shape[0]
    return int(sizes[rows]) if rows in sizes else int(sp.sympify(rows).subs(sizes))


def _state_sizes(model: Model) -> dict[str, int]:
    sizes = {"c": model.sizes["hidden"], "h": model.sizes.get("proj", model.sizes["hidden"])}
    return {st.name: sizes[st.name] for st in model.cell.states}


def run(model: Model, inputs: Any, *, mode: str = "float", h0: Any = None, c0: Any = None,
        dps: int = 50, keep: bool = True, bind=None, backend: Backend | None = None,
        dtype: str = "float64") -> Trace:
    """Run `model` over `inputs` (T steps of n numbers, or a batch of such sequences).

    `dtype` is the float mode's number type, ``float64`` or ``float32``; `keep=False` keeps
    only outputs and final states (no per-step values), for speed.

    >>> from lstm_sym.numeric.examples import example
    >>> ex = example("lecture-worked")
    >>> tr = run(ex.model, ex.inputs, mode="ideal")
    >>> [int(v) for v in tr.outputs[0, :, 0]]
    [0, 0, 0, 7, 0]
    >>> print(mpmath.nstr(run(ex.model, ex.inputs, mode="exact").outputs[0, 3, 0], 8))
    6.9995006
    >>> run(ex.model, ex.inputs, dtype="float32").outputs.dtype
    dtype('float32')
    """
    if mode not in MODES and mode != "symbolic":
        raise UserError(f"--gates: expected one of {', '.join(MODES)}, got {mode!r}")
    if dtype not in FLOAT_DTYPES:
        raise UserError(f"--dtype: expected one of {', '.join(FLOAT_DTYPES)}, got {dtype!r}")
    if dtype != "float64" and mode != "float":
        raise UserError(f"--dtype {dtype}: only float traces (--gates float) have a dtype; "
                        f"{mode} traces compute with mpmath")
    # `backend` replaces the mode's own (e.g. exercises idealise tanh as well as σ).
    be = backend or get_backend(mode, dtype)
    with mpmath.workdps(dps):
        return _run(model, inputs, be, mode, h0, c0, keep, bind)


def _run(model, inputs, be: Backend, mode, h0, c0, keep, bind) -> Trace:
    cell, prog = model.cell, Program.of(model.cell)
    x = _inputs_array(inputs, model.sizes["input"],
                      dtype=be.dtype if be.name == "float" else np.float64)
    batch = x.shape[0]
    state_sizes = _state_sizes(model)
    init = {"h": h0, "c": c0}
    for name, value in init.items():
        if value is not None and name not in state_sizes:
            raise UserError(f"--{name}0: the {cell.title} carries no {name}")
    states0 = {name: _initial(init[name], len(model.layers), size, batch, f"--{name}0")
               for name, size in state_sizes.items()}
    with np.errstate(over="ignore"):
        layer_in = be.to_array(x)
        layers = [{k: be.to_array(v) for k, v in raw.items()} for raw in model.layers]
    if be.name == "float":
        x = layer_in  # the inputs as the trace used them (rounded to float32 in float32)
        if be.dtype != np.float64:  # float64 values were checked finite; narrower may overflow
            _check_fits(be.dtype, [("--inputs", layer_in)] +
                        [(f"--weights: {k}", v) for layer in layers for k, v in layer.items()])
    out_size = _output_size(model)
    traces, finals = [], []
    for li, params in enumerate(layers):
        state = {st.prev.name: be.to_array(states0[st.name][li]) for st in cell.states}
        layer = _float_layer if be.name == "float" else _exact_layer
        layer_in, state, envs = layer(prog, be, params, state, layer_in, out_size, keep, bind)
        traces.append(LayerTrace(envs))
        finals.append({st.name: state[st.prev.name] for st in cell.states})
    return Trace(model, be.name, x, traces, layer_in, finals)


def _check_fits(dtype: np.dtype, arrays: list[tuple[str, np.ndarray]]) -> None:
    for where, arr in arrays:
        if not np.isfinite(arr).all():
            raise UserError(f"{where}: a number is too large for {dtype.name}")


def _exact_layer(prog: Program, be: Backend, params: Env, state: Env, layer_in: np.ndarray,
                 out_size: int, keep: bool, bind) -> tuple[np.ndarray, Env, list[Env]]:
    """One layer over all steps with object entries (mpmath or SymPy), one step at a time."""
    cell = prog.cell
    batch, steps = layer_in.shape[0], layer_in.shape[1]
    envs: list[Env] = []
    outs = np.empty((batch, steps, out_size), dtype=object)
    for t in range(steps):
        env = dict(params)
        env.update(state)
        env["x"] = layer_in[:, t, :].T
        prog.step(env, be, bind)
        state = {st.prev.name: env[st.new.name] for st in cell.states}
        outs[:, t, :] = env[cell.output.name].T
        if keep:
            envs.append(env)
    return outs, state, envs


def _float_layer(prog: Program, be: Backend, params: Env, state: Env, layer_in: np.ndarray,
                 out_size: int, keep: bool, bind) -> tuple[np.ndarray, Env, list[Env]]:
    """One layer in float: per step one product of the stacked parameters with
    [states; x; 1] and one call per activation over its gates' rows (Program.float_layer);
    the equations then read those values and compute the rest."""
    cell = prog.cell
    batch, steps = layer_in.shape[0], layer_in.shape[1]
    # (T, n, B) in one contiguous block: a step's x is then one plain copy. The layer's
    # outputs are collected the same way, so the next layer gets this layout for free.
    xs = np.ascontiguousarray(layer_in.transpose(1, 2, 0))
    plan = prog.float_layer(params, xs.shape[1], batch)
    operand, (x_from, x_to) = plan.operand, plan.x_rows
    envs: list[Env] = []
    outs = np.empty((steps, out_size, batch), dtype=be.dtype)
    for t in range(steps):
        env = dict(params)
        env.update(state)
        env["x"] = xs[t]
        for vec, a, b in plan.states:
            operand[a:b] = env[vec]
        operand[x_from:x_to] = xs[t]
        prod = plan.matrix @ operand
        for key, a, b in plan.where:
            env[key] = prod[a:b]
        for fname, a, b, members in plan.acts:
            values = be.act[fname](prod[a:b])
            for key, c, d in members:
                env[key] = values[c:d]
        prog.step(env, be, bind)
        state = {st.prev.name: env[st.new.name] for st in cell.states}
        outs[t] = env[cell.output.name]
        if keep:
            envs.append(env)
    return outs.transpose(2, 0, 1), state, envs


@dataclass
class Gradients:
    """dL/d(everything) for L = Σ_t Σ_k G_t[k]·y_t[k]."""

    loss: Any
    params: list[dict[str, np.ndarray]]  # per layer, our parameter names, shapes as the model's
    inputs: np.ndarray  # (batch, T, n)
    initial: dict[str, np.ndarray]  # "h0"/"c0": (layers, batch, size)


def gradients(model: Model, inputs: Any, *, upstream: Any = None, mode: str = "float",
              h0: Any = None, c0: Any = None, dps: int = 50) -> Gradients:
    """Reverse mode through time over the compiled program.

    >>> from lstm_sym.numeric.examples import example
    >>> ex = example("lecture-worked")
    >>> g = gradients(ex.model, ex.inputs, mode="exact")
    >>> print(mpmath.nstr(g.params[0]["W_z"][0, 0], 6))   # ≈ 3 + 4: both writes reach y at step 4
    7.00027
    """
    if mode not in MODES:
        raise UserError(f"--gates: expected one of {', '.join(MODES)}, got {mode!r}")
    be = get_backend(mode)
    with mpmath.workdps(dps):
        trace = _run(model, inputs, be, mode, h0, c0, True, None)
        return _backward(model, trace, be, upstream)


def _backward(model: Model, trace: Trace, be: Backend, upstream: Any) -> Gradients:
    cell, prog = model.cell, Program.of(model.cell)
    out = trace.outputs
    if upstream is None:
        g_out = be.to_array(np.ones(out.shape, dtype=object))
    else:
        g = np.array(upstream, dtype=object)
        if g.ndim == 2:
            g = g[None]
        if g.shape != out.shape:
            raise UserError(f"--upstream: expected shape {'×'.join(map(str, out.shape[1:]))} "
                            f"(one number per output), got {'×'.join(map(str, g.shape[-2:]))}")
        as_matrix(g.reshape(-1, out.shape[2]).tolist(), "--upstream")
        g_out = be.to_array(g)
    loss = (g_out * out).sum()
    batch, steps = out.shape[0], out.shape[1]
    param_grads: list[dict] = [None] * len(model.layers)
    initial: dict[str, list] = {f"{st.name}0": [None] * len(model.layers) for st in cell.states}
    for li in reversed(range(len(model.layers))):
        envs = trace.layers[li].steps
        totals: dict[str, np.ndarray] = {}
        carry: dict[str, np.ndarray] = {}
        g_in = [None] * steps
        for t in reversed(range(steps)):
            adj: Env = {cell.output.name: np.ascontiguousarray(g_out[:, t, :].T)}
            for st in cell.states:
                if st.prev.name in carry:
                    prev = adj.get(st.new.name)
                    c = carry.pop(st.prev.name)
                    adj[st.new.name] = c if prev is None else prev + c
            prog.backward_step(envs[t], be, adj)
            for name, value in adj.items():
                if name == "x":
                    g_in[t] = value.T
                elif name in model.layers[li]:
                    totals[name] = totals[name] + value if name in totals else value
                else:
                    carry[name] = value
        zeros = {k: np.zeros(np.shape(v), dtype=object) + be.to_array(0)
                 for k, v in model.layers[li].items()}
        param_grads[li] = {k: totals.get(k, zeros[k]) for k in model.layers[li]}
        for st in cell.states:
            size = envs[0][st.prev.name].shape[0]
            value = carry.get(st.prev.name)
            initial[f"{st.name}0"][li] = (value if value is not None
                                          else np.zeros((size, batch), dtype=object)).T
        n_in = envs[0]["x"].shape[0]
        g_out = np.stack([g if g is not None else np.zeros((batch, n_in)) for g in g_in], axis=1)
    return Gradients(loss, param_grads, g_out, {k: np.stack(v) for k, v in initial.items()})
