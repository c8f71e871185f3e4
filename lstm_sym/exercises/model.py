"""The exercise model: language-neutral questions whose answers come from the cell model.

A :class:`Question` holds everything a key, a checker and a handout need: the
answer (computed, never typed), the tolerance, the worked solution and the
misconceptions it recognises. Sentences are :class:`Text` — a message key and its
parameters — rendered in a language only when a key or a sheet is written, so one
exercise serves every language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lstm_sym.i18n import msg

KINDS = ("number", "integer", "expression", "vector", "choice")


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
        return msg(lang, self.key, **{k: _render(v, lang) for k, v in self.params})


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


@dataclass(frozen=True)
class Tolerance:
    """How far a numeric answer may be from the key (STACK's NumAbsolute/NumRelative).

    >>> Tolerance(abs=0.01).as_dict()
    {'abs': 0.01, 'rel': 0.0, 'sigfigs': None}
    """

    abs: float = 0.0
    rel: float = 0.0
    sigfigs: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"abs": self.abs, "rel": self.rel, "sigfigs": self.sigfigs}


EXACT = Tolerance()
# Ideal (0/1 gate) answers: the exact values lie within 0.01 (checked for every variant).
IDEAL = Tolerance(abs=0.01)
# Exact gate values such as σ(−10) = 4.54·10⁻⁵: relative, so 0 is not close to them.
RELATIVE = Tolerance(rel=1e-3)


@dataclass(frozen=True)
class Step:
    """One line of a worked solution: reasoning, an optional display formula, its value."""

    text: Text
    math: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Misconception:
    """A known wrong answer, computed by running a modified model or formula."""

    id: str
    answer: str
    feedback: Text


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

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.id}: unknown kind {self.kind!r}")
        if self.kind == "choice" and (not self.choices or self.answer not in self.choices):
            raise ValueError(f"{self.id}: the answer must be one of the choices")

    @property
    def reveal(self) -> bool:
        """Worked questions are already shown with their answer, so the checker may say it."""
        return self.worked

    def key_entry(self, lang: str) -> dict[str, Any]:
        """This question as a key.json entry (schema lstm_sym.key/1)."""
        from lstm_sym.exercises.formatting import plain

        return {
            "id": self.id,
            "family": self.family,
            "kind": self.kind,
            "prompt": plain(self.prompt.render(lang)),
            "answer": self.answer,
            "exact": self.exact,
            "accept": list(self.accept),
            "variables": list(self.variables),
            "tolerance": self.tolerance.as_dict(),
            "choices": list(self.choices) if self.choices is not None else None,
            "worked": self.worked,
            "reveal": self.reveal,
            "misconceptions": [{"id": mc.id, "answer": mc.answer,
                                "feedback": plain(mc.feedback.render(lang))}
                               for mc in self.misconceptions],
        }


@dataclass(frozen=True)
class TableSpec:
    """A table of display strings; each cell may name the question that fills it."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[str, str | None], ...], ...]
    caption: Text | None = None


@dataclass(frozen=True)
class PlotSpec:
    """Series over time (float mode) for the trace plot."""

    t: tuple[int, ...]
    series: dict[str, tuple[float, ...]]
    caption: Text | None = None


@dataclass(frozen=True)
class DiagramSpec:
    """What the cell picture labels: each input's formula and g, h (LaTeX)."""

    inputs: dict[str, str]
    g: str
    h: str
    caption: Text | None = None


@dataclass(frozen=True)
class Exercise:
    """One family's block: its questions and what the sheet shows around them."""

    family: str
    title: Text
    intro: Text
    questions: tuple[Question, ...] = ()
    math: str | None = None
    diagram: DiagramSpec | None = None
    table: TableSpec | None = None
    plot: PlotSpec | None = None
    notes: tuple[Text, ...] = field(default=())
