"""Memory puzzle: from the cell's three rules, predict memory and output over a sequence.

The lecture's rules: x2 = 1 writes x1, x2 = −1 resets, x3 = 1 reads. A variant states
its own rules (another input may write, z may be 2·x1 + 1); the answers come from
running the cell in ideal mode, the exact values beside them.
"""

from __future__ import annotations

from typing import Any

from lstm_sym.exercises.alternatives import FEEDBACK, alternative_rows
from lstm_sym.exercises.cellmath import affine_tex
from lstm_sym.exercises.formatting import distinct_misconceptions, key_vector, tex_factor, tex_number, tex_vector
from lstm_sym.exercises.model import IDEAL, Exercise, Misconception, Question, Step, T, Table, TableCell, Text
from lstm_sym.exercises.variant import Variant

FAMILY = "memory"


def _action(row: dict[str, Any]) -> tuple[str, str]:
    """What the step does to the memory, and the arithmetic that shows it."""
    z, c_prev, c = tex_factor(row["z"]), tex_number(row["c_prev"]), tex_number(row["c"])
    if row["i"] == 1 and row["f"] == 1:
        return "write", f"c' = {c_prev} + {z} = {c}"
    if row["i"] == 1:
        return "replace", f"c' = {c}"
    if row["f"] == 1:
        return "keep", f"c' = {c}"
    return "reset", f"c' = {c}"


def _step(t: int, x, row: dict[str, Any]) -> Step:
    action, math = _action(row)
    read = "open" if row["o"] == 1 else "closed"
    text = T("ex.memory.sol.step", t=t, x=tex_vector(x),
             action=T(f"ex.memory.action.{action}", z=tex_number(row["z"])),
             read=T(f"ex.memory.read.{read}"))
    y = tex_number(row["y"])
    return Step(text, rf"{math}, \quad y = {y}", rf"$c' = {tex_number(row['c'])},\ y = {y}$")


def _question(v: Variant, name: str, prompt: Text, alternatives: tuple[str, ...]) -> Question:
    ideal, exact = v.memory_trace("ideal"), v.memory_trace("exact")
    answer = key_vector(r[name] for r in ideal)
    exact_key = key_vector(r[name] for r in exact)
    candidates = [Misconception(alt, key_vector(r[name] for r in alternative_rows(v, alt, True)),
                                FEEDBACK[alt]) for alt in alternatives]
    before = "c_prev" if name == "c" else None
    if before:  # the memory before each step instead of after it
        candidates.append(Misconception("previous_step", key_vector(r[before] for r in ideal),
                                        FEEDBACK["previous_step"]))
    steps = tuple(_step(t, x, row) for t, (x, row) in enumerate(zip(v.memory_inputs, ideal), 1))
    return Question(f"{FAMILY}.{name}", FAMILY, "vector", prompt, answer, IDEAL,
                    display=tex_vector(r[name] for r in ideal), exact=exact_key,
                    exact_display=tex_vector(r[name] for r in exact), accept=(exact_key,),
                    solution=steps,
                    misconceptions=distinct_misconceptions("vector", (answer, exact_key), IDEAL,
                                                           candidates))


def rules(v: Variant) -> Text:
    """The cell's rules in words, read off its weights."""
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
                  ("forget_ignored", "no_reset", "input_ignored")),
        _question(v, "y", T("ex.memory.q.y", steps=steps),
                  ("output_always_open", "forget_ignored", "no_reset", "input_ignored")),
    )
    header = ("t", *(f"x_{k}" for k in range(1, len(v.memory_inputs[0]) + 1)), "c", "y")
    rows = tuple(
        (TableCell(str(t)), *(TableCell(f"${tex_number(value)}$") for value in x),
         TableCell(f"${tex_number(row['c'])}$", question=f"{FAMILY}.c"),
         TableCell(f"${tex_number(row['y'])}$", question=f"{FAMILY}.y"))
        for t, (x, row) in enumerate(zip(v.memory_inputs, v.memory_trace("ideal")), 1))
    return Exercise(FAMILY, T("ex.memory.title"), T("ex.memory.intro", rules=rules(v)),
                    questions, table=Table(header, rows, T("ex.memory.table_caption")))
