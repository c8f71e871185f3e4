"""The numbers of one exercise set: the lecture's, or a random variant that stays clean.

A :class:`Variant` is the data every answer is recomputed from (it is what key.json
stores under ``"exercise"``). The lecture's variant uses the lecture's weights and
sequences exactly. A random variant draws, from an explicit
``numpy.random.Generator`` seeded by sha256 of ``"{seed}:{student id}"``:

- which input carries the data, which one writes/resets, which one reads;
- the cell input's weight and bias, and each gate's weight and bias;
- the trace and memory-puzzle sequences;
- the sizes used by the parameter-count and shape questions.

Rejection sampling keeps the lecture's qualities (:func:`problems` lists what is
violated): every gate pre-activation is at least 10 away from 0, so ideal (0/1)
and exact answers agree within the tolerance; memory values are small integers;
each sequence writes (once onto a non-empty memory), resets and reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache
from typing import Any

import mpmath
import numpy as np

from lstm_sym.errors import UserError
from lstm_sym.exercises.anatomy import anatomy
from lstm_sym.exercises.cellmath import feeding, lecture_cell
from lstm_sym.exercises.model import IDEAL
from lstm_sym.key import Student
from lstm_sym.model.cells import Cell
from lstm_sym.numeric.backends import Backend, get_backend
from lstm_sym.numeric.examples import EXAMPLES, LECTURE_CELL, LECTURE_PARAMS, example
from lstm_sym.numeric.run import run
from lstm_sym.numeric.weights import Model, as_matrix, bind_sizes, cell_from_options

SATURATION = 10  # |gate pre-activation| at least this: σ(±10) is within 4.6·10⁻⁵ of 0/1
MAX_MEMORY = 20  # memory values stay small integers
MAX_DRAWS = 2048  # rejection sampling gives up after this many sequences (never happens)
# Candidate sequences screened per run of the cell: about 1 in 6 random traces and 2 in 3
# memory sequences are clean.
BATCH = {"trace": 16, "memory": 4}
# The lecture cell's roles, read off its equations (see anatomy): the memory STATE, the
# value written (z) through the WRITE gate (i), kept through KEEP (f), read through READ (o)
# into the OUTPUT (y); GATES with each one's pre-activation PRE.
_LECTURE = anatomy(lecture_cell())
STATE = _LECTURE.state_names[0]
KEEP, WRITE, READ = _LECTURE.keep[STATE], _LECTURE.write[STATE], _LECTURE.read
VALUE, OUTPUT = _LECTURE.written[STATE], _LECTURE.quantities[-1].name
PREV = f"{STATE}_prev"
GATES = tuple(q.name for q in _LECTURE.gates)
PRE = {q.name: q.argument for q in _LECTURE.gates}
# The lecture's sizes for the parameter and shape questions: its 3-d input and its
# two-cell hidden layer.
LECTURE_SIZES = {"n": 3, "m": 2}
MEMORY_EXAMPLE = "lecture-memory"


@cache
def _cell(options: tuple[tuple[str, str], ...]) -> Cell:
    return cell_from_options(dict(options), "exercise: cell")


def cell_of(options: dict[str, Any]) -> Cell:
    """The cell of a variant's options, built once per set of options."""
    return _cell(tuple(sorted(options.items())))


def make_model(cell: dict[str, str], weights: dict[str, Any], where: str = "exercise") -> Model:
    """A model of one layer; the cell is built once per set of options (SymPy is slow to
    build, and every variant and alternative uses the same cell).

    >>> make_model(LECTURE_CELL, LECTURE_PARAMS).sizes
    {'input': 3, 'hidden': 1}
    """
    options = tuple(sorted(cell.items()))
    built = _cell(options)
    missing = [prm.name for prm in built.params if prm.name not in weights]
    if missing:
        raise UserError(f"{where}: weights: missing parameter {missing[0]}")
    arrays = {prm.name: as_matrix(weights[prm.name], f"{where}: weights: {prm.name}")
              for prm in built.params}
    extra = sorted(set(weights) - set(arrays))
    if extra:
        raise UserError(f"{where}: weights: unknown parameter {extra[0]}")
    shapes = tuple((name, arr.shape) for name, arr in arrays.items())
    return Model(built, [arrays], dict(_sizes(options, shapes, where)), dict(cell))


