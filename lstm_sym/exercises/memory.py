"""Memory puzzle: from the cell's three rules, predict memory and output over a sequence.

The lecture's rules: x2 = 1 adds x1 to the memory (its example: 3 + 4 = 7), x2 = −1
resets it, x3 = 1 reads it out. A variant states its own rules (another input may
write, z may be 2·x1 + 1); the answers come from running the cell in ideal mode, the
exact values beside them. The solution explains each rule once, naming the steps it
applies to, rather than walking through every step twice.
"""

from __future__ import annotations

from typing import Any

import mpmath

from lstm_sym.exercises.alternatives import FEEDBACK, alternative_rows
from lstm_sym.exercises.cellmath import affine_tex
from lstm_sym.exercises.formatting import distinct_misconceptions, key_vector, tex_number, tex_vector
from lstm_sym.exercises.model import IDEAL, Exercise, Misconception, Question, Step, T, Table, TableCell, Text
from lstm_sym.exercises.variant import Variant

FAMILY = "memory"
# Marks: each answer is a whole nine-step sequence, worked out by applying the rules.
POINTS = 3
# Sheet order of what a step does to the memory.
ACTIONS = ("write", "replace", "keep", "reset")


def action(row: dict[str, Any]) -> str:
    """What a step does to the memory, read off its ideal gates.

    >>> action({"i": 1, "f": 1}), action({"i": 0, "f": 0})
    ('write', 'reset')
    """
    if row["i"] == 1:
        return "write" if row["f"] == 1 else "replace"
    return "keep" if row["f"] == 1 else "reset"


def overwriting_rows(v: Variant) -> list[dict[str, Any]]:
    """The memory puzzle as a student computes it who reads "x₁ is written into the
    memory" literally: a write replaces the memory instead of adding to it.

    The cell's c′ = g(z)·σ(z_i) + c·σ(z_f) with the old memory's factor closed while the
    input gate is open, c·σ(z_f)·(1 − σ(z_i)), on the cell's own ideal gate values.

    >>> from lstm_sym.exercises.variant import lecture_variant
    >>> [int(r["c"]) for r in overwriting_rows(lecture_variant())]
    [0, 3, 3, 4, 4, 4, 0, 6, 6]
    """
    if v.cell.get("h", "identity") != "identity":
        raise ValueError("the overwrite alternative is for a cell with h(c) = c")
    c, out = mpmath.mpf(0), []
    for row in v.memory_trace("ideal"):
        c = row["z"] * row["i"] + c * row["f"] * (1 - row["i"])
        out.append({"c": c, "y": c * row["o"]})
    return out


def _memory_solution(v: Variant) -> tuple[Step, ...]:
    """One step per rule, with the arithmetic of every time step it applies to."""
    rows = v.memory_trace("ideal")
    by_action: dict[str, list[int]] = {}
    for t, row in enumerate(rows, 1):
        by_action.setdefault(action(row), []).append(t)
    steps = []
    for name in ACTIONS:
        ts = by_action.get(name)
        if not ts:
            continue
        if name == "write":
            math = r",\quad ".join(
                rf"c_{{{t}}} = {tex_number(rows[t - 1]['c_prev'])} + "
                rf"{tex_number(rows[t - 1]['z'])} = {tex_number(rows[t - 1]['c'])}" for t in ts)
        else:
            math = r",\quad ".join(rf"c_{{{t}}} = {tex_number(rows[t - 1]['c'])}" for t in ts)
        steps.append(Step(T(f"ex.memory.sol.{name}", steps=tuple(ts)), math))
    return tuple(steps)


def _output_solution(v: Variant) -> tuple[Step, ...]:
    rows = v.memory_trace("ideal")
    read = [t for t, row in enumerate(rows, 1) if row["o"] == 1]
    closed = [t for t, row in enumerate(rows, 1) if row["o"] != 1]
    steps = []
    if read:
        steps.append(Step(T("ex.memory.sol.read", steps=tuple(read)),
                          r",\quad ".join(rf"y_{{{t}}} = c_{{{t}}} = {tex_number(rows[t - 1]['y'])}"
                                          for t in read)))
    if closed:
        steps.append(Step(T("ex.memory.sol.closed", steps=tuple(closed))))
    return tuple(steps)


def _question(v: Variant, name: str, prompt: Text, alternatives: tuple[str, ...],
              solution: tuple[Step, ...]) -> Question:
    ideal, exact = v.memory_trace("ideal"), v.memory_trace("exact")
    answer = key_vector(r[name] for r in ideal)
    exact_key = key_vector(r[name] for r in exact)
    candidates = [Misconception(alt, key_vector(r[name] for r in alternative_rows(v, alt, True)),
                                FEEDBACK[alt]) for alt in alternatives]
    if v.cell.get("h", "identity") == "identity":
        candidates.insert(0, Misconception("overwrote", key_vector(
            r[name] for r in overwriting_rows(v)), T("ex.mc.memory.overwrote")))
    if name == "c":  # the memory before each step instead of after it
        candidates.append(Misconception("previous_step", key_vector(r["c_prev"] for r in ideal),
                                        FEEDBACK["previous_step"]))
    return Question(f"{FAMILY}.{name}", FAMILY, "vector", prompt, answer, IDEAL,
                    display=tex_vector(r[name] for r in ideal), exact=exact_key,
                    exact_display=tex_vector(r[name] for r in exact), accept=(exact_key,),
                    solution=solution, points=POINTS,
                    misconceptions=distinct_misconceptions("vector", (answer, exact_key), IDEAL,
                                                           candidates))


def rules(v: Variant) -> Text:
    """The cell's rules in words, read off its weights: writing ADDS z to the memory."""
    roles = v.roles
    return T("ex.memory.rules", write=f"x_{roles.write + 1}", read=f"x_{roles.read + 1}",
             z=affine_tex(v.weights, "z"))


def generate(v: Variant) -> Exercise:
    """The memory puzzle of a variant.

    >>> from lstm_sym.exercises.variant import lecture_variant
    >>> [q.answer for q in generate(lecture_variant()).questions]
    ['[0, 3, 3, 7, 7, 7, 0, 6, 6]', '[0, 0, 0, 0, 0, 7, 0, 0, 6]']
    """
    steps = len(v.memory_inputs)
    questions = (
        _question(v, "c", T("ex.memory.q.c", steps=steps),
                  ("forget_ignored", "no_reset", "input_ignored"), _memory_solution(v)),
        _question(v, "y", T("ex.memory.q.y", steps=steps),
                  ("output_always_open", "forget_ignored", "no_reset", "input_ignored"),
                  _output_solution(v)),
    )
    header = ("t", *(f"x_{k}" for k in range(1, len(v.memory_inputs[0]) + 1)), "c", "y")
    rows = tuple(
        (TableCell(str(t)), *(TableCell(f"${tex_number(value)}$") for value in x),
         TableCell(f"${tex_number(row['c'])}$", question=f"{FAMILY}.c"),
         TableCell(f"${tex_number(row['y'])}$", question=f"{FAMILY}.y"))
        for t, (x, row) in enumerate(zip(v.memory_inputs, v.memory_trace("ideal")), 1))
    return Exercise(FAMILY, T("ex.memory.title"), T("ex.memory.intro", rules=rules(v)),
                    questions, table=Table(header, rows, T("ex.memory.table_caption")))
