"""`count_params(...)`: a network's parameter count, shown as a table in Jupyter."""

from __future__ import annotations

import dataclasses
import html
from typing import Any

import sympy as sp

from lstm_sym.api.tables import html_table, markdown_table, paragraphs_html
from lstm_sym.model.params import NetworkSpec, ParamReport, comparisons, format_params_text
from lstm_sym.model.params import count_params as _count_report


class ParamCount(ParamReport):
    """A :class:`~lstm_sym.model.params.ParamReport` that prints briefly and displays as
    a table: the closed form, the total and every tensor, with the lecture's comparisons.

    >>> count_params("lecture", input=3, hidden=1)
    <parameters of memory cell (lecture): 16 at n=3, m=1; 4*m*n + 4*m>
    """

    @property
    def notes(self) -> list[str]:
        """The comparisons `lstm-sym params` prints as notes."""
        return [c.sentence for c in comparisons(self.spec)]

    def _sizes_text(self) -> str:
        return ", ".join(f"{s}={v}" for s, v in self.sizes.items())

    def __repr__(self) -> str:
        title = self.spec.cell().title
        if self.total is None:
            return f"<parameters of {title}: {self.formula}>"
        return f"<parameters of {title}: {self.total} at {self._sizes_text()}; {self.formula}>"

    def __str__(self) -> str:
        return format_params_text(self)

    def _header(self) -> str:
        return format_params_text(dataclasses.replace(self, total=None, tensors=[])).split("\n")[0]

    def _tensor_rows(self) -> list[list[str]]:
        return [[t["name"], "×".join(map(str, t["shape"])), str(t["count"])] for t in self.tensors]

    def _repr_html_(self) -> str:
        parts = [f"<p><b>{html.escape(self._header())}</b></p>",
                 f"<p>parameters: <code>{html.escape(str(self.formula))}</code> = "
                 f"<code>{html.escape(str(sp.factor(self.formula)))}</code></p>"]
        if self.total is not None:
            parts.append(html_table(["tensor", "shape", "count"], self._tensor_rows()
                                    + [["total", "", str(self.total)]],
                                    caption=f"at {self._sizes_text()}: {self.total}"))
        parts.append(paragraphs_html([f"note: {n}" for n in self.notes]))
        return "\n".join(parts)

    def _repr_markdown_(self) -> str:
        parts = [f"**{self._header()}**",
                 f"parameters: ${sp.latex(self.formula)} = {sp.latex(sp.factor(self.formula))}$"]
        if self.total is not None:
            parts.append(f"at {self._sizes_text()}: **{self.total}**")
            parts.append(markdown_table(["tensor", "shape", "count"], self._tensor_rows()))
        parts += [f"note: {n}" for n in self.notes]
        return "\n\n".join(parts)


_ALIASES = {"input": "input_size", "proj": "proj_size", "hidden_size": "hidden"}


def count_params(spec: NetworkSpec | str = "lecture", *, input_size: int | None = None,
                 hidden: int | None = None, proj_size: int | None = None,
                 **options: Any) -> ParamCount:
    """Count a network's parameters, as `lstm-sym params` does.

    `spec` is a :class:`~lstm_sym.model.params.NetworkSpec` or a cell name with the
    command's options (``peephole``, ``bias``, ``convention``, ``gru_form``, ``g``,
    ``h``, ``layers``, ``bidirectional``); sizes are ``input_size`` (or ``input``),
    ``hidden`` and ``proj_size`` (or ``proj``). Without sizes: the closed form only.

    >>> count_params(NetworkSpec("lstm", convention="pytorch"), input_size=64, hidden=128).total
    99328
    >>> count_params("lstm", convention="pytorch", input=64, hidden=128, layers=2).total
    231424
    >>> count_params("gru").formula
    3*m**2 + 3*m*n + 3*m
    """
    for alias, name in _ALIASES.items():
        if alias in options:
            value = options.pop(alias)
            if name == "input_size":
                input_size = value if input_size is None else input_size
            elif name == "proj_size":
                proj_size = value if proj_size is None else proj_size
            else:
                hidden = value if hidden is None else hidden
    if isinstance(spec, str):
        from lstm_sym.api.arguments import namespace
        from lstm_sym.cli.common import spec_from_args

        args = namespace("params", {"cell": spec, "input": input_size, "hidden": hidden,
                                    "proj": proj_size, **options})
        spec = spec_from_args(args)
    elif options:
        raise TypeError(f"count_params: options {sorted(options)} go into the NetworkSpec")
    report = _count_report(spec, input_size=input_size, hidden=hidden, proj_size=proj_size)
    return ParamCount(**{f.name: getattr(report, f.name) for f in dataclasses.fields(report)})
