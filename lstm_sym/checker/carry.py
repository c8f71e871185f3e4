"""Error carried forward: what a trace or memory answer should be, given the student's own
earlier answers.

A student whose c₂ is wrong gets every later step wrong too, though each later step may
follow correctly from that c₂. For a question ``trace.t{t}.{name}`` (or an entry of a
memory-puzzle vector ``memory.{name}``) this module recomputes the asked quantity with the
cell model of the key's ``exercise`` block (cell options, weights, inputs), running the
numeric layer's compiled step with:

- the state after step t−1 (c, h, …) taken from the student's answers for step t−1, and
- within step t, the student's own values of the quantities the asked one reads (y_t from
  their c_t, c_t from their gates);

the key's value wherever the student gave none. Both of the key's modes are recomputed
(ideal 0/1 gates and exact σ), as the key accepts both. Nothing here re-types a cell
equation: names, dependencies and values all come from the cell and its compiled program.
Student text is read by the checker's own parser (numbers only).

>>> from lstm_sym.exercises import build_set
>>> key = build_set().key()
>>> carried = carry_targets(key, "trace.t3.c", {"trace.t2.c": "8"})
>>> [round(float(v), 3) for v in carried.targets], carried.given   # ideal, exact
([8.0, 8.0], (('c', 2, '8'),))
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import mpmath
import numpy as np

from lstm_sym.checker.nodes import to_text
from lstm_sym.checker.numeric import CTX, Real, TooComplex, Undefined
from lstm_sym.checker.parse import Names, ParseError
from lstm_sym.checker.readers import read_real, split_vector

MODES = ("ideal", "exact")
# Question families whose answers are values of a run of the cell, and the exercise field
# holding the inputs of that run.
RUNS = {"trace": "inputs", "memory": "memory_inputs"}


@dataclass(frozen=True)
class Carried:
    """Values the answer may take, recomputed from the student's own earlier answers.

    `targets` holds one Real per mode for a number; for a vector (memory puzzle), one
    tuple of per-mode Reals per entry. `given` lists the student's values the result
    used, as (name, step, text as read), and `wrong_given` those of them that the key
    marks wrong (the reason the result differs from the key).
    """

    targets: tuple[Any, ...]
    given: tuple[tuple[str, int, str], ...]
    entry_given: tuple[tuple[tuple[str, int, str], ...], ...] = ()


@dataclass(frozen=True)
class _Run:
    """The cell of one key and its two reference runs (ideal, exact)."""

    model: Any
    program: Any
    inputs: tuple[tuple[float, ...], ...]
    envs: dict[str, list[dict[str, np.ndarray]]]  # mode -> per step, every named value
    names: dict[str, str]  # question name -> equation name (c -> c_new for the lecture)
    prev: dict[str, str]  # equation name of a new state -> the name its old value goes by
    reads: dict[str, tuple[str, ...]]  # equation name -> the names its right side reads


@lru_cache(maxsize=256)
def _run(exercise_json: str, field: str) -> _Run | None:
    from lstm_sym.exercises.variant import make_model
    from lstm_sym.numeric.program import Program
    from lstm_sym.numeric.run import run

    exercise = json.loads(exercise_json)
    inputs = exercise.get(field)
    if not inputs:
        return None
    model = make_model(exercise["cell"], exercise["weights"])
    cell = model.cell
    envs = {}
    with mpmath.workdps(50):
        for mode in MODES:
            envs[mode] = run(model, [list(x) for x in inputs], mode=mode, dps=50).layers[0].steps
    names = {eq.name: eq.name for eq in cell.equations}
    names.update({state.name: state.new.name for state in cell.states})
    prev = {state.new.name: state.prev.name for state in cell.states}
    reads = {eq.name: tuple(sorted(s.name for s in eq.rhs.free_symbols if hasattr(s, "name")))
             for eq in cell.equations}
    return _Run(model, Program.of(cell), tuple(tuple(x) for x in inputs), envs, names, prev,
                reads)


_EXERCISES: dict[int, tuple[Mapping, str]] = {}


def _exercise_json(exercise: Mapping) -> str:
    """The exercise block as canonical JSON, made once per block a grading run passes."""
    known = _EXERCISES.get(id(exercise))
    if known is None or known[0] is not exercise:
        if len(_EXERCISES) > 1024:
            _EXERCISES.clear()
        known = _EXERCISES[id(exercise)] = (exercise, json.dumps(exercise, sort_keys=True))
    return known[1]


def _step_of(rest: str) -> int | None:
    """The step of ``t3.c`` (None if it is not a trace id)."""
    step = rest.partition(".")[0]
    return int(step[1:]) if step.startswith("t") and step[1:].isdigit() else None


@lru_cache(maxsize=4096)
def _read_number(text: str) -> tuple[Real, str] | None:
    try:
        value, node = read_real(text, Names())
    except (ParseError, Undefined, TooComplex, RecursionError):
        return None
    return value, to_text(node)


def _read_values(text: str, size: int) -> tuple[tuple[Real, ...], str] | None:
    """A value of `size` units: a number, or a vector of that many numbers."""
    if size == 1:
        read = _read_number(text)
        return None if read is None else ((read[0],), read[1])
    entries = [entry for entry, _ in split_vector(text)]
    if len(entries) != size:
        return None
    reads = [_read_number(entry) for entry in entries]
    if any(r is None for r in reads):
        return None
    return tuple(r[0] for r in reads), "[" + ", ".join(r[1] for r in reads) + "]"


def _student_values(run: _Run, family: str, answers: Mapping[str, str]
                    ) -> dict[tuple[int, str], tuple[tuple[Real, ...], str]]:
    """(step, equation name) -> the student's value (one number per unit) and how it was
    read."""
    size = run.model.sizes["hidden"]
    out: dict[tuple[int, str], tuple[tuple[Real, ...], str]] = {}
    for qid, text in answers.items():
        head, _, rest = qid.partition(".")
        if head != family or not isinstance(text, str) or not text.strip():
            continue
        if family == "trace":
            step, _, name = rest.partition(".")
            if not (step.startswith("t") and step[1:].isdigit()) or name not in run.names:
                continue
            read = _read_values(text, size)
            if read is not None:
                out[(int(step[1:]), run.names[name])] = read
        elif rest in run.names and size == 1:  # memory.c: one entry per step
            entries = [entry for entry, _ in split_vector(text)]
            if len(entries) != len(run.inputs):
                continue
            for t, entry in enumerate(entries, 1):
                read = _read_number(entry)
                if read is not None:
                    out[(t, run.names[rest])] = ((read[0],), read[1])
    return out


def _as_mp(value: Real) -> mpmath.mpf:
    return mpmath.mpf(value)


def _used(run: _Run, name: str, t: int, given: Mapping[tuple[int, str], Any]
          ) -> list[tuple[str, int]]:
    """The student's values (equation name, step) that computing `name` at step t reads,
    following the equations back through every value the student did not give."""
    out, stack, seen = [], [name], set()
    previous = {old: new for new, old in run.prev.items()}
    while stack:
        current = stack.pop()
        for dep in run.reads.get(current, ()):
            if dep in seen:
                continue
            seen.add(dep)
            if dep in previous:  # the state before this step
                if (t - 1, previous[dep]) in given:
                    out.append((previous[dep], t - 1))
            elif dep in run.reads:  # a value of this step
                if (t, dep) in given:
                    out.append((dep, t))
                else:
                    stack.append(dep)
    return out


class _Student:
    """One student's values for one run, and the steps recomputed from them (each once:
    a value computed in a step does not depend on the student's own value of it, which
    only replaces it for what comes later)."""

    def __init__(self, run: _Run, given: dict) -> None:
        self.run = run
        self.given = given
        self.steps: dict[tuple[str, int], dict[str, np.ndarray]] = {}

    def value(self, mode: str, t: int, equation: str) -> tuple[Real, ...]:
        if (mode, t) not in self.steps:
            self.steps[(mode, t)] = _step_values(self.run, mode, t, self.given)
        return _units(self.steps[(mode, t)][equation])


@lru_cache(maxsize=64)
def _student(exercise_json: str, family: str, answers: tuple[tuple[str, str], ...]
             ) -> _Student | None:
    run = _run(exercise_json, RUNS[family])
    if run is None:
        return None
    return _Student(run, _student_values(run, family, dict(answers)))


def _step_values(run: _Run, mode: str, t: int, given: Mapping[tuple[int, str], Any]
                 ) -> dict[str, np.ndarray]:
    """Every named value of step t, recomputed from the student's values in `given`."""
    from lstm_sym.numeric.backends import get_backend

    backend = get_backend(mode)
    reference = run.envs[mode]
    env = {name: reference[t - 1][name] for name in run.model.layers[0]}
    env["x"] = reference[t - 1]["x"]
    for new, old in run.prev.items():
        if (t - 1, new) in given:
            env[old] = _column(backend, given[(t - 1, new)][0])
        elif t > 1:
            env[old] = reference[t - 2][new]
        else:
            env[old] = reference[0][old]
    computed: dict[str, np.ndarray] = {}

    def bind(name: str, value: np.ndarray) -> np.ndarray:
        computed[name] = value
        if (t, name) in given:
            return _column(backend, given[(t, name)][0])
        return value

    with mpmath.workdps(50):
        run.program.step(env, backend, bind)
    return computed


