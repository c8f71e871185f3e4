"""Gate design: which weights and biases make a gate normally closed or open, and what opens it.

The lecture's choice: bias −10 keeps the input and output gates closed at rest,
+10 keeps the forget gate open, and a weight of 100 lets an input of ±1 override
the bias. Answers come from evaluating candidate gates on the inputs −1, 0, 1.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from lstm_sym.exercises.alternatives import FEEDBACK, altered_weights
from lstm_sym.exercises.cellmath import (
    GATE_OF,
    affine_tex,
    reached,
    weight_of,
    weights_from_key,
    weights_key,
)
from lstm_sym.exercises.formatting import distinct_misconceptions, key_number, key_vector, tex_number, tex_vector
from lstm_sym.exercises.model import EXACT, IDEAL, RELATIVE, Exercise, Misconception, Question, Step, T, Text
from lstm_sym.exercises.variant import SATURATION, Variant, batch_rows, make_model, step_rows
from lstm_sym.model.cells import Cell
from lstm_sym.model.notation import sigma
from lstm_sym.numeric.backends import get_backend
from lstm_sym.numeric.examples import LECTURE_PARAMS

FAMILY = "gates"
GATES = ("i", "f", "o")
LEVELS = (-1, 0, 1)
# Marks: reading the rest state or the opener is 1; choosing a bias means checking three
# inputs, and solving for the half-open point is a small derivation (2).
POINTS = {"rest": 1, "i_bias": 2, "f_bias": 2, "opener": 1, "half_open": 2, "leak": 1}
# What each gate of the lecture's design does for its input at -1, 0, 1 (1 open, 0 closed).
WANTED = {"i": (0, 0, 1), "f": (0, 1, 1), "o": (0, 0, 1)}


def _rest_rows(weights: dict, cell: dict, exact: bool = True) -> tuple[dict, dict | None]:
    """The step at rest (every input 0), ideal and (if asked) exact."""
    model = make_model(cell, weights, "gates")
    zeros = [(0,) * len(weights["W_z"][0])]
    return (step_rows(model, zeros, "ideal")[0],
            step_rows(model, zeros, "exact")[0] if exact else None)


# --- what a question reads of the weights: the cache key, so a class shares the work -----

def _at_rest(weights: dict[str, Any], cell: Cell) -> tuple:
    """At rest (every input 0, the memory 0) every weight matrix multiplies 0: the gates'
    biases are all that reaches the gates, so the gates at rest are those of these alone."""
    biases = frozenset().union(*(reached(cell, g) for g in GATES))
    return weights_key(weights, cell, lambda prm: "bias" in prm.role and prm.name in biases)


def _reaching(weights: dict[str, Any], cell: Cell, quantity: str) -> tuple:
    """Only the parameters `quantity`'s equations read (through the quantities they read);
    the others, zeroed, cannot change it."""
    read = reached(cell, quantity)
    return weights_key(weights, cell, lambda prm: prm.name in read)


def _rest(v: Variant) -> Question:
    return _rest_question(tuple(sorted(v.cell.items())), _at_rest(v.weights, v.model.cell))


@lru_cache(maxsize=1024)
def _rest_question(cell_options: tuple, frozen: tuple) -> Question:
    cell, weights = dict(cell_options), weights_from_key(frozen)
    ideal, exact = _rest_rows(weights, cell)
    answer = key_vector(ideal[g] for g in GATES)
    exact_key = key_vector(exact[g] for g in GATES)
    wrong = {name: _rest_rows(altered_weights(name, weights), cell, exact=False)[0]
             for name in ("gate_inverted", "bias_ignored")}
    candidates = [Misconception(name, key_vector(wrong[name][g] for g in GATES),
                                FEEDBACK[name]) for name in ("gate_inverted", "bias_ignored")]
    # One sentence for the idea, the three gates in one display.
    def row(names) -> str:
        return "(" + ", ".join(names) + ")"

    steps = (Step(T("ex.gates.sol.rest"),
                  rf"{row(GATE_OF[g] for g in GATES)} = {row(f'b_{g}' for g in GATES)} = "
                  rf"{tex_vector(ideal[GATE_OF[g]] for g in GATES)} \Rightarrow "
                  rf"{row(GATES)} \approx {tex_vector(ideal[g] for g in GATES)}",
                  f"${tex_vector(ideal[g] for g in GATES)}$"),)
    return Question(f"{FAMILY}.rest", FAMILY, "vector", T("ex.gates.q.rest"), answer, IDEAL,
                    points=POINTS["rest"],
                    display=tex_vector(ideal[g] for g in GATES), exact=exact_key,
                    exact_display=tex_vector(exact[g] for g in GATES), accept=(exact_key,),
                    solution=steps,
                    misconceptions=distinct_misconceptions("vector", (answer, exact_key), IDEAL,
                                                           candidates))


def gate_value(pre: Any, mode: str) -> mpmath.mpf:
    """A gate's value at pre-activation `pre`: the numeric backends' sigmoid ("exact") or
    the lecture's 0/1 step ("ideal", ½ at 0), so neither is written twice.

    >>> print(gate_value(0, "ideal"), gate_value(-20, "ideal"), gate_value(0, "exact"))
    0.5 0.0 0.5
    """
    with mpmath.workdps(50):
        cell = np.array([[mpmath.mpf(pre)]], dtype=object)
        return get_backend(mode).act["sigmoid"](cell)[0, 0]


def _states(weight: int, bias: int) -> tuple[tuple[Any, ...], bool]:
    """Ideal gate values (1 open, 0 closed, ½ half) at inputs -1, 0, 1, and saturation."""
    pres = [weight * x + bias for x in LEVELS]
    return tuple(gate_value(p, "ideal") for p in pres), all(abs(p) >= SATURATION for p in pres)


def _failure(gate: str, channel: int, weight: int, bias: int) -> Text:
    """The first input at which bias `bias` does not give the wanted gate, and why."""
    for level, want in zip(LEVELS, WANTED[gate]):
        pre = weight * level + bias
        value = gate_value(pre, "ideal")
        if value == want and abs(pre) >= SATURATION:
            continue
        case = ("half" if pre == 0 else "weak" if value == want
                else "open" if value == 1 else "closed")
        return T(f"ex.gates.sol.fails.{case}", b=bias, x=f"x_{channel + 1}", level=level,
                 pre_name=GATE_OF[gate], pre=pre, sigma=tex_number(gate_value(pre, "exact")),
                 bound=SATURATION)
    raise ValueError(f"bias {bias} gives the wanted gate {gate}")


def _bias_choice(v: Variant, gate: str) -> Question:
    return _bias_question(gate, *weight_of(v.weights, GATE_OF[gate]))


@lru_cache(maxsize=1024, typed=True)
def _bias_question(gate: str, channel: int, weight: int, bias: int) -> Question:
    candidates = sorted({-abs(bias), 0, abs(bias)})
    good = [b for b in candidates if _states(weight, b) == (WANTED[gate], True)]
    assert good == [bias], (gate, weight, bias, good)  # the variant's own bias is the design
    x = f"x_{channel + 1}"
    steps = []
    for b in candidates:
        states, saturated = _states(weight, b)
        pres = ", ".join(tex_number(weight * level + b) for level in LEVELS)
        ok = (states, saturated) == (WANTED[gate], True)
        steps.append(Step(T("ex.gates.sol.candidate_ok", b=b) if ok
                          else _failure(gate, channel, weight, b),
                          rf"b_{gate} = {b}:\ {GATE_OF[gate]}\big|_{{{x} = -1, 0, 1}} = "
                          rf"({pres})", f"$({pres})$"))
    mcs = [Misconception("gate_inverted" if b == -bias else "bias_ignored", str(b),
                         FEEDBACK["gate_inverted" if b == -bias else "bias_ignored"])
           for b in candidates if b != bias]
    return Question(f"{FAMILY}.{gate}_bias", FAMILY, "choice",
                    T(f"ex.gates.q.{gate}_bias", x=x, weight=weight, bound=SATURATION),
                    str(bias), choices=tuple(str(b) for b in candidates), solution=tuple(steps),
                    points=POINTS[f"{gate}_bias"],
                    misconceptions=distinct_misconceptions("choice", (str(bias),), EXACT, mcs))


def _opener(v: Variant) -> Question:
    return _opener_question(tuple(sorted(v.cell.items())), _reaching(v.weights, v.model.cell, "o"),
                            v.roles.write, v.roles.data)


@lru_cache(maxsize=1024)
def _opens(cell_options: tuple, frozen: tuple) -> tuple[int, int, str]:
    """(inputs, the one input that opens the read gate alone, z_o in LaTeX)."""
    weights = weights_from_key(frozen)
    n_inputs = len(weights["W_z"][0])
    model = make_model(dict(cell_options), weights, "gates")
    unit = [[tuple(1 if k == j else 0 for k in range(n_inputs))] for j in range(n_inputs)]
    opens = [j for j, rows in enumerate(batch_rows(model, unit, "ideal")) if rows[0]["o"] == 1]
    assert len(opens) == 1, opens
    return n_inputs, opens[0], affine_tex(weights, "z_o")


@lru_cache(maxsize=1024)
def _opener_question(cell_options: tuple, frozen: tuple, write: int, data: int) -> Question:
    n_inputs, opener, z_o = _opens(cell_options, frozen)
    opens = [opener]
    names = tuple(f"x{j + 1}" for j in range(n_inputs))
    answer = names[opens[0]]
    mcs = [Misconception("write_input", names[write], T("ex.mc.gates.write_input")),
           Misconception("data_input", names[data], T("ex.mc.gates.data_input"))]
    steps = (Step(T("ex.gates.sol.opener", x=f"x_{opens[0] + 1}"),
                  rf"z_o = {z_o}", f"$x_{opens[0] + 1}$"),)
    return Question(f"{FAMILY}.opener", FAMILY, "choice", T("ex.gates.q.opener"), answer,
                    choices=names, solution=steps, points=POINTS["opener"],
                    display=f"x_{{{opens[0] + 1}}}",
                    misconceptions=distinct_misconceptions("choice", (answer,), EXACT, mcs))


def _half_open(v: Variant) -> Question:
    return _half_open_question(*weight_of(v.weights, "z_i"))


@lru_cache(maxsize=1024, typed=True)
def _roots(weight: int, bias: int) -> tuple[sp.Rational, sp.Rational]:
    """Where the gate is half open, and where it would be with the bias's sign flipped."""
    x = sp.Symbol("x")  # solve(expr) solves expr = 0 (an Eq costs SymPy's relational checks)
    (root,) = sp.solve(weight * x + bias, x)
    (wrong,) = sp.solve(weight * x - bias, x)  # the bias moved with the wrong sign
    return root, wrong


