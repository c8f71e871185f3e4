"""The content model: language-neutral questions whose answers come from the cell model,
and the pieces a handout shows around them (steps, tables, the cell diagram, the plot).

A :class:`Question` holds everything a key, a checker and a handout need: the
answer (computed, never typed), the tolerance, the worked solution and the
misconceptions it recognises. Sentences are :class:`Text` — a message key and its
parameters — rendered in a language only when a key or a sheet is written, so one
exercise serves every language. :mod:`lstm_sym.handouts.content` renders these same
classes in one language (``in_lang``); the key vocabulary (kinds, tolerance,
misconception) is :mod:`lstm_sym.key`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from lstm_sym.exercises.formatting import plain
from lstm_sym.i18n import msg
from lstm_sym.key import DEFAULT_POINTS, KINDS, Misconception, Tolerance, render_text

__all__ = ["EXACT", "IDEAL", "KINDS", "RELATIVE", "CellDiagram", "Exercise", "Misconception",
           "Question", "Step", "T", "Table", "TableCell", "Text", "Tolerance", "TracePlot"]


@dataclass(frozen=True)
class Text:
    """A sentence by message key; parameters may themselves be Texts (e.g. "open").

    >>> Text("ex.test", (("x", 1),)).params_dict()
    {'x': 1}
    """

    key: str
    params: tuple[tuple[str, Any], ...] = ()

    def params_dict(self) -> dict[str, Any]:
        return dict(self.params)

    def render(self, lang: str) -> str:
        try:
            return _rendered(self, lang)
        except TypeError:  # a parameter that cannot be a cache key
            return self._render(lang)

    def _render(self, lang: str) -> str:
        return msg(lang, self.key, **{k: _render(v, lang) for k, v in self.params})


@lru_cache(maxsize=16384)
def _rendered(text: Text, lang: str) -> str:
    """A class's sheets say the same sentences thousands of times: rendered once each."""
    return text._render(lang)


def _render(value: Any, lang: str) -> Any:
    """Texts render in the language; tuples become lists ("1, 4" / "1、4")."""
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, tuple):
        return msg(lang, "ex.list_sep").join(str(_render(v, lang)) for v in value)
    return value


def T(key: str, **params: Any) -> Text:
    """Shorthand for a :class:`Text`; parameters keep their keyword order.

    >>> T("ex.family.trace").key
    'ex.family.trace'
    """
    return Text(key, tuple((k, tuple(v) if isinstance(v, list) else v)
                           for k, v in params.items()))


EXACT = Tolerance()
# Ideal (0/1 gate) answers: the exact values lie within 0.01 (checked for every variant).
IDEAL = Tolerance(abs=0.01)
# Exact gate values such as σ(−10) = 4.54·10⁻⁵: relative, so 0 is not close to them.
RELATIVE = Tolerance(rel=1e-3)


@dataclass(frozen=True)
class Step:
    """One line of a worked solution: a sentence of reasoning (prose with ``$…$`` math),
    optionally a display formula (LaTeX, no delimiters) and the value it arrives at."""

    text: Text | str
    math: str | None = None
    value: str | None = None

    def in_lang(self, lang: str) -> Step:
        return replace(self, text=render_text(self.text, lang))


@dataclass(frozen=True)
class TableCell:
    """A table entry: a value, or a blank for the student to fill (`question` names the
    question whose answer it is)."""

    text: str
    blank: bool = False
    question: str | None = None
    box: int | None = None  # the numbered box a question's prompt refers to