def _column(backend: Any, values: tuple[Real, ...]) -> np.ndarray:
    return backend.to_array([[_as_mp(v)] for v in values])


def _units(array: np.ndarray) -> tuple[Real, ...]:
    return tuple(CTX.mpf(v) for v in array[:, 0])


def carry_targets(key: Mapping[str, Any], qid: str, answers: Mapping[str, str]
                  ) -> Carried | None:
    """The values `qid` may take given the student's other answers (see the module).

    None when the question is not a value of a run of the cell, when the cell is not a
    single cell of size one, or when the student gave nothing the question depends on.
    """
    family, _, rest = qid.partition(".")
    exercise = key.get("exercise")
    if not isinstance(exercise, Mapping) or family not in RUNS:
        return None
    relevant = tuple(sorted((q, a) for q, a in answers.items()
                            if q.startswith(family + ".") and isinstance(a, str)))
    try:
        student = _student(_exercise_json(exercise), family, relevant)
    except Exception:  # noqa: BLE001 - a key we cannot rerun is graded without carrying
        return None
    if student is None or len(student.run.model.layers) != 1:
        return None
    run = student.run
    # The answer's own value never counts as something it follows from.
    own = qid.partition(".")[2].rpartition(".")[2] if family == "trace" else rest
    skip = (_step_of(rest), run.names.get(own)) if family == "trace" else None
    given = {k: v for k, v in student.given.items() if k != skip}
    if not given:
        return None
    if family == "trace":
        step, _, name = rest.partition(".")
        if not (step.startswith("t") and step[1:].isdigit()) or name not in run.names:
            return None
        t, equation = int(step[1:]), run.names[name]
        if not 1 <= t <= len(run.inputs):
            return None
        used = _used(run, equation, t, given)
        if not used:
            return None
        values = [student.value(mode, t, equation) for mode in MODES]
        described = tuple(_describe(run, used, given))
        if len(values[0]) == 1:
            return Carried(tuple(v[0] for v in values), described)
        # A layer of several units: a vector answer, judged unit by unit.
        units = tuple(zip(*values))
        return Carried(units, described, tuple(described for _ in units))
    if rest not in run.names or run.model.sizes["hidden"] != 1:
        return None
    equation = run.names[rest]
    # An entry is judged from the student's other entries and other vectors, never from
    # its own value in this answer.
    entries, entry_given = [], []
    for t in range(1, len(run.inputs) + 1):
        context = {k: v for k, v in given.items() if k != (t, equation)}
        used = _used(run, equation, t, context)
        entries.append(tuple(student.value(mode, t, equation)[0] for mode in MODES))
        entry_given.append(tuple(_describe(run, used, context)))
    if not any(entry_given):
        return None
    return Carried(tuple(entries), (), tuple(entry_given))


