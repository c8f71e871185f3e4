"""Concrete weights for a cell: our own JSON format and PyTorch state_dicts.

A :class:`Model` is a cell and, per stacked layer, a value for every parameter
tensor. Sizes are read off the arrays and checked against the cell's symbolic
shapes, so a wrong shape is reported with the field that has it.

Our format::

    {"format": "lstm_sym.numeric.weights/1",
     "cell": {"cell": "lecture", "g": "identity", "h": "identity"},
     "params": {"W_z": [[1, 0, 0]], "b_z": [0], ...}}       # or a list of such dicts, one per layer

A PyTorch ``state_dict`` saved as JSON (``{k: v.tolist() for k, v in sd.items()}``) is
read too: keys ``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``
(and ``weight_hr_l0``), gate order i, f, g, o (LSTM) and r, z, n (GRU).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from lstm_sym.errors import UserError
from lstm_sym.model.cells import TORCH_GATES, Cell, build_cell

FORMAT = "lstm_sym.numeric.weights/1"
CELL_KEYS = ("cell", "peephole", "bias", "convention", "gru_form", "g", "h", "proj", "nonlinearity")


@dataclass
class Model:
    """A cell with concrete parameters, one dict per stacked layer.

    Values are nested Python lists / numbers exactly as read, so every mode can
    convert them in its own number system.

    >>> from lstm_sym.numeric.examples import example
    >>> ex = example("lecture-worked")
    >>> ex.model.sizes
    {'input': 3, 'hidden': 1}
    """

    cell: Cell
    layers: list[dict[str, Any]]
    sizes: dict[str, int]
    cell_options: dict[str, Any] = field(default_factory=dict)
    source: str = "lstm_sym"  # or "pytorch"


def read_json(path: str | Path, what: str) -> Any:
    """Read a JSON file or fail with one line naming it."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise UserError(f"{what} {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{what} {path}: cannot read ({exc.__class__.__name__})") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{what} {path}: not valid JSON (line {exc.lineno}, column "
                        f"{exc.colno}: {exc.msg})") from None


def as_matrix(value: Any, where: str) -> np.ndarray:
    """A JSON number list as a 2-D object array (vectors become columns), checked finite.

    >>> as_matrix([1, 2], "b").shape
    (2, 1)
    """
    try:
        arr = np.array(value, dtype=object)
    except ValueError:
        raise UserError(f"{where}: rows of different lengths") from None
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2 or arr.size == 0:
        raise UserError(f"{where}: expected a non-empty vector or matrix of numbers")
    if all(type(v) is int for v in arr.flat):  # the common case, at once (bool is not int)
        return arr
    for v in arr.flat:
        if isinstance(v, bool) or not isinstance(v, (int, float, mpmath.mpf, Fraction)):
            raise UserError(f"{where}: {v!r} is not a number")
        if isinstance(v, (float, mpmath.mpf)) and not mpmath.isfinite(v):
            raise UserError(f"{where}: {v} is not a finite number")
    return arr


def bind_sizes(cell: Cell, params: dict[str, np.ndarray], where: str,
               sizes: dict[str, int] | None = None) -> dict[str, int]:
    """Read n, m, p off the arrays and check every shape against the cell's.

    >>> cell = build_cell("rnn")
    >>> bind_sizes(cell, {"W": np.zeros((2, 3)), "U": np.zeros((2, 2)), "b": np.zeros((2, 1))}, "f")
    {'input': 3, 'hidden': 2}
    """
    roles = {"n": "input", "m": "hidden", "p": "proj"}
    known: dict[sp.Symbol, int] = {}
    if sizes:
        known.update({sp.Symbol(k, positive=True, integer=True): v for k, v in sizes.items()})
    for prm in cell.params:
        arr = params[prm.name]
        for axis, dim in enumerate(prm.shape):
            if isinstance(dim, sp.Symbol) and dim not in known:
                known[dim] = arr.shape[axis]
    for prm in cell.params:
        want = tuple(int(sp.sympify(d).subs(known)) for d in prm.shape)
        got = params[prm.name].shape
        if got != want:
            dims = "×".join(str(d) for d in prm.shape)
            raise UserError(f"{where}: {prm.name} has shape {got[0]}×{got[1]}, the cell needs "
                            f"{dims} = {want[0]}×{want[1]}")
    by_name = {s.name: v for s, v in known.items()}
    return {role: by_name[name] for name, role in roles.items() if name in by_name}