@dataclass(frozen=True)
class Table:
    """A grid such as the trace table; `header` entries are LaTeX math (no delimiters)."""

    header: tuple[str, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    caption: Text | str = ""

    def in_lang(self, lang: str) -> Table:
        return replace(self, caption=render_text(self.caption, lang))


@dataclass(frozen=True)
class CellDiagram:
    """What the cell picture labels: each input's formula (LaTeX, e.g. ``"z_i"`` →
    ``"100x_2 - 10"``), g and h (LaTeX, e.g. ``"g(z) = z"``) and the gate function."""

    inputs: dict[str, str]
    g: str
    h: str
    gate: str = r"\sigma"
    caption: Text | str = ""

    def in_lang(self, lang: str) -> CellDiagram:
        return replace(self, caption=render_text(self.caption, lang))


@dataclass(frozen=True)
class FlowDiagram:
    """Any cell drawn from its equations (see :mod:`lstm_sym.exercises.diagram`): nodes
    ``(name, LaTeX, kind, layer)`` (kind ``input``, ``state``, or the equation's kind;
    layer 0 for what the step reads) and edges ``(from, to)``, one per equation input."""

    nodes: tuple[tuple[str, str, str, int], ...]
    edges: tuple[tuple[str, str], ...]
    caption: Text | str = ""

    def in_lang(self, lang: str) -> FlowDiagram:
        return replace(self, caption=render_text(self.caption, lang))


@dataclass(frozen=True)
class TracePlot:
    """Series over time (computed values) for the trace plot; `labels` are the legend
    texts, filled from the catalogue (``ex.plot.<series>``) when not given."""

    t: tuple[int, ...]
    series: dict[str, tuple[float, ...]]
    labels: dict[str, Text | str] = field(default_factory=dict)
    caption: Text | str = ""

    def in_lang(self, lang: str) -> TracePlot:
        labels = {name: render_text(self.labels.get(name, Text(f"ex.plot.{name}")), lang)
                  for name in self.series}
        return replace(self, labels=labels, caption=render_text(self.caption, lang))


@dataclass(frozen=True)
class Question:
    """One question with its computed answer.

    `answer` is the key's string (SymPy-parsable); `display` is its LaTeX form for the
    sheet (defaults to `answer`). `exact` is the exact value beside an ideal one.
    """

    id: str
    family: str
    kind: str
    prompt: Text
    answer: str
    tolerance: Tolerance = EXACT
    variables: tuple[str, ...] = ()
    display: str | None = None
    exact: str | None = None
    exact_display: str | None = None
    accept: tuple[str, ...] = ()
    choices: tuple[str, ...] | None = None
    worked: bool = False
    solution: tuple[Step, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    answer_lines: int = 1
    points: int = DEFAULT_POINTS

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.id}: unknown kind {self.kind!r}")
        if self.kind == "choice" and (not self.choices or self.answer not in self.choices):
            raise ValueError(f"{self.id}: the answer must be one of the choices")
        if isinstance(self.points, bool) or not isinstance(self.points, int) or self.points < 1:
            raise ValueError(f"{self.id}: points must be an integer >= 1")

    @property
    def reveal(self) -> bool:
        """Worked questions are already shown with their answer, so the checker may say it."""
        return self.worked

    def key_entry(self, lang: str) -> dict[str, Any]:
        """This question as a key.json entry (schema lstm_sym.key/1, see :mod:`lstm_sym.key`)."""
        prompt = self.prompt.render(lang)
        return {
            "id": self.id,
            "family": self.family,
            "kind": self.kind,
            "prompt": plain(prompt),
            "answer": self.answer,
            "exact": self.exact,
            "accept": list(self.accept),
            "variables": list(self.variables),
            "tolerance": self.tolerance.as_dict(),
            "choices": list(self.choices) if self.choices is not None else None,
            "worked": self.worked,
            "reveal": self.reveal,
            # feedback in plain text (a terminal, a CSV); feedback_tex keeps its $…$ math
            "misconceptions": [{**mc.as_dict(lang), "feedback": plain(render_text(mc.feedback, lang)),
                                "feedback_tex": render_text(mc.feedback, lang)}
                               for mc in self.misconceptions],
            "points": self.points,
            "prompt_tex": prompt,
            "display": self.display if self.display is not None else self.answer,
            "exact_display": self.exact_display,
            "solution": [{"text": render_text(st.text, lang), "math": st.math, "value": st.value}
                         for st in self.solution],
        }


@dataclass(frozen=True)
class Exercise:
    """One family's block: its questions and what the sheet shows around them."""

    family: str
    title: Text
    intro: Text
    questions: tuple[Question, ...] = ()
    math: str | None = None
    diagram: CellDiagram | FlowDiagram | None = None
    table: Table | None = None
    plot: TracePlot | None = None
    notes: tuple[Text, ...] = ()  # remarks shown in the solutions only