@lru_cache(maxsize=64)
def _sizes(options: tuple, shapes: tuple, where: str) -> tuple[tuple[str, int], ...]:
    """Sizes read off (and checked against) the arrays' shapes; SymPy work, once per shape."""
    blank = {name: np.zeros(shape) for name, shape in shapes}
    return tuple(bind_sizes(_cell(options), blank, f"{where}: weights").items())


def derive_seed(seed: int, student_id: str | None = None, attempt: int = 0) -> int:
    """A 64-bit seed from (seed, student id), stable across machines and Python runs.

    >>> derive_seed(1, "s001") == derive_seed(1, "s001") != derive_seed(1, "s002")
    True
    """
    text = f"{seed}:{student_id or ''}" + (f":{attempt}" if attempt else "")
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


@dataclass(frozen=True)
class Roles:
    """Which input (0-based) carries the data, writes (1) / resets (−1), and reads (1)."""

    data: int
    write: int
    read: int


def _roles_from_weights(weights: dict) -> Roles:
    def channel(name: str) -> int:
        row = weights[name][0]
        return max(range(len(row)), key=lambda k: abs(row[k]))
    cell = lecture_cell()
    return Roles(*(channel(feeding(cell, pre)[0]) for pre in (VALUE, PRE[WRITE], PRE[READ])))


def _sign(x: Any) -> mpmath.mpf:
    return mpmath.mpf(mpmath.sign(x))


@cache
def saturated_backend() -> Backend:
    """The ideal backend (σ as the 0/1 step of :mod:`lstm_sym.numeric.backends`) with tanh
    idealised as well, to its sign: a saturated tanh is ±1, tanh(0) = 0."""
    base = get_backend("ideal")
    sign = np.frompyfunc(_sign, 1, 1)
    return replace(base, act={**base.act, "tanh": lambda a: np.asarray(sign(a), dtype=object)})


Row = dict[str, tuple[Any, ...]]