def _describe(run: _Run, used: list[tuple[str, int]], given: Mapping) -> list:
    shown = {new: name for name, new in run.names.items()}
    return [(shown.get(name, name), t, given[(t, name)][1]) for name, t in sorted(
        used, key=lambda item: (item[1], item[0]))]


def could_follow(question: Mapping[str, Any], answer: str, carried: Carried) -> bool:
    """A cheap first look: does some number in `answer` lie near a carried value? Only
    then is the answer checked again in full (most wrong answers follow from nothing).

    >>> could_follow({"kind": "number"}, "8", Carried((CTX.mpf(8), CTX.mpf("7.9997")), ()))
    True
    """
    entries = [entry for entry, _ in split_vector(answer)] if carried.entry_given else [answer]
    values = [_read_number(entry) for entry in entries]
    targets = carried.targets if carried.entry_given else (carried.targets,)
    tolerance = question.get("tolerance") or {}
    slack = max(float(tolerance.get("abs") or 0), 1e-9)
    relative = max(float(tolerance.get("rel") or 0), 1e-9)
    if tolerance.get("sigfigs"):
        relative = max(relative, 10.0 ** (1 - int(tolerance["sigfigs"])))
    for read, options in zip(values, targets):
        if read is None:
            continue
        value = read[0]
        if any(abs(value - t) <= slack + relative * abs(t) for t in options):
            return True
    return False


_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def given_text(given: tuple[tuple[str, int, str], ...], lang: str = "en") -> str:
    """The student's values a carried answer follows from, as the feedback names them.

    >>> given_text((("c", 2, "8"), ("z_i", 3, "90")))
    'c₂ = 8 and z_i,₃ = 90'
    """
    parts = [f"{name}{',' if '_' in name else ''}{str(t).translate(_SUBSCRIPT)} = {value}"
             for name, t, value in given]
    if len(parts) <= 1:
        return "".join(parts)
    if lang == "zh":
        return "、".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
