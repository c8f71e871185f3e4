"""Progressive hints for every key question: the first points to the rule, the last nearly
gives the method, none gives the value.

Trace and memory hints are built from the cell itself: which kind of equation the asked
quantity is (pre-activation, gate, state, output …), the equation printed through the
model's Unicode printer, and the names it reads. Other families use sentences from the
``hints`` catalogue (``i18n/hints.<lang>.json``), per question where one exists, else per
family, else per answer kind, so a question added later still gets hints.

Hints never contain a number computed for the question: numbers appear only inside the
cell's printed equations, which every sheet shows anyway.

>>> from lstm_sym.model.cells import build_cell
>>> entry = {"id": "trace.t2.c", "family": "trace", "kind": "number"}
>>> for hint in question_hints(entry, build_cell("lecture"), "en"):
...     print(hint[:61].strip())
The new memory c′ is the memory before this step, passed thro
Its equation: c′ = z·i + c·f.
Put in this step's values of z, i and f and the memory c from
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any

from lstm_sym.i18n import catalogue, msg
from lstm_sym.model.cells import Cell, Equation
from lstm_sym.model.printing import UnicodePrinter

MAX_HINTS = 3


def _printer(cell: Cell) -> UnicodePrinter:
    return UnicodePrinter(cell.lecture, True)


def _show(cell: Cell, name: str) -> str:
    """A symbol name as the cell's equations print it (c′, hₜ₋₁, W_f …)."""
    import sympy as sp

    for eq in cell.equations:
        for symbol in (eq.lhs, *eq.rhs.free_symbols):
            if isinstance(symbol, sp.MatrixSymbol) and symbol.name == name:
                return _printer(cell).doprint(symbol)
    return name


def equation_text(cell: Cell, equation: Equation) -> str:
    """One equation of the cell, printed as the sheets print it.

    >>> from lstm_sym.model.cells import build_cell
    >>> equation_text(build_cell("gru"), build_cell("gru").equation("u"))
    'u = σ(z_u)'
    """
    printer = _printer(cell)
    return f"{printer.doprint(equation.lhs)} = {printer.doprint(equation.rhs)}"


def equation_for(cell: Cell, name: str) -> Equation | None:
    """The equation a trace question's name asks for: an assignment's own name, or the
    name of a carried state (the lecture's ``c`` is its equation ``c_new``).

    >>> from lstm_sym.model.cells import build_cell
    >>> equation_for(build_cell("lecture"), "c").name
    'c_new'
    """
    for state in cell.states:
        if state.name == name:
            return cell.equation(state.new.name)
    try:
        return cell.equation(name)
    except KeyError:
        return None


def _reads(cell: Cell, equation: Equation) -> tuple[list[str], list[str], list[str]]:
    """What an equation reads: (values of this step, states from the step before, parameters)."""
    params = {prm.name for prm in cell.params}
    previous = {state.prev.name for state in cell.states}
    assigned = {eq.name for eq in cell.equations}
    names = sorted((s.name for s in equation.rhs.free_symbols if hasattr(s, "name")),
                   key=_equation_order(cell))
    now = [n for n in names if n in assigned or n == cell.input.name]
    before = [n for n in names if n in previous and n not in assigned]
    weights = [n for n in names if n in params]
    return now, before, weights


def _equation_order(cell: Cell):
    order = {eq.name: k for k, eq in enumerate(cell.equations)}
    return lambda name: (order.get(name, -1), name)


def _join(items: Iterable[str], lang: str) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if lang == "zh":
        return "、".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _trace_hints(name: str, cell: Cell, lang: str) -> list[str] | None:
    equation = equation_for(cell, name)
    if equation is None:
        return None
    now, before, weights = _reads(cell, equation)
    show = [_show(cell, n) for n in now if n != cell.input.name]
    values = {
        "name": _show(cell, equation.name),
        "equation": equation_text(cell, equation),
        "reads": _join(show, lang),
        "before": _join((_show(cell, n) for n in before), lang),
        "weights": _join((_show(cell, n) for n in weights), lang),
        "input": _show(cell, cell.input.name),
    }
    kind = equation.kind
    new_states = {state.new.name for state in cell.states}
    if kind == "output" and new_states & set(now):
        kind = "read"  # the LSTM's output reads the new memory; the GRU's h is a state update
    base = f"hints.trace.{kind}"
    method = f"{base}.3" + (".before" if before else "") + (".gated" if show and kind ==
                                                              "preactivation" else "")
    keys = [f"{base}.1", f"{base}.2", method if method in catalogue(lang) else f"{base}.3"]
    return [msg(lang, key, **values) for key in keys if key in catalogue(lang)]