def cell_from_options(options: dict, where: str) -> Cell:
    """Build the cell a weights file describes, e.g. {"cell": "lstm", "peephole": "diagonal"}."""
    unknown = [k for k in options if k not in CELL_KEYS]
    if unknown:
        raise UserError(f"{where}: cell: unknown option {unknown[0]!r} (known: "
                        f"{', '.join(CELL_KEYS)})")
    opts = dict(options)
    kind = opts.pop("cell", "lecture")
    opts["proj"] = bool(opts.get("proj"))
    return build_cell(kind, **opts)


def _layer_params(cell: Cell, raw: dict, where: str) -> dict[str, np.ndarray]:
    if not isinstance(raw, dict):
        raise UserError(f"{where}: expected an object of parameter names to arrays")
    wanted = [prm.name for prm in cell.params]
    missing = [k for k in wanted if k not in raw]
    if missing:
        raise UserError(f"{where}: missing parameter {missing[0]} (the cell has "
                        f"{', '.join(wanted)})")
    unknown = [k for k in raw if k not in wanted]
    if unknown:
        raise UserError(f"{where}: unknown parameter {unknown[0]} (the cell has "
                        f"{', '.join(wanted)})")
    return {k: as_matrix(raw[k], f"{where}: {k}") for k in wanted}


def model_from_params(cell_options: dict, layers: list[dict], where: str = "weights") -> Model:
    """Build a model from a cell description and parameter dicts (our format)."""
    cell = cell_from_options(cell_options, where)
    arrays, sizes = [], {}
    for i, raw in enumerate(layers):
        at = where if len(layers) == 1 else f"{where}: layer {i}"
        arr = _layer_params(cell, raw, at)
        layer_sizes = bind_sizes(cell, arr, at)
        if i == 0:
            sizes = layer_sizes
        elif layer_sizes.get("hidden") != sizes.get("hidden"):
            raise UserError(f"{at}: hidden size {layer_sizes.get('hidden')} differs from layer 0")
        arrays.append(arr)
    return Model(cell, arrays, sizes, dict(cell_options))


_TORCH_KEY = re.compile(r"^(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)(?:_l(\d+))?(_reverse)?$")


def is_torch_state_dict(data: Any) -> bool:
    return isinstance(data, dict) and any(_TORCH_KEY.match(k) for k in data)