@lru_cache(maxsize=1024, typed=True)
def _half_open_question(channel: int, weight: int, bias: int) -> Question:
    root, wrong = _roots(weight, bias)
    answer = key_number(Fraction(int(root.p), int(root.q)))
    steps = (Step(T("ex.gates.sol.half_open"),
                  rf"\sigma(z_i) = \tfrac{{1}}{{2}} \iff {weight}\,x_{{{channel + 1}}} "
                  rf"{'+' if bias >= 0 else '-'} {abs(bias)} = 0 \iff x_{{{channel + 1}}} = "
                  rf"{sp.latex(root)}", f"${sp.latex(root)}$"),)
    mcs = [Misconception("sign", key_number(Fraction(int(wrong.p), int(wrong.q))),
                         T("ex.mc.gates.sign"))]
    return Question(f"{FAMILY}.half_open", FAMILY, "number",
                    T("ex.gates.q.half_open", x=f"x_{channel + 1}"), answer, RELATIVE,
                    display=sp.latex(root), solution=steps, points=POINTS["half_open"],
                    misconceptions=distinct_misconceptions("number", (answer,), RELATIVE, mcs))


def _leak(v: Variant) -> Question:
    """How much a closed gate lets through: σ(bias) of the input gate at rest. (The lecture's
    open-gate gap 1 − σ(90) = 8.2·10⁻⁴⁰ is shown in the trace solutions; it is too small to
    grade, since the checker counts differences below 10⁻³⁰ as rounding noise.)"""
    channel, _, bias = weight_of(v.weights, "z_i")
    return _leak_question(channel, bias)