@cache
def sigma_text() -> str:
    """σ's definition as the model writes it (σ rewritten with exp).

    >>> sigma_text()
    'σ(t) = 1/(1 + exp(-t))'
    """
    import sympy as sp

    from lstm_sym.model.notation import sigma

    t = sp.Symbol("t")
    return f"σ(t) = {sp.sstr(sigma(t).rewrite(sp.exp))}"


def quoted_formulas(cell: Cell) -> list[str]:
    """The formulas hints may quote (the cell's equations and σ): they are on every sheet,
    and the only place a hint shows numbers."""
    return [sigma_text(), *(equation_text(cell, eq) for eq in cell.equations)]


def _catalogue_hints(family: str, what: str, kind: str, cell: Cell, lang: str) -> list[str]:
    """Per question, else per family, else per kind: the first prefix with sentences."""
    state = cell.states[0] if cell.states else None
    values = {
        "sigma": sigma_text(),
        "state": _show(cell, state.new.name) if state else "",
        "state_equation": equation_text(cell, cell.equation(state.new.name)) if state else "",
        "output_equation": equation_text(cell, cell.equation(cell.output.name)),
    }
    texts = catalogue(lang)
    for prefix in (f"hints.{family}.{what}", f"hints.{family}", f"hints.kind.{kind}"):
        keys = [f"{prefix}.{k}" for k in range(1, MAX_HINTS + 1) if f"{prefix}.{k}" in texts]
        if keys:
            return [msg(lang, key, **values) for key in keys]
    return [msg(lang, "hints.kind.any.1")]


def question_hints(entry: Mapping[str, Any], cell: Cell, lang: str) -> list[str]:
    """One to three hints for a key question (see the module example)."""
    return _table(cell, lang).hints(entry)


def attach_hints(entries: list[dict[str, Any]], cell: Cell, lang: str) -> list[dict[str, Any]]:
    """Key entries with their ``hints`` added (what ``ExerciseSet.key`` calls).

    >>> from lstm_sym.model.cells import build_cell
    >>> attach_hints([{"id": "gru.ratio", "family": "gru", "kind": "expression"}],
    ...              build_cell("lecture"), "en")[0]["hints"][0][:30]
    'Count the parameters of both c'
    """
    table = _table(cell, lang)
    return [{**entry, "hints": table.hints(entry)} for entry in entries]


class _HintTable:
    """The hints of one cell in one language, per question id and kind. Hints depend on
    which quantity or question is asked and on the cell, never on a variant's numbers, so
    a class's sheets share them (each caller gets its own list)."""

    def __init__(self, cell: Cell, lang: str) -> None:
        self.cell, self.lang = cell, lang
        self._by_question: dict[tuple[str, str, str], tuple[str, ...]] = {}

    def hints(self, entry: Mapping[str, Any]) -> list[str]:
        qid = str(entry.get("id", ""))
        family = str(entry.get("family") or qid.partition(".")[0])
        key = (qid, family, str(entry.get("kind", "")))
        if key not in self._by_question:
            self._by_question[key] = tuple(self._compute(*key))
        return list(self._by_question[key])

    def _compute(self, qid: str, family: str, kind: str) -> list[str]:
        what = qid.partition(".")[2]
        if family == "trace":
            step, _, name = what.partition(".")
            hints = _trace_hints(name, self.cell, self.lang) if step.startswith("t") else None
            if hints:
                return hints[:MAX_HINTS]
            what = name
        return _catalogue_hints(family, what, kind, self.cell, self.lang)[:MAX_HINTS]


@lru_cache(maxsize=64)
def _table(cell: Cell, lang: str) -> _HintTable:
    return _HintTable(cell, lang)


def key_hints(key: Mapping[str, Any]) -> dict[str, list[str]]:
    """Question id → its hints, read from a key.json (for printing hints on a sheet).

    >>> key_hints({"questions": [{"id": "q", "hints": ["Look at the rule."]}]})
    {'q': ['Look at the rule.']}
    """
    return {q["id"]: list(q.get("hints") or ()) for q in key.get("questions", [])}
