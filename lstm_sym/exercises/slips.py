"""Where the lecture notes slip: one short note for the solutions, every claim computed.

The notes (shared/seed) are the source of our numbers, but five of their sentences
disagree with their own example or with the cell; the solutions name each once:

* "x₁ is written into the memory" (x2 = 1), where their example adds it (3 + 4 = 7);
* the memory example's 6 is output at step 9, not at the eighth input;
* the input gate opens for any x₂ above −b_i/w_i (0.1), not only for "x₂ greater than 1";
* the sigmoid is written f(·) (c′ = g(z)f(z_i) + c f(z_f));
* a GRU has "1/3 fewer" parameters: it has 1/4 fewer (an LSTM has 1/3 more).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache

import sympy as sp

from lstm_sym.exercises.cellmath import weight_of
from lstm_sym.exercises.formatting import tex_number
from lstm_sym.exercises.memory import action
from lstm_sym.exercises.model import T, Text
from lstm_sym.exercises.variant import Variant, lecture_variant
from lstm_sym.model.params import NetworkSpec, comparisons


def _memory_slips(v: Variant) -> list[Text]:
    rows = v.memory_trace("ideal")
    writes = [t for t, row in enumerate(rows, 1) if action(row) == "write"]
    # The notes' own example of "writing": a write onto a memory that already holds a value.
    t_add = next(t for t in writes if rows[t - 1]["c_prev"] != 0)
    row = rows[t_add - 1]
    write = f"x_{v.roles.write + 1}"
    out = [T("ex.slips.adds", write=write, data=f"x_{v.roles.data + 1}", t=t_add,
             sum=f"{tex_number(row['c_prev'])} + {tex_number(row['z'])} = "
                 f"{tex_number(row['c'])}")]
    # The last value written, and the step whose output first shows it.
    t_last = writes[-1]
    value = rows[t_last - 1]["c"]
    t_read = next(t for t in range(t_last, len(rows) + 1) if rows[t - 1]["y"] == value)
    out.append(T("ex.slips.output_step", value=tex_number(value), written=t_last, read=t_read,
                 x=f"x_{v.roles.read + 1}"))
    return out


def _gate_slip(v: Variant) -> Text:
    channel, weight, bias = weight_of(v.weights, "z_i")
    return T("ex.slips.threshold", x=f"x_{channel + 1}", pre=f"{weight} x_{channel + 1} "
             f"{'+' if bias >= 0 else '-'} {abs(bias)}",
             threshold=tex_number(Fraction(-bias, weight)))


def _gru_slip() -> Text:
    r = next(c.ratio for c in comparisons(NetworkSpec("gru")) if c.other == "lstm")
    return T("ex.slips.gru", fewer=sp.latex(1 - r), more=sp.latex(1 / r - 1))


@cache  # the lecture's own numbers: the same note on every sheet (Texts are frozen)
def lecture_slips() -> tuple[Text, ...]:
    """The note, computed from the lecture's own cell and sequences.

    >>> from lstm_sym.i18n import msg
    >>> notes = [n.render("en") for n in lecture_slips()]
    >>> len(notes), "3 + 4 = 7" in notes[1], "step 9" in notes[2]
    (6, True, True)
    """
    v = lecture_variant()
    return (T("ex.slips.title"), *_memory_slips(v), _gate_slip(v), T("ex.slips.sigmoid"),
            _gru_slip())