def sequence_rows(model: Model, inputs, mode: str, h0: Any = None, c0: Any = None) -> list[Row]:
    """Every quantity of every step as a tuple over the hidden units, plus each carried
    state before the step (``c_prev``, ``h_prev``). ``ideal`` idealises σ and tanh.

    >>> rows = sequence_rows(make_model(LECTURE_CELL, LECTURE_PARAMS), [[3, 1, 0]], "ideal")
    >>> [int(rows[0][k][0]) for k in ("z_i", "i", "c", "c_prev")]
    [90, 1, 3, 0]
    """
    backend = saturated_backend() if mode == "ideal" else None
    trace = run(model, [[list(x) for x in inputs]], mode=mode, dps=50, backend=backend,
                h0=None if h0 is None else [list(h0)], c0=None if c0 is None else [list(c0)])
    parts = anatomy(model.cell)
    rows = []
    for env in trace.layers[0].steps:
        row = {q.name: tuple(env[q.equation][:, 0]) for q in parts.quantities}
        for st in model.cell.states:
            row[f"{st.name}_prev"] = tuple(env[st.prev.name][:, 0])
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Variant:
    """Everything the answers are computed from.

    `ideal` variants have saturated weights, so answers are the lecture's idealised values
    (σ as 0/1, tanh as ±1) with the exact values beside them; a teacher's own weights give
    exact answers. `memory_inputs` is the lecture cell's memory puzzle (empty otherwise).

    >>> v = lecture_variant()
    >>> [round(float(s["c"])) for s in v.trace("ideal")]
    [3, 7, 7, 7, 0]
    """

    example: str
    seed: int | None
    student: Student | None
    worked: tuple[int, ...]
    weights: dict[str, Any]
    inputs: tuple[tuple[Any, ...], ...]
    memory_inputs: tuple[tuple[int, ...], ...]
    sizes: dict[str, int]
    attempt: int = 0
    cell: dict[str, Any] = field(default_factory=lambda: dict(LECTURE_CELL))
    h0: tuple[Any, ...] | None = None
    c0: tuple[Any, ...] | None = None
    ideal: bool = True

    @cached_property
    def roles(self) -> Roles:
        return _roles_from_weights(self.weights)

    @cached_property
    def model(self) -> Model:
        return make_model(self.cell, self.weights)

    @property
    def lecture(self) -> bool:
        """The lecture's memory cell (the families written for it apply)."""
        return self.model.cell.lecture

    def rows(self, mode: str) -> list[Row]:
        """The trace sequence's quantities per step (tuples over the hidden units)."""
        return self._rows[mode]

    @cached_property
    def _rows(self) -> dict[str, list[Row]]:
        modes = ("ideal", "exact") if self.ideal else ("exact",)
        out = {mode: sequence_rows(self.model, self.inputs, mode, self.h0, self.c0)
               for mode in modes}
        out.setdefault("ideal", out["exact"])
        return out

    def answer_rows(self) -> list[Row]:
        """The values the key asks for: idealised for clean weights, else exact."""
        return self.rows("ideal" if self.ideal else "exact")

    def trace(self, mode: str) -> list[dict[str, mpmath.mpf]]:
        """The trace sequence's named values per step, in ``ideal`` or ``exact`` mode
        (one hidden unit: scalars; ``y`` is the output, ``c_prev`` the memory before)."""
        return self._scalar_rows[mode]

    @cached_property
    def _scalar_rows(self) -> dict[str, list[dict[str, Any]]]:
        output = anatomy(self.model.cell).quantities[-1].name
        out = {}
        for mode in ("ideal", "exact"):
            rows = []
            for row in self.rows(mode):
                scalar = {k: v[0] for k, v in row.items()}
                scalar["y"] = scalar[output]
                rows.append(scalar)
            out[mode] = rows
        return out

    def memory_trace(self, mode: str) -> list[dict[str, mpmath.mpf]]:
        return self._memory[mode]

    @cached_property
    def _memory(self) -> dict[str, list[dict[str, Any]]]:
        return {mode: step_rows(self.model, self.memory_inputs, mode) if self.memory_inputs
                else [] for mode in ("ideal", "exact")}

    def plot_trace(self) -> list[dict[str, float]]:
        """Float-mode values (what a plot shows)."""
        return [{k: float(v) for k, v in row.items()}
                for row in step_rows(self.model, self.inputs, "float")]

    def to_json(self) -> dict[str, Any]:
        """The key's ``exercise`` object: enough to recompute every answer."""
        out = {
            "title": EXAMPLES[self.example][0] if self.example in EXAMPLES
            else f"{self.model.cell.title}: {self.example}",
            "example": self.example,
            "seed": self.seed,
            "attempt": self.attempt,
            "cell": dict(self.cell),
            "weights": {k: v for k, v in self.weights.items()},
            "inputs": [list(step) for step in self.inputs],
        }
        if self.memory_inputs:
            out["memory_inputs"] = [list(step) for step in self.memory_inputs]
        out["sizes"] = dict(self.sizes)
        out["worked"] = list(self.worked)
        for name in ("h0", "c0"):
            if getattr(self, name) is not None:
                out[name] = list(getattr(self, name))
        if not self.ideal:
            out["ideal"] = False
        return out

    @classmethod
    def from_json(cls, data: dict, student: Student | None = None,
                  where: str = "exercise") -> Variant:
        """Rebuild a variant from a key's ``exercise`` object (checked by lstm_sym.key)."""
        try:
            return cls(
                example=data["example"], seed=data.get("seed"), student=student,
                worked=tuple(int(t) for t in data["worked"]),
                weights={k: v for k, v in data["weights"].items()},
                inputs=tuple(tuple(step) for step in data["inputs"]),
                memory_inputs=tuple(tuple(step) for step in data.get("memory_inputs", ())),
                sizes={k: int(v) for k, v in data["sizes"].items()},
                attempt=int(data.get("attempt", 0)), cell=dict(data["cell"]),
                h0=tuple(data["h0"]) if data.get("h0") is not None else None,
                c0=tuple(data["c0"]) if data.get("c0") is not None else None,
                ideal=bool(data.get("ideal", True)))
        except (KeyError, TypeError, ValueError) as exc:
            raise UserError(f"{where}: cannot rebuild the exercise ({exc.__class__.__name__}: "
                            f"{exc})") from None


def step_rows(model: Model, inputs, mode: str, c0: Any = None) -> list[dict[str, Any]]:
    """Scalar named values per step, plus ``c_prev`` (the memory before the step)."""
    return batch_rows(model, [inputs], mode, c0)[0]


