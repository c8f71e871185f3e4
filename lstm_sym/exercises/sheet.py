"""The solutions edition of a handout (lstm_sym.handouts.content's content model) in one language."""

from __future__ import annotations

from lstm_sym.exercises.exercise_set import ExerciseSet, check_lang
from lstm_sym.exercises.model import Exercise, Question
from lstm_sym.handouts.content import CellDiagram, Item, Section, Step, Table, TableCell, TracePlot, Worksheet
from lstm_sym.i18n import msg

PLOT_SERIES = ("c", "y", "i", "f", "o")


def _math(text: str | None) -> str | None:
    return None if text is None else f"${text}$"


def _item(q: Question, lang: str) -> Item:
    display = q.display if q.display is not None else q.answer
    return Item(
        id=q.id, prompt=q.prompt.render(lang), kind=q.kind, answer=f"${display}$",
        exact=_math(q.exact_display), worked=q.worked,
        solution=tuple(Step(s.text.render(lang), s.math, s.value) for s in q.solution),
        choices=q.choices, answer_lines=q.answer_lines)


def _section(ex: Exercise, lang: str) -> Section:
    table = diagram = plot = None
    if ex.table is not None:
        rows = tuple(tuple(TableCell(text, False, qid) for text, qid in row)
                     for row in ex.table.rows)
        caption = ex.table.caption.render(lang) if ex.table.caption else ""
        table = Table(ex.table.header, rows, caption)
    if ex.diagram is not None:
        d = ex.diagram
        diagram = CellDiagram(dict(d.inputs), d.g, d.h,
                              caption=d.caption.render(lang) if d.caption else "")
    if ex.plot is not None:
        p = ex.plot
        plot = TracePlot(p.t, dict(p.series),
                         {name: msg(lang, f"ex.plot.{name}") for name in p.series},
                         p.caption.render(lang) if p.caption else "")
    return Section(ex.family, ex.title.render(lang), ex.intro.render(lang),
                   tuple(_item(q, lang) for q in ex.questions), table, ex.math, diagram, plot)


def build_worksheet(exset: ExerciseSet, lang: str = "en") -> Worksheet:
    """The solutions edition; ``.student_edition()`` blanks what the student fills in.

    >>> from lstm_sym.exercises import build_set
    >>> ws = build_worksheet(build_set(), "zh")
    >>> [s.family for s in ws.sections][:3]
    ['cell', 'trace', 'memory']
    """
    check_lang(lang)
    v = exset.variant
    subtitle = (msg(lang, "ex.sheet.subtitle.lecture") if v.seed is None
                else msg(lang, "ex.sheet.subtitle.variant", seed=v.seed))
    return Worksheet(exset.title.render(lang), lang, "solutions",
                     tuple(_section(ex, lang) for ex in exset.exercises), subtitle=subtitle,
                     instructions=msg(lang, "ex.sheet.instructions"), student=v.student,
                     seed=v.seed)