@lru_cache(maxsize=1024, typed=True)
def _leak_question(channel: int, bias: int) -> Question:
    # σ at a closed gate's bias: one of a few values a whole class shares
    leak = gate_value(bias, "exact")
    answer = key_number(leak, 6)
    steps = (Step(T("ex.gates.sol.leak", pre=bias),
                  rf"\sigma({bias}) = {sp.latex(sigma(sp.Integer(bias)).rewrite(sp.exp))} = "
                  rf"{tex_number(leak, sigfigs=3)}", f"${tex_number(leak, sigfigs=3)}$"),)
    mcs = [Misconception("gate_as_01", "0", FEEDBACK["gate_as_01"])]
    return Question(f"{FAMILY}.leak", FAMILY, "number",
                    T("ex.gates.q.leak", x=f"x_{channel + 1}", pre=bias), answer, RELATIVE,
                    display=tex_number(leak, sigfigs=3), solution=steps, points=POINTS["leak"],
                    misconceptions=distinct_misconceptions("number", (answer,), RELATIVE, mcs))


def generate(v: Variant) -> Exercise:
    """The gate-design exercise.

    >>> from lstm_sym.exercises.variant import lecture_variant
    >>> [q.answer for q in generate(lecture_variant()).questions]
    ['[0, 1, 0]', '-10', '10', 'x3', '0.1', '4.53979e-5']
    """
    questions = (_rest(v), _bias_choice(v, "i"), _bias_choice(v, "f"), _opener(v),
                 _half_open(v), _leak(v))
    _, weight, bias = weight_of(LECTURE_PARAMS, "z_i")
    return Exercise(FAMILY, T("ex.gates.title"),
                    T("ex.gates.intro", bias=abs(bias), weight=weight), questions)
