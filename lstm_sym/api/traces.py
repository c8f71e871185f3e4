"""`trace(...)` and `grad(...)`: step-by-step values and gradients through time, shown
as tables in Jupyter. The arguments are `lstm-sym trace` and `lstm-sym grad`'s options;
weights, inputs, h0, c0 and upstream are file paths or the data itself."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lstm_sym.api.tables import html_table, markdown_table, name_html, paragraphs_html
from lstm_sym.numeric.gradient_report import format_gradients
from lstm_sym.numeric.trace_report import TraceReport, format_trace, number_text

_DATA_OPTIONS = ("weights", "inputs", "h0", "c0", "upstream")


def _run_args(command: str, options: dict[str, Any], folder) -> Any:
    """The command's namespace, with in-memory data written to files in `folder`."""
    from lstm_sym.api.arguments import as_file, namespace

    for name in _DATA_OPTIONS:
        if name in options:
            options[name] = as_file(options[name], folder, f"{name}.json")
    return namespace(command, options)


@dataclass
class Trace(TraceReport):
    """A :class:`~lstm_sym.numeric.trace_report.TraceReport` that prints briefly and
    displays as the table `lstm-sym trace` prints."""

    digits: int = 10

    def table(self, fmt: str = "table") -> str:
        """The trace as `lstm-sym trace --format FMT` prints it (table, json, csv, markdown)."""
        return format_trace(self, fmt, digits=self.digits)

    def as_dict(self) -> dict[str, Any]:
        """The JSON `lstm-sym trace --format json` prints, as Python data."""
        return json.loads(self.table("json"))

    def _title(self) -> str:
        return f"{self.cell} trace ({self.mode} gates)"

    def __repr__(self) -> str:
        steps = sum(len(s) for s in self.sequences)
        batch = f" in {len(self.sequences)} sequences" if len(self.sequences) > 1 else ""
        notes = f", {len(self.warnings)} notes" if self.warnings else ""
        return f"<{self._title()}: {steps} steps{batch} of {', '.join(self.columns[1:])}{notes}>"

    def __str__(self) -> str:
        return self.table()

    def _notes(self) -> list[str]:
        text = self.table()
        return text.split("\n\n", 1)[1].split("\n") if "\n\n" in text else []

    def _rows(self) -> list[list[str]]:
        def cell(values: list) -> str:
            parts = [number_text(v, self.mode, self.digits) for v in values]
            return parts[0] if len(parts) == 1 else "[" + ", ".join(parts) + "]"

        return [[str(r["t"])] + [cell(r[k]) for k in self.columns[1:]]
                for seq in self.sequences for r in seq]

    def _repr_html_(self) -> str:
        header = [name_html(c) for c in self.columns]
        return (html_table(header, self._rows(), caption=self._title(), header_html=True)
                + paragraphs_html(self._notes()))

    def _repr_markdown_(self) -> str:
        return "\n\n".join([f"**{self._title()}**", self.table("markdown")])


def trace(example: str | None = None, *, cell: str | None = None, weights: Any = None,
          inputs: Any = None, h0: Any = None, c0: Any = None, gates: str | None = None,
          tol: float = 1e-3, digits: int = 10, dtype: str | None = None) -> Trace:
    """Evaluate a cell step by step, as `lstm-sym trace` does.

    Give a built-in `example` (``lecture-worked``, ``lecture-memory``), or `weights`
    (our weights JSON or a PyTorch ``state_dict``) and `inputs` (time steps of
    numbers, or a batch): each a file path or the data itself. `gates` is ``exact``
    (mpmath, the default), ``ideal`` (0/1 gates, as the lecture reasons) or ``float``;
    `dtype` ``float32`` (or ``float64``) asks for a float trace in that precision.

    >>> t = trace(example="lecture-worked", gates="ideal")
    >>> [int(row["c"][0]) for row in t.sequences[0]]
    [3, 7, 7, 7, 0]
    >>> trace(weights={"cell": {"cell": "rnn"}, "params": {"W": [[1]], "U": [[0]], "b": [0]}},
    ...       inputs=[[0.5]], gates="float").table().splitlines()[-1]
    '1  0.5  0.5  0.4621171573  0.4621171573'
    >>> trace(example="lecture-worked", dtype="float32").table().splitlines()[0]
    'lecture trace (float gates, float32)'
    """
    from lstm_sym.api.arguments import scratch_folder
    from lstm_sym.cli.trace import gates_and_dtype
    from lstm_sym.errors import UserError
    from lstm_sym.numeric.trace_report import load_run_inputs, trace_report

    if digits < 1 or digits > 100:
        raise UserError(f"digits: expected 1 to 100, got {digits}")
    with scratch_folder() as folder:
        args = _run_args("trace", {"example": example, "cell": cell, "weights": weights,
                                   "inputs": inputs, "h0": h0, "c0": c0, "gates": gates,
                                   "tol": tol, "dtype": dtype}, _path(folder))
        mode, dtype = gates_and_dtype(args)
        report = trace_report(load_run_inputs(args), mode=mode, tol=args.tol, dtype=dtype)
    return Trace(**vars(report), digits=digits)