def model_from_torch(data: dict, kind: str | None = None, where: str = "weights",
                     **cell_options) -> Model:
    """Read a PyTorch nn.LSTM / nn.GRU / nn.RNN (or *Cell) state_dict saved as JSON.

    Biases stay two vectors per gate (PyTorch's convention); the gate blocks are
    split in PyTorch's order and named as the lecture does (g → z, GRU z → u).
    """
    layers: dict[int, dict[str, Any]] = {}
    for key, value in data.items():
        match = _TORCH_KEY.match(key)
        if not match:
            raise UserError(f"{where}: unknown key {key!r} (expected PyTorch's weight_ih_l0, "
                            "weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_hr_l0)")
        if match.group(3):
            raise UserError(f"{where}: {key}: bidirectional weights are not supported in traces")
        layers.setdefault(int(match.group(2) or 0), {})[match.group(1)] = \
            as_matrix(value, f"{where}: {key}")
    if sorted(layers) != list(range(len(layers))):
        raise UserError(f"{where}: layers {sorted(layers)} are not numbered 0, 1, …")
    first = layers[0]
    if "weight_ih" not in first or "weight_hh" not in first:
        raise UserError(f"{where}: missing weight_ih_l0 or weight_hh_l0")
    if kind is None:  # infer from the stacked gate blocks: 4 (LSTM), 3 (GRU), 1 (RNN)
        # weight_hh is (gates·m, m), or (4m, p) with a projection weight_hr of shape (p, m).
        hidden = (first["weight_hr"].shape[1] if "weight_hr" in first
                  else first["weight_hh"].shape[1])
        rows = first["weight_hh"].shape[0]
        blocks = {len(gates): name for name, gates in TORCH_GATES.items()}  # 4, 3, 1
        kind = blocks.get(rows // hidden if rows % hidden == 0 else 0)
        if kind is None:
            raise UserError(f"{where}: cannot tell the cell from weight_hh's {rows} rows for "
                            f"hidden size {hidden}; give --cell")
    if kind not in ("lstm", "gru", "rnn"):
        raise UserError(f"--cell {kind}: PyTorch weights fit lstm, gru or rnn")
    has_bias = "bias_ih" in first
    options = {"cell": kind, "bias": "double" if has_bias else "none",
               "proj": "weight_hr" in first, **cell_options}
    options = {k: v for k, v in options.items() if v is not None}
    cell = cell_from_options(options, where)
    gates = len(cell.torch_layout[0][1])
    params_per_layer = []
    for idx in sorted(layers):
        tensors = layers[idx]
        ours: dict[str, np.ndarray] = {}
        for torch_name, names in cell.torch_layout:
            key = f"{torch_name}_l{idx}"
            if torch_name not in tensors:
                raise UserError(f"{where}: missing {key}")
            block = tensors.pop(torch_name)
            if block.shape[0] % len(names):
                raise UserError(f"{where}: {key} has {block.shape[0]} rows, not a multiple "
                                f"of {gates} gates")
            for name, part in zip(names, np.split(block, len(names), axis=0)):
                ours[name] = part
        if tensors:
            raise UserError(f"{where}: unexpected {sorted(tensors)[0]}_l{idx} for this cell")
        at = f"{where}: layer {idx}"
        sizes = bind_sizes(cell, ours, at)
        params_per_layer.append(ours)
        if idx == 0:
            first_sizes = sizes
    return Model(cell, params_per_layer, first_sizes, options, source="pytorch")


def to_torch_names(cell: Cell, grads: dict[str, np.ndarray], layer: int,
                   suffix: bool = True) -> dict[str, np.ndarray]:
    """Stack per-gate arrays back into PyTorch's tensors (for gradients of imported weights)."""
    out = {}
    for torch_name, names in cell.torch_layout:
        key = f"{torch_name}_l{layer}" if suffix else torch_name
        stacked = np.concatenate([np.asarray(grads[nm]) for nm in names], axis=0)
        out[key] = stacked[:, 0] if torch_name.startswith("bias") else stacked
    return out


def load_model(path: str | Path, kind: str | None = None, **cell_options) -> Model:
    """Load weights in our format or PyTorch's, naming the file in every error."""
    data = read_json(path, "--weights")
    where = f"--weights {path}"
    if is_torch_state_dict(data):
        return model_from_torch(data, kind, where, **cell_options)
    if not isinstance(data, dict) or "params" not in data:
        raise UserError(f"{where}: expected {{\"format\": \"{FORMAT}\", \"cell\": …, "
                        "\"params\": …}} or a PyTorch state_dict")
    options = dict(data.get("cell") or {})
    if kind is not None:
        if options.get("cell") not in (None, kind):
            raise UserError(f"--cell {kind}: the weights file describes --cell {options['cell']}")
        options["cell"] = kind
    options = {**options, **{k: v for k, v in cell_options.items() if v is not None}}
    options.setdefault("cell", "lecture")
    raw = data["params"]
    layers = raw if isinstance(raw, list) else [raw]
    return model_from_params(options, layers, where)
