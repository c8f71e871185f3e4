"""The lecture's built-in examples, as data.

Both use the lecture's one memory cell reading a 3-d input, with g and h the
identity and the weights the lecture chooses: the cell input copies x1; x2 drives
the input gate (×100, bias −10: normally closed) and the forget gate (×100, bias
+10: normally open, closed by x2 = −1); x3 drives the output gate (×100, bias −10).
"""

from __future__ import annotations

from dataclasses import dataclass

from lstm_sym.errors import UserError
from lstm_sym.numeric.weights import Model, model_from_params

LECTURE_CELL = {"cell": "lecture", "g": "identity", "h": "identity"}
LECTURE_PARAMS = {
    "W_z": [[1, 0, 0]], "b_z": [0],
    "W_i": [[0, 100, 0]], "b_i": [-10],
    "W_f": [[0, 100, 0]], "b_f": [10],
    "W_o": [[0, 0, 100]], "b_o": [-10],
}


@dataclass(frozen=True)
class Example:
    """A named example: a model and one input sequence (time steps of numbers)."""

    name: str
    title: str
    model: Model
    inputs: list[list[float]]


def _columns(x1, x2, x3):
    return [list(step) for step in zip(x1, x2, x3)]


def _lecture_model() -> Model:
    return model_from_params(LECTURE_CELL, [LECTURE_PARAMS], "example")


EXAMPLES = {
    "lecture-memory": ("Memory puzzle: x2 = 1 adds x1 to the memory, x2 = −1 resets, x3 = 1 reads",
                       _columns([1, 3, 2, 4, 2, 1, 3, 6, 1],
                                [0, 1, 0, 1, 0, 0, -1, 1, 0],
                                [0, 0, 0, 0, 0, 1, 0, 0, 1])),
    "lecture-worked": ("The lecture's worked example: five inputs through one memory cell",
                       [[3, 1, 0], [4, 1, 0], [2, 0, 0], [1, 0, 1], [3, -1, 0]]),
}


def example(name: str) -> Example:
    """A built-in example by name.

    >>> example("lecture-worked").inputs[0]
    [3, 1, 0]
    """
    if name not in EXAMPLES:
        raise UserError(f"--example: unknown example {name!r} (choose {', '.join(EXAMPLES)})")
    title, inputs = EXAMPLES[name]
    return Example(name, title, _lecture_model(), inputs)