def batch_rows(model: Model, sequences, mode: str, c0: Any = None,
               snap: float | None = None, bind: Any = None) -> list[list[dict[str, Any]]]:
    """:func:`step_rows` of equally long sequences in one batched run (one hidden unit).
    With `snap` (float mode), values within `snap` of an integer are that integer; `bind`
    is :func:`lstm_sym.numeric.run.run`'s."""
    trace = run(model, [[list(x) for x in seq] for seq in sequences], mode=mode, dps=50,
                c0=None if c0 is None else [c0], bind=bind)
    cell = model.cell
    names = [(q.name, q.equation) for q in anatomy(cell).quantities]
    names.append(("y", cell.output.name))  # the output under the lecture's name
    names += [(f"{st.name}_prev", st.prev.name) for st in cell.states]
    keys = [key for key, _ in names]
    envs = trace.layers[0].steps
    if snap is not None:  # one array [step, name, sequence] snapped in one call
        table = _snapped(np.array([[env[name][0] for _, name in names] for env in envs],
                                  dtype=float), snap).tolist()
    else:
        table = [[list(env[name][0]) for _, name in names] for env in envs]
    return [[dict(zip(keys, (column[b] for column in step))) for step in table]
            for b in range(len(sequences))]


def pinning(pins: Sequence[tuple[str, Any]], width: int = 1):
    """A `bind` for :func:`lstm_sym.numeric.run.run` that sets quantity ``pins[k][0]`` to
    ``pins[k][1]`` in the k-th block of `width` columns of the batch: one run computes
    every pinned-gate misconception, a block of columns each.

    >>> bind = pinning([("f", 0), ("i", 1)], width=2)
    >>> bind("f", np.ones((1, 4), dtype=object)).tolist()
    [[mpf('0.0'), mpf('0.0'), 1, 1]]
    """
    values = [(name, mpmath.mpf(value)) for name, value in pins]

    def bind(name: str, value: np.ndarray) -> np.ndarray:
        blocks = [k for k, (pinned, _) in enumerate(values) if pinned == name]
        if not blocks:
            return value
        out = value.copy()
        for k in blocks:
            out[:, k * width:(k + 1) * width] = values[k][1]
        return out

    return bind


def check_worked(worked: tuple[int, ...], steps: int) -> tuple[int, ...]:
    """Validate worked step numbers (1-based) against the sequence length."""
    worked = tuple(sorted({int(t) for t in worked}))
    bad = [t for t in worked if not 1 <= t <= steps]
    if bad:
        raise UserError(f"--worked: step {bad[0]} is past the sequence's {steps} steps")
    return worked


def lecture_variant(example_name: str = "lecture-worked",
                    worked: tuple[int, ...] = (1, 4)) -> Variant:
    """The lecture's own numbers, exactly."""
    ex = example(example_name)
    memory = example(MEMORY_EXAMPLE)
    return Variant(example_name, None, None, check_worked(worked, len(ex.inputs)),
                   {k: v for k, v in LECTURE_PARAMS.items()},
                   tuple(tuple(s) for s in ex.inputs), tuple(tuple(s) for s in memory.inputs),
                   dict(LECTURE_SIZES))


# --- random variants ----------------------------------------------------------------


def _draw_weights(rng: np.random.Generator, roles: Roles) -> dict[str, Any]:
    def row(channel: int, weight: int) -> list[list[int]]:
        out = [0, 0, 0]
        out[channel] = weight
        return [out]

    def gate(sign: int) -> tuple[int, int]:
        # |bias| >= 10 keeps the gate saturated at rest; weight >= |bias| + 10 saturates it
        # the other way when its input is ±1.
        bias = int(rng.choice([10, 20]))
        weight = int(rng.choice([w for w in (30, 50, 100) if w >= bias + 10]))
        return weight, sign * bias

    # z = w·x + b with x in 1…6 stays a non-negative small integer, as "writes x1" suggests;
    # the write and keep gates read the same input (1 writes, −1 resets), the read gate its own.
    drawn = {VALUE: (roles.data, int(rng.choice([1, 2, 3])), int(rng.choice([0, 0, 1, -1]))),
             PRE[WRITE]: (roles.write, *gate(-1)), PRE[KEEP]: (roles.write, *gate(+1)),
             PRE[READ]: (roles.read, *gate(-1))}
    cell, out = lecture_cell(), {}
    for pre in (VALUE, PRE[WRITE], PRE[KEEP], PRE[READ]):  # the draw order of the variants
        channel, weight, bias = drawn[pre]
        w_name, b_name = feeding(cell, pre)
        out[w_name], out[b_name] = row(channel, weight), [bias]
    return out


