"""How a handout is laid out, in numbers the templates use: question and box numbers,
the trace table turned so its boxes are large enough to write in, the worked steps
grouped by table row, points and their total, the estimated time and the learning
goals, and how much room each block needs so no page break separates it from its
heading or its answer space.

Everything here is derived from the :class:`~lstm_sym.handouts.content.Worksheet`;
nothing about a cell is named.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from lstm_sym.handouts.content import Item, Section, Table, TableCell, Worksheet

# Minutes a student needs, by what they do: fill a table box, answer a question (per point).
MINUTES_PER_BOX = 0.75
MINUTES_PER_POINT = 1.5
# The learning goals a sheet states: each covers some question families; shown when the
# sheet has one of them (the text is ui.goal.<name> in the catalogue).
GOALS = (("trace", ("cell", "trace", "memory")),
         ("count", ("param_count", "shapes", "gru")),
         ("design", ("gate_design", "gradient")))
CHARS_PER_LINE = 88  # of prose at 11 pt on the A4 text width
# Ruled lines of working space above the answer box, by question kind: a formula needs
# room to derive it; a number is worked out in the margin of the trace or in one line.
WORKING_LINES = {"expression": 1}
BASELINES_PER_LINE = 1.9  # a ruled line 0.9 cm apart, in baselines of 11 pt text


@dataclass(frozen=True)
class Group:
    """The questions a table row answers (one trace step), with how they were found."""

    label: str  # the row's first entry, e.g. the step "2"
    items: tuple[Item, ...]

    @property
    def shown(self) -> bool:
        """Whether the group has anything to show (a worked or solved step)."""
        return any(item.solution or item.answer for item in self.items)


def table_questions(ws: Worksheet) -> set[str]:
    """Ids of the questions answered in one table box each. A question whose answer
    spans several cells (a list down a column) is listed as a question of its own.

    >>> from lstm_sym.handouts.content import Section
    >>> t = Table(("t", "c"), ((TableCell("1"), TableCell("3", question="q")),
    ...     (TableCell("2"), TableCell("3", question="list")),
    ...     (TableCell("3"), TableCell("4", question="list"))))
    >>> table_questions(Worksheet("W", "en", "solutions", (Section("s", "S", table=t),)))
    {'q'}
    """
    seen = Counter(cell.question for section in ws.sections if section.table
                   for row in section.table.rows for cell in row if cell.question)
    return {qid for qid, count in seen.items() if count == 1}


def question_numbers(ws: Worksheet) -> dict[str, int]:
    """Numbers of the questions listed one by one (those not answered in a table box).

    >>> from lstm_sym.handouts.content import Section
    >>> ws = Worksheet("W", "en", "solutions", (Section("s", "S", items=(
    ...     Item("a", "p", "number"), Item("b", "p", "number"))),))
    >>> question_numbers(ws)
    {'a': 1, 'b': 2}
    """
    in_table = table_questions(ws)
    ids = [item.id for section in ws.sections for item in section.items
           if item.id not in in_table]
    return {item_id: n for n, item_id in enumerate(ids, start=1)}


def box_numbers(ws: Worksheet) -> dict[str, int]:
    """The number of each table box a student fills: the cells' own ``box`` (the number
    the question's "write it in box N" uses), else in table order (row by row). Worked
    entries get none.

    >>> from lstm_sym.handouts.content import Section
    >>> t = Table(("t", "a", "b"), ((TableCell("1"), TableCell("3", question="t1.a"),
    ...     TableCell("4", question="t1.b")), (TableCell("2"), TableCell("5", question="t2.a"),
    ...     TableCell("6", question="t2.b"))))
    >>> items = tuple(Item(q, "p", "number", worked=q.startswith("t1")) for q in
    ...               ("t1.a", "t1.b", "t2.a", "t2.b"))
    >>> box_numbers(Worksheet("W", "en", "solutions", (Section("s", "S", items=items, table=t),)))
    {'t2.a': 1, 't2.b': 2}
    """
    worked = {item.id for section in ws.sections for item in section.items if item.worked}
    boxed = table_questions(ws)
    cells = [cell for section in ws.sections if section.table
             for row in section.table.rows for cell in row
             if cell.question in boxed and cell.question not in worked]
    if cells and all(cell.box is not None for cell in cells):  # the exercises numbered them
        return {cell.question: cell.box for cell in cells}
    ids = [cell.question for cell in cells]
    return {qid: n for n, qid in enumerate(dict.fromkeys(ids), start=1)}


def groups(section: Section, boxed: set[str]) -> list[Group]:
    """The questions of a section answered in one table box each, grouped by row.

    >>> t = Table(("t", "a"), ((TableCell("1"), TableCell("3", question="x")),))
    >>> [g.label for g in groups(Section("s", "S", items=(Item("x", "p", "number"),), table=t),
    ...                          {"x"})]
    ['1']
    """
    if section.table is None:
        return []
    by_id = {item.id: item for item in section.items if item.id in boxed}
    out = []
    for row in section.table.rows:
        items = tuple(by_id[c.question] for c in row if c.question in by_id)
        if items:
            out.append(Group(row[0].text if row else "", items))
    return out


def transposed(table: Table) -> Table:
    """The table turned: one column per row (a trace step), one row per quantity, so
    each box gets a wide column instead of a thin one.

    >>> t = Table(("t", "a", "b"), ((TableCell("1"), TableCell("3"), TableCell("4")),))
    >>> [[c.text for c in row] for row in transposed(t).rows]
    [['a', '3'], ['b', '4']]
    >>> transposed(t).header
    ('t', '1')
    """
    columns = [table.header, *[tuple(c.text for c in row) for row in table.rows]]
    header = tuple(col[0] for col in columns)
    rows = []
    for k in range(1, len(table.header)):
        rows.append((TableCell(table.header[k]),
                     *(row[k] if k < len(row) else TableCell("") for row in table.rows)))
    return Table(header, tuple(rows), table.caption)


def turn(table: Table) -> bool:
    """Whether to show a table turned: when it has more columns than rows (the trace:
    11 quantities over 5 steps), so its boxes are wide enough to write in.

    >>> turn(Table(("t", "a", "b"), ((TableCell("1"), TableCell("2"), TableCell("3")),)))
    True
    """
    return len(table.header) > len(table.rows) + 1


def points_of(section: Section, in_table: set[str]) -> tuple[int, int]:
    """(points of the questions listed, points of the table boxes) of a section, worked
    questions excluded (nobody answers them).

    >>> s = Section("s", "S", items=(Item("a", "p", "number", points=2),
    ...     Item("b", "p", "number"), Item("c", "p", "number", worked=True)))
    >>> points_of(s, {"b"})
    (2, 1)
    """
    listed = sum(i.points for i in section.items if not i.worked and i.id not in in_table)
    boxed = sum(i.points for i in section.items if not i.worked and i.id in in_table)
    return listed, boxed


def total_points(ws: Worksheet) -> int:
    """Points of every question the student answers."""
    in_table = table_questions(ws)
    return sum(sum(points_of(section, in_table)) for section in ws.sections)


def minutes(ws: Worksheet) -> int:
    """Estimated working time, to the next 5 minutes: 45 seconds per table box and
    1.5 minutes per point of the other questions.

    >>> from lstm_sym.handouts.content import Section
    >>> minutes(Worksheet("W", "en", "solutions", (Section("s", "S", items=(
    ...     Item("a", "p", "number", points=3),)),)))
    5
    """
    in_table = table_questions(ws)
    boxes = sum(1 for s in ws.sections for i in s.items if not i.worked and i.id in in_table)
    listed = sum(points_of(s, in_table)[0] for s in ws.sections)
    total = boxes * MINUTES_PER_BOX + listed * MINUTES_PER_POINT
    return max(5, 5 * math.ceil(total / 5))


def goals(ws: Worksheet) -> list[str]:
    """The names of the learning goals the sheet's families serve (catalogue
    ``ui.goal.<name>``), in a fixed order.

    >>> from lstm_sym.handouts.content import Section
    >>> goals(Worksheet("W", "en", "solutions", (Section("gru", "G"), Section("trace", "T"))))
    ['trace', 'count']
    """
    families = {s.family for s in ws.sections}
    return [name for name, covers in GOALS if families & set(covers)]


PAIR_WIDTH = 52  # characters of an equation row (no braces, \left, \right) set two per line


def equation_rows(math: str) -> list[str]:
    r"""The rows of an aligned block (``a &= b \\ c &= d``).

    >>> equation_rows(r"z &= x \\ y &= 2 \\[4pt] w &= 3")
    ['z &= x', 'y &= 2', 'w &= 3']
    """
    return [row.strip() for row in re.split(r"\\\\(?:\[[^]]*\])?", math) if row.strip()]


def side_by_side(math: str) -> str:
    r"""An aligned block with its rows set two per line when every row is short (the
    cell's equations), as it is otherwise.

    >>> print(side_by_side(r"a &= 1 \\ b &= 2 \\ c &= 3"))
    a &= 1 & b &= 2 \\ c &= 3
    >>> side_by_side(r"a &= \begin{bmatrix} 1 \end{bmatrix}")
    'a &= \\begin{bmatrix} 1 \\end{bmatrix}'
    """
    rows = equation_rows(math)
    def width(row: str) -> int:
        return len(re.sub(r"\\(?:left|right)|[{}]", "", row))

    if len(rows) < 3 or any(width(r) > PAIR_WIDTH or "matrix" in r or r.count("&") != 1
                            for r in rows):
        return math
    pairs = [" & ".join(rows[k:k + 2]) for k in range(0, len(rows), 2)]
    return r" \\ ".join(pairs)


def lines(text: str) -> int:
    """Printed lines a paragraph of prose takes, roughly."""
    return max(1, math.ceil(len(text) / CHARS_PER_LINE))


def working_lines(item: Item) -> int:
    """Ruled lines of working space a question gets on the worksheet.

    >>> working_lines(Item("a", "p", "expression")), working_lines(Item("b", "p", "number"))
    (1, 0)
    """
    return 0 if item.choices else WORKING_LINES.get(item.kind, 0)


def inline_answer(item: Item, in_table: set[str]) -> bool:
    """Whether the question's answer box sits at the end of its prompt: an open question
    with no working space, not answered in a table.

    >>> inline_answer(Item("a", "p", "number"), set()), inline_answer(Item("b", "p", "expression"), set())
    (True, False)
    """
    return (not item.answer and not item.choices and item.id not in in_table
            and working_lines(item) == 0)


SHORT_ANSWER = 60  # characters of an answer (and its exact value) shown beside the question


def short_answer(item: Item) -> bool:
    """Whether a shown answer fits at the end of its question's line (the solutions put
    it there; a long one gets a box of its own after the steps).

    >>> short_answer(Item("a", "p", "number", answer="$7$")), short_answer(Item("b", "p", "x"))
    (True, False)
    """
    text = item.answer + (item.exact or "")
    return bool(item.answer) and not item.choices and len(text) <= SHORT_ANSWER


def item_room(item: Item, in_table: set[str]) -> float:
    """Baselines a question needs on one page: its prompt, choices, worked steps
    (up to 8 lines of them) and answer space; a longer solution may break after that.

    >>> item_room(Item("a", "short", "expression"), set())
    6.4
    """
    need = lines(item.prompt) + 1.0
    if item.choices:
        need += 2
    steps = sum(lines(s.text) + (2.5 if s.math else 0) for s in item.solution)
    need += min(steps, 8)
    if item.answer:
        need += 2
    elif inline_answer(item, in_table):
        need += 1.5
    elif item.id not in in_table and not item.choices:
        need += 2.5 + BASELINES_PER_LINE * working_lines(item)
    return round(need, 1)


def section_room(section: Section, in_table: set[str] = frozenset()) -> float:
    """Baselines a section's title needs below it: its intro, and what comes right
    after: the whole table, or the first question (a heading never ends a page alone).

    >>> section_room(Section("s", "S", intro="x", items=(Item("a", "p", "number"),)))
    7.5
    """
    need = 3.0 + (lines(section.intro) if section.intro else 0)
    if section.diagram is not None:
        return need + 4
    if section.math:
        return need + 1.6 * len(equation_rows(side_by_side(section.math))) + 4
    if section.table is not None:
        rows = len(section.table.header) - 1 if turn(section.table) else len(section.table.rows)
        return need + 2.0 * (rows + 1) + 2
    first = next((item for item in section.items if item.id not in in_table), None)
    return need + (item_room(first, in_table) if first is not None else 2)


FLOW_DX, FLOW_DY = 2.8, 1.25  # cm between the nodes of a layer, and between layers


def flow_positions(diagram) -> dict[str, tuple[float, float]]:
    """Where each node of a :class:`~lstm_sym.handouts.content.FlowDiagram` sits (cm):
    its layer's height, centred in its layer.

    >>> from lstm_sym.handouts.content import FlowDiagram
    >>> d = FlowDiagram((("x", "x", "input", 0), ("h", "h", "state", 0), ("z", "z", "p", 1)), ())
    >>> flow_positions(d)
    {'x': (-1.4, 0.0), 'h': (1.4, 0.0), 'z': (0.0, 1.25)}
    """
    layers: dict[int, list[str]] = {}
    for name, _, _, layer in diagram.nodes:
        layers.setdefault(layer, []).append(name)
    where = {}
    for layer, names in layers.items():
        for k, name in enumerate(names):
            where[name] = (round((k - (len(names) - 1) / 2) * FLOW_DX, 2),
                           round(layer * FLOW_DY, 2))
    return where
