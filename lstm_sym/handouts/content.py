"""The format-neutral content model of a handout (nbconvert's pattern).

Exercises build a :class:`Worksheet` in one language; templates render it as
Markdown or LaTeX. Text fields are prose with inline math between ``$…$``
(LaTeX inside); renderers escape the prose and pass the math through. Names
that come from a user or roster are plain text (never ``$``-split) and are
escaped wholesale.

The student edition is the solutions edition filtered (:meth:`Worksheet.student_edition`),
not ``if``s scattered through templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Step:
    """One line of a worked solution: a sentence of reasoning, optionally a display
    formula (LaTeX, no delimiters) and the value it arrives at (display text)."""

    text: str
    math: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Item:
    """One question as shown on the sheet.

    `answer` is the display form of the correct answer ($…$ allowed); `exact` the exact
    value beside an ideal one. `worked` items show their solution on the student sheet
    too (the lecture works steps 1 and 4).
    """

    id: str
    prompt: str
    kind: str
    answer: str = ""
    exact: str | None = None
    worked: bool = False
    solution: tuple[Step, ...] = ()
    choices: tuple[str, ...] | None = None
    answer_lines: int = 1


@dataclass(frozen=True)
class TableCell:
    """A table entry: a value, or a blank for the student to fill (`question` names the item)."""

    text: str
    blank: bool = False
    question: str | None = None


@dataclass(frozen=True)
class Table:
    """A grid such as the trace table; `header` entries are LaTeX math (no delimiters)."""

    header: tuple[str, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class CellDiagram:
    """What the cell picture labels: each input's formula (LaTeX), and the functions."""

    inputs: dict[str, str]  # "z", "z_i", "z_f", "z_o" -> e.g. "x_1", "100x_2 - 10"
    g: str  # LaTeX of g, e.g. "g(z) = z"
    h: str
    gate: str = r"\sigma"
    caption: str = ""


@dataclass(frozen=True)
class TracePlot:
    """Series over time for the trace plot (memory, output, gates), computed values."""

    t: tuple[int, ...]
    series: dict[str, tuple[float, ...]]  # "c", "y", "i", "f", "o" -> values
    labels: dict[str, str]  # series -> legend text in the sheet's language
    caption: str = ""


@dataclass(frozen=True)
class Section:
    """A block of the sheet: one question family."""

    family: str
    title: str
    intro: str = ""
    items: tuple[Item, ...] = ()
    table: Table | None = None
    math: str | None = None  # a display block, e.g. the cell's equations (LaTeX aligned body)
    diagram: CellDiagram | None = None
    plot: TracePlot | None = None


@dataclass(frozen=True)
class Student:
    id: str
    name: str


@dataclass(frozen=True)
class Worksheet:
    """A whole handout in one language. Build the solutions edition; derive the other."""

    title: str
    lang: str
    edition: str  # "solutions" or "worksheet"
    sections: tuple[Section, ...]
    subtitle: str = ""
    instructions: str = ""
    student: Student | None = None
    seed: int | None = None
    labels: dict[str, str] = field(default_factory=dict)  # fixed UI words: "Name", "Answer", …

    def student_edition(self) -> Worksheet:
        """Drop answers, solutions and plots of questions left to the student; blank the
        table cells they fill.

        >>> ws = Worksheet("T", "en", "solutions", (Section("trace", "S", items=(
        ...     Item("q1", "p", "number", answer="7", solution=(Step("s"),)),)),))
        >>> ws.student_edition().sections[0].items[0].answer
        ''
        """
        hidden = {it.id for sec in self.sections for it in sec.items if not it.worked}
        sections = []
        for sec in self.sections:
            items = tuple(it if it.worked else replace(it, answer="", exact=None, solution=())
                          for it in sec.items)
            table = sec.table
            if table is not None:
                rows = tuple(tuple(TableCell("", True, c.question)
                                   if c.question in hidden else c for c in row)
                             for row in table.rows)
                table = replace(table, rows=rows)
            sections.append(replace(sec, items=items, table=table, plot=None))
        return replace(self, edition="worksheet", sections=tuple(sections))