def _draw_sequence(rng: np.random.Generator, roles: Roles, steps: int) -> np.ndarray:
    x = np.zeros((steps, 3), dtype=np.int64)
    x[:, roles.data] = rng.integers(1, 7, steps)
    x[:, roles.write] = rng.choice([1, 0, -1], size=steps, p=[0.45, 0.25, 0.3])
    x[:, roles.read] = rng.choice([0, 1], size=steps, p=[0.6, 0.4])
    return x


def _length(name: str) -> int:
    """Steps of a built-in example's sequence (example() builds its model: too slow here)."""
    if name not in EXAMPLES:
        example(name)  # raises the UserError that lists the examples
    return len(EXAMPLES[name][1])


def draw_variant(example_name: str, seed: int, student: Student | None = None,
                 worked: tuple[int, ...] = (1, 4), attempt: int = 0) -> Variant:
    """A clean random variant for (seed, student id, attempt).

    >>> v = draw_variant("lecture-worked", 7)
    >>> problems(v)
    []
    >>> v == draw_variant("lecture-worked", 7)
    True
    """
    steps, memory_steps = _length(example_name), _length(MEMORY_EXAMPLE)
    worked = check_worked(worked, steps)
    rng = np.random.default_rng(derive_seed(seed, student.id if student else None, attempt))
    roles = Roles(*(int(k) for k in rng.permutation(3)))
    weights = _draw_weights(rng, roles)
    model = make_model(LECTURE_CELL, weights, "variant")
    (trace, traced), (memory, remembered) = (
        _clean_sequence(rng, model, roles, kind, length, worked)
        for kind, length in (("trace", steps), ("memory", memory_steps)))
    n = int(rng.integers(2, 7))
    m = int(rng.choice([k for k in range(2, 7) if k != n]))  # n ≠ m: a transpose shows
    variant = Variant(example_name, seed, student, worked, weights, trace, memory,
                      {"n": n, "m": m}, attempt)
    # The checks ran both sequences ideally and exactly: every family reads those runs.
    parts = anatomy(model.cell)
    names = [q.name for q in parts.quantities] + [f"{st.name}_prev" for st in model.cell.states]
    variant.__dict__.update(  # the cached properties' own slots (what their first use fills)
        model=model, _memory=remembered,
        _rows={mode: [{k: (row[k],) for k in names} for row in rows]
               for mode, rows in traced.items()})
    return variant