def _path(folder: str) -> Path:
    return Path(folder)


class Gradients(dict):
    """dL/d(every parameter, input and initial state), as `lstm-sym grad` gives them:
    the JSON's fields as keys (``loss``, ``mode``, ``gradients``) and attributes."""

    @property
    def loss(self) -> Any:
        return self["loss"]

    @property
    def mode(self) -> str:
        return self["mode"]

    @property
    def gradients(self) -> dict[str, Any]:
        return self["gradients"]

    def __repr__(self) -> str:
        return f"<gradients: {self._title()}; dL/d of {', '.join(self.gradients)}>"

    def __str__(self) -> str:
        return format_gradients(dict(self), "text")

    def _title(self) -> str:
        return str(self).split("\n", 1)[0]

    def _rows(self) -> list[list[str]]:
        lines = str(self).split("\n")[1:]
        return [[name, line.split(None, 1)[1]] for name, line in zip(self.gradients, lines)]

    def _repr_html_(self) -> str:
        return html_table(["dL/d", "value"], self._rows(), caption=self._title(), align="left")

    def _repr_markdown_(self) -> str:
        return f"**{self._title()}**\n\n" + markdown_table(["dL/d", "value"], self._rows())


class GradientProgram(str):
    """The symbolic gradient program `lstm-sym grad --symbolic` prints."""

    def __repr__(self) -> str:
        return f"<gradient program: {self.split(chr(10), 1)[0]}>"

    def _repr_markdown_(self) -> str:
        return "```text\n" + self + "\n```"

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(str(self))}</pre>"


def grad(example: str | None = None, *, cell: str | None = None, weights: Any = None,
         inputs: Any = None, h0: Any = None, c0: Any = None, upstream: Any = None,
         gates: str = "exact", symbolic: bool = False,
         steps: int | None = None) -> Gradients | GradientProgram:
    """Gradients through time of L = Σ_t Σ_k G_t[k]·y_t[k], as `lstm-sym grad` gives them.

    The sources are :func:`trace`'s; `upstream` is G (default ones). With
    ``symbolic=True``: the reverse-mode program of a one-unit cell over `steps` steps.

    >>> grad(example="lecture-worked", gates="ideal").gradients["W_z"]
    [[7, 2, 0]]
    >>> grad(cell="lstm", symbolic=True, steps=2).splitlines()[0]
    'LSTM, one unit, T = 2: L = Σ_t y_t'
    """
    import contextlib
    import io

    from lstm_sym.api.arguments import scratch_folder
    from lstm_sym.cli import grad as grad_command

    with scratch_folder() as folder:
        args = _run_args("grad", {"example": example, "cell": cell, "weights": weights,
                                  "inputs": inputs, "h0": h0, "c0": c0, "upstream": upstream,
                                  "gates": gates, "symbolic": symbolic, "steps": steps,
                                  "format": "text" if symbolic else "json"}, _path(folder))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):  # the command's own checks and reading
            grad_command.run(args)
    text = out.getvalue().rstrip("\n")
    return GradientProgram(text) if symbolic else Gradients(json.loads(text))