def _clean_sequence(rng: np.random.Generator, model: Model, roles: Roles, kind: str,
                    length: int, worked: tuple[int, ...]
                    ) -> tuple[tuple[tuple[int, ...], ...], dict[str, list[dict[str, Any]]]]:
    """The first clean sequence of a stream of candidates, screened a batch at a time in
    float64 (saturated values rounded: what the ideal trace gives); only a sequence that
    passes is traced ideally and exactly, and checked again. Returns it with those two
    traces (:func:`step_rows`, by mode)."""
    for _ in range(MAX_DRAWS // BATCH[kind]):
        batch = [tuple(tuple(int(v) for v in row) for row in _draw_sequence(rng, roles, length))
                 for _ in range(BATCH[kind])]
        for seq, rows in zip(batch, batch_rows(model, batch, "float", snap=IDEAL.abs)):
            if kind == "trace" and repeat_problems(seq):
                continue
            if ideal_problems(rows, kind, worked):
                continue
            ideal = step_rows(model, seq, "ideal")
            if ideal_problems(ideal, kind, worked):
                continue
            exact = step_rows(model, seq, "exact")
            if not exact_problems(ideal, exact, kind):
                return seq, {"ideal": ideal, "exact": exact}
    raise RuntimeError(f"no clean {kind} sequence after {MAX_DRAWS} draws")  # pragma: no cover


# --- cleanliness ---------------------------------------------------------------------


def _snapped(values: np.ndarray, within: float) -> np.ndarray:
    """Float values within `within` of an integer rounded to it (saturated σ → 0/1).

    >>> _snapped(np.array([0.99995, 0.5, 6.98, -0.004]), 0.01).tolist()
    [1.0, 0.5, 6.98, -0.0]
    """
    near = np.round(values)
    return np.where(np.abs(values - near) <= within, near, values)


def keep_span(rows: list[dict]) -> tuple[int, int] | None:
    """(k, t), 1-based: t the first step that reads a non-zero memory at least two steps
    after k, where k is the last reset before t (or step 1); the forget gate stays open
    from k+1 to t, so the error flows back over several steps."""
    for t in range(3, len(rows) + 1):
        if rows[t - 1][READ] == 1 and rows[t - 1][STATE] != 0:
            k = max([1, *(r for r in range(1, t) if rows[r - 1][KEEP] == 0)])
            if t - k >= 2:
                return k, t
    return None


def reset_span(rows: list[dict]) -> tuple[int, int] | None:
    """(1, r): r the first step ≥ 2 whose forget gate is closed."""
    for r in range(2, len(rows) + 1):
        if rows[r - 1][KEEP] == 0:
            return 1, r
    return None


def ideal_problems(ideal: list[dict], kind: str, worked: tuple[int, ...] = ()) -> list[str]:
    """Rules on the ideal trace: saturated gates, small integer memory, a write onto a
    non-empty memory, a reset and a read; for the trace, the gradient questions' spans."""
    out = []
    for t, row in enumerate(ideal, 1):
        for gate in GATES:
            if abs(row[PRE[gate]]) < SATURATION:
                out.append(f"{kind} step {t}: {PRE[gate]} = {row[PRE[gate]]} is not saturated")
        if row[STATE] != int(row[STATE]) or abs(row[STATE]) > MAX_MEMORY:
            out.append(f"{kind} step {t}: memory {row['c']} is not a small integer")
    if not any(r[WRITE] == 1 and r[VALUE] != 0 for r in ideal):
        out.append(f"{kind}: nothing is written")
    if not any(r[WRITE] == 1 and r[KEEP] == 1 and r[VALUE] != 0 and r[PREV] != 0
               for r in ideal):
        out.append(f"{kind}: no write adds to a non-empty memory")
    if not any(r[KEEP] == 0 and r[PREV] != 0 for r in ideal):
        out.append(f"{kind}: the memory is never reset")
    if not any(r[READ] == 1 and r[STATE] != 0 for r in ideal):
        out.append(f"{kind}: the memory is never read")
    if kind == "trace":
        if keep_span(ideal) is None:
            out.append("trace: no read two steps after a reset for the gradient question")
        if reset_span(ideal) is None:
            out.append("trace: no reset at step ≥ 2 for the gradient question")
        shown = [ideal[t - 1] for t in worked]
        if worked and not any(r[WRITE] == 1 and r[VALUE] != 0 for r in shown):
            out.append("trace: the worked steps show no write")
        if len(worked) > 1 and not any(r[READ] == 1 and r[STATE] != 0 for r in shown):
            out.append("trace: the worked steps show no read")
        asked = [t for t in range(1, len(ideal) + 1) if t not in worked]
        if not any(ideal[t - 1][STATE] != 0 for t in asked):
            out.append("trace: every step left to the student has an empty memory")
    return out


def exact_problems(ideal: list[dict], exact: list[dict], kind: str) -> list[str]:
    """Ideal and exact memory and output must agree within the answers' tolerance."""
    out = []
    for t, (a, b) in enumerate(zip(ideal, exact), 1):
        for name in (STATE, OUTPUT):
            if abs(a[name] - b[name]) > IDEAL.abs:
                out.append(f"{kind} step {t}: ideal {name} = {a[name]} and exact "
                           f"{mpmath.nstr(b[name], 8)} differ by more than {IDEAL.abs}")
    return out


def sequence_problems(model: Model, seq, kind: str, worked: tuple[int, ...] = ()) -> list[str]:
    """What keeps a sequence from being as clean as the lecture's (empty: clean)."""
    ideal = step_rows(model, seq, "ideal")
    return ideal_problems(ideal, kind, worked) + exact_problems(
        ideal, step_rows(model, seq, "exact"), kind)


def repeat_problems(inputs) -> list[str]:
    """No two steps of the sequence alike, so no exercise step repeats a worked one.

    >>> repeat_problems([(1, 0), (0, 1), (1, 0)])
    ['step 3 repeats the input of step 1']
    """
    seen: dict[tuple, int] = {}
    out = []
    for t, x in enumerate(inputs, 1):
        key = tuple(x)
        if key in seen:
            out.append(f"step {t} repeats the input of step {seen[key]}")
        seen.setdefault(key, t)
    return out


def problems(variant: Variant) -> list[str]:
    """Every cleanliness rule the variant breaks (empty for a clean one)."""
    return (repeat_problems(variant.inputs)
            + sequence_problems(variant.model, variant.inputs, "trace", variant.worked)
            + sequence_problems(variant.model, variant.memory_inputs, "memory"))


# --- a teacher's own weights ---------------------------------------------------------------

WEIGHTS_EXAMPLE = "weights"


def _numbers(arr: np.ndarray, vector: bool) -> list:
    """A parameter as JSON numbers: a vector as one list, a matrix as rows."""
    plain = [[v if isinstance(v, (int, float)) else float(v) for v in row] for row in arr.tolist()]
    return [row[0] for row in plain] if vector else plain


def _vector(value: Any, size: int, where: str) -> tuple[Any, ...] | None:
    if value is None:
        return None
    arr = as_matrix(value, where)
    if size not in arr.shape or arr.size != size:
        raise UserError(f"{where}: expected {size} numbers (the hidden size), got "
                        f"{'×'.join(map(str, arr.shape))}")
    return tuple(arr.ravel().tolist())


def variant_from_model(model: Model, inputs: Any, h0: Any = None, c0: Any = None,
                       worked: tuple[int, ...] | None = None,
                       student: Student | None = None) -> Variant:
    """The variant of a teacher's weights and input sequence: answers are exact.

    >>> from lstm_sym.numeric.weights import model_from_params
    >>> m_ = model_from_params({"cell": "rnn", "bias": "single"},
    ...                        [{"W": [[0.5]], "U": [[-1.0]], "b": [0.25]}])
    >>> v = variant_from_model(m_, [[1.0], [2.0]])
    >>> v.worked, v.ideal, v.weights["b"]
    ((1,), False, [0.25])
    """
    if len(model.layers) != 1:
        raise UserError(f"--weights: a worksheet traces one layer; the file has "
                        f"{len(model.layers)}")
    if "proj" in model.sizes:
        raise UserError("--weights: a worksheet does not trace a projected LSTM (weight_hr)")
    n_in, hidden = model.sizes["input"], model.sizes["hidden"]
    arr = as_matrix(inputs, "--inputs") if not (isinstance(inputs, list) and inputs and
                                                isinstance(inputs[0], list) and inputs[0]
                                                and isinstance(inputs[0][0], list)) else None
    if arr is None:
        raise UserError("--inputs: a worksheet traces one sequence: a list of time steps, "
                        "each a list of numbers")
    if arr.shape[1] != n_in:
        raise UserError(f"--inputs: each time step needs {n_in} numbers (the cell's input "
                        f"size), got {arr.shape[1]}")
    steps = arr.shape[0]
    chosen = tuple(worked) if worked is not None else ((1,) if steps > 1 else ())
    vectors = {prm.name: prm.is_vector for prm in model.cell.params}
    weights = {name: _numbers(value, vectors[name]) for name, value in model.layers[0].items()}
    states = {st.name for st in model.cell.states}
    for name, value in (("h", h0), ("c", c0)):
        if value is not None and name not in states:
            raise UserError(f"--{name}0: the {model.cell.title} carries no {name}")
    options = {k: v for k, v in model.cell_options.items()}
    return Variant(WEIGHTS_EXAMPLE, None, student, check_worked(chosen, steps), weights,
                   tuple(tuple(row) for row in arr.tolist()), (),
                   {"n": n_in, "m": hidden}, 0, options,
                   _vector(h0, hidden, "--h0"), _vector(c0, hidden, "--c0"), ideal=False)
