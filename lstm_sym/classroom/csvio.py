"""Read CSV files people export from spreadsheets, forms and LMSs, and the class
answers table in its two shapes.

What real files look like, and what happens:

* UTF-8, with or without a byte-order mark: read. Anything else (Windows-1252,
  UTF-16 from Excel's "Unicode text") is refused with the file, line and byte offset
  of the first undecodable byte, and how to re-save it.
* Commas, or the semicolons/tabs of Excel in many locales: detected from the header.
* Quoted fields with commas and newlines: read; a row is numbered by its first line.
* A malformed row (a stray quote, a quote never closed): that row is rejected with its
  line, and reading goes on after it; nothing else is lost.
* Blank lines are skipped; an empty file or a file with only a header is refused.

An answers table is *long* (``student,question,answer``, one answer a row) or *wide*
(one row per student: a ``student`` or ``id`` column and one column per question id,
as LMS and form exports give). :func:`answer_rows` detects which.

>>> t = parse_table("student,question,answer\\ns1,q1,7\\n", "a.csv")
>>> sheet = answer_rows(t, {"q1"})
>>> sheet.form, [(a.line, a.student, a.question, a.text) for a in sheet.answers]
('long', [(2, 's1', 'q1', '7')])
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lstm_sym.errors import UserError

DELIMITERS = (",", ";", "\t")
# Header names (after normalize_header) of the columns we read; anything else is ignored
# with a note, or is a question id in a wide table.
STUDENT_COLUMNS = ("student", "student id", "id", "id number", "idnumber", "username")
QUESTION_COLUMNS = ("question", "question id", "qid")
ANSWER_COLUMNS = ("answer", "response")
NAME_COLUMNS = ("name", "full name", "student name")
FIRST_NAME_COLUMNS = ("first name", "given name")
LAST_NAME_COLUMNS = ("last name", "surname", "family name")
MAX_FIELD = 100_000  # characters; a longer cell is a broken file, not an answer


@dataclass(frozen=True)
class Row:
    """One CSV record and the line it starts on (1-based)."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class BadRow:
    """A record that could not be read, and why."""

    line: int
    reason: str


@dataclass(frozen=True)
class Table:
    """A CSV file as read: its header, its data rows and the rows that were not CSV."""

    source: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    bad: tuple[BadRow, ...] = ()
    delimiter: str = ","


def normalize_header(name: str) -> str:
    """Compare header names loosely: case, spaces, ``_`` and ``-`` do not matter.

    >>> normalize_header("  Student_ID "), normalize_header("First-Name")
    ('student id', 'first name')
    """
    return " ".join(re.split(r"[\s_-]+", name.strip().casefold())).strip()


def decode_csv(data: bytes, source: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or a UserError naming line and byte.

    >>> decode_csv("\\ufeffid,name\\n".encode(), "r.csv")
    'id,name\\n'
    >>> decode_csv(b"id,name\\ns1,Jos\\xe9\\n", "r.csv")
    Traceback (most recent call last):
    ...
    lstm_sym.errors.UserError: r.csv line 2 (byte 14): not UTF-8 text (byte 0xe9); save the file as 'CSV UTF-8'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UserError(f"{source}: UTF-16 text (Excel's 'Unicode text'); save the file as "
                        "'CSV UTF-8'")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
        line = data[:offset].count(b"\n") + 1
        raise UserError(f"{source} line {line} (byte {offset}): not UTF-8 text "
                        f"(byte 0x{data[offset]:02x}); save the file as 'CSV UTF-8'") from None


def _delimiter(first_line: str) -> str:
    """The header's separator: comma unless the header has none but a ';' or a tab."""
    for candidate in DELIMITERS:
        if candidate in first_line:
            return candidate
    return ","


def _records(lines: list[str], delimiter: str) -> Iterator[Row | BadRow]:
    """Rows numbered by their first line; a bad record is reported and skipped.

    A quote that is never closed would swallow the rest of the file, so reading
    restarts on the line after the one where that record began.
    """
    start = 0
    while start < len(lines):
        reader = csv.reader(lines[start:], delimiter=delimiter, strict=True)
        consumed = 0
        restart = None
        while restart is None:
            line = start + consumed + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "unexpected end of data" in str(exc):
                    yield BadRow(line, "a quoted field is never closed (a missing '\"')")
                    restart = line  # the line after this record's first line
                    continue
                yield BadRow(line, f"not valid CSV ({exc})")
                consumed = reader.line_num
                continue
            consumed = reader.line_num
            yield Row(line, tuple(cells))
        start = restart


def parse_table(text: str, source: str, expected: str = "student,question,answer") -> Table:
    """A table from CSV text; `source` names it in messages, `expected` is the header
    an empty file is told to have.

    >>> t = parse_table('a;b\\r\\n1;"x\\ny"\\r\\n\\r\\n2;z\\r\\n', "f.csv")
    >>> t.delimiter, [(r.line, r.cells) for r in t.rows]
    (';', [(2, ('1', 'x\\ny')), (5, ('2', 'z'))])
    """
    text = text.removeprefix("\ufeff")
    lines = list(io.StringIO(text, newline=""))
    if not any(line.strip() for line in lines):
        raise UserError(f"{source}: empty file (expected a header line such as "
                        f"'{expected}')")
    delimiter = _delimiter(lines[0])
    old_limit = csv.field_size_limit(MAX_FIELD)
    try:
        records = list(_records(lines, delimiter))
    finally:
        csv.field_size_limit(old_limit)
    header_at = next((i for i, r in enumerate(records)
                      if isinstance(r, BadRow) or any(c.strip() for c in r.cells)), None)
    head = records[header_at] if header_at is not None else None
    if head is None:
        raise UserError(f"{source}: empty file (expected a header line)")
    if isinstance(head, BadRow):
        raise UserError(f"{source} line {head.line}: cannot read the header: {head.reason}")
    rows, bad = [], []
    for record in records[header_at + 1:]:
        if isinstance(record, BadRow):
            bad.append(record)
        elif any(cell.strip() for cell in record.cells):
            rows.append(record)
    return Table(source, tuple(c.strip() for c in head.cells), tuple(rows), tuple(bad),
                 delimiter)


def read_table(path: str | Path, option: str = "--answers",
               expected: str = "student,question,answer") -> Table:
    """Read a CSV file; a missing, unreadable, non-UTF-8 or empty file is a UserError.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes("\\ufeffstudent,question,answer\\r\\ns1,q,7\\r\\n".encode())
    >>> read_table(p).header
    ('student', 'question', 'answer')
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise UserError(f"{option}: {str(path)!r} is a folder, not a CSV file") from None
    except OSError as exc:
        raise UserError(f"{option}: cannot read {str(path)!r} ({exc.strerror})") from None
    return parse_table(decode_csv(data, str(path)), str(path), expected)


# --- the answers table ------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    """One student's answer to one question, and where it came from."""

    line: int
    student: str
    question: str
    text: str
    name: str = ""


@dataclass(frozen=True)
class Rejection:
    """An input row (or one cell of it) that was not graded, and why."""

    line: int
    student: str
    question: str
    reason: str


@dataclass
class AnswerSheet:
    """The answers of a table, the rows refused while reading it, and notes for the user.

    `questions` are the question ids the table asks about: its question columns (wide) or
    every question id in a readable row (long), in first-seen order.
    """

    form: str
    answers: list[AnswerRow] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


def _find(columns: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in columns:
            return columns.index(name)
    return None


def _cell(cells: tuple[str, ...], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _name(cells: tuple[str, ...], columns: list[str]) -> str:
    full = _cell(cells, _find(columns, NAME_COLUMNS))
    if full:
        return " ".join(full.split())
    parts = (_cell(cells, _find(columns, FIRST_NAME_COLUMNS)),
             _cell(cells, _find(columns, LAST_NAME_COLUMNS)))
    return " ".join(" ".join(parts).split())


def _width_problem(row: Row, width: int) -> str | None:
    """Why a row's field count does not fit the header (trailing empty cells are fine)."""
    extra = row.cells[width:]
    if any(cell.strip() for cell in extra):
        return (f"{len(row.cells)} fields, the header has {width} (quote an answer that "
                "contains the separator)")
    return None


def _ignored_note(table: Table, used: set[int]) -> list[str]:
    ignored = [h for i, h in enumerate(table.header) if i not in used and h]
    if not ignored:
        return []
    shown = ", ".join(repr(h) for h in ignored[:8]) + (", …" if len(ignored) > 8 else "")
    return [f"{table.source}: ignored column(s) {shown}"]


def answer_rows(table: Table, question_ids: Collection[str]) -> AnswerSheet:
    """The answers in a long or a wide table; `question_ids` are those any key knows.

    Long: columns student (or id), question, answer; other columns are ignored with a
    note (a name column gives the student's name). Wide: a student column, and every
    column named like a question id is that question's answers.

    >>> t = parse_table("id,name,trace.t2.c,Email\\ns1,Ada,7,a@x\\n", "w.csv")
    >>> s = answer_rows(t, {"trace.t2.c"})
    >>> s.form, [(a.student, a.name, a.question, a.text) for a in s.answers], s.notes
    ('wide', [('s1', 'Ada', 'trace.t2.c', '7')], ["w.csv: ignored column(s) 'Email'"])
    """
    columns = [normalize_header(h) for h in table.header]
    student_col = _find(columns, STUDENT_COLUMNS)
    question_col = _find(columns, QUESTION_COLUMNS)
    answer_col = _find(columns, ANSWER_COLUMNS)
    if student_col is not None and question_col is not None and answer_col is not None:
        sheet = _long(table, columns, student_col, question_col, answer_col)
    else:
        known = set(question_ids)
        question_cols = [i for i, h in enumerate(table.header) if h in known]
        if student_col is None:
            if len(table.header) >= 3 and table.header[1] in known:
                missing = "header line (the first line looks like an answer)"
            elif question_cols or question_col is not None:
                missing = "'student' (or 'id') column"
            else:
                missing = ("header line with 'student,question,answer' (long form) or "
                           "'student' and question ids (wide form)")
            found = ", ".join(repr(h) for h in table.header[:6] if h) or "nothing"
            raise UserError(f"{table.source} line 1: no {missing} (found {found})")
        if not question_cols:
            found = ", ".join(repr(h) for h in table.header[:6] if h)
            raise UserError(f"{table.source} line 1: no column is a question id of the key "
                            f"and there is no 'question,answer' pair (found {found})")
        sheet = _wide(table, columns, student_col, question_cols)
    sheet.rejected[:0] = [Rejection(b.line, "", "", b.reason) for b in table.bad]
    sheet.rejected.sort(key=lambda r: r.line)
    return sheet


def _long(table: Table, columns: list[str], student_col: int, question_col: int,
          answer_col: int) -> AnswerSheet:
    sheet = AnswerSheet("long")
    used = {student_col, question_col, answer_col}
    used |= {i for i in (_find(columns, NAME_COLUMNS), _find(columns, FIRST_NAME_COLUMNS),
                         _find(columns, LAST_NAME_COLUMNS)) if i is not None}
    sheet.notes += _ignored_note(table, used)
    width = len(table.header)
    seen: dict[str, None] = {}
    for row in table.rows:
        student, question = _cell(row.cells, student_col), _cell(row.cells, question_col)
        problem = _width_problem(row, width)
        if problem is None:
            missing = [name for name, value in (("student", student), ("question", question))
                       if not value]
            if answer_col >= len(row.cells):
                missing.append("answer")
            if missing:
                problem = f"missing field {', '.join(repr(m) for m in missing)}"
        if problem:
            sheet.rejected.append(Rejection(row.line, student, question, problem))
            continue
        seen.setdefault(question)
        sheet.answers.append(AnswerRow(row.line, student, question, row.cells[answer_col],
                                       _name(row.cells, columns)))
    sheet.questions = list(seen)
    return sheet


def _wide(table: Table, columns: list[str], student_col: int,
          question_cols: list[int]) -> AnswerSheet:
    sheet = AnswerSheet("wide")
    header = table.header
    repeated = sorted({header[i] for i in question_cols
                       if [header[j] for j in question_cols].count(header[i]) > 1})
    if repeated:
        raise UserError(f"{table.source} line 1: column {repeated[0]!r} appears twice")
    used = {student_col, *question_cols}
    used |= {i for i in (_find(columns, NAME_COLUMNS), _find(columns, FIRST_NAME_COLUMNS),
                         _find(columns, LAST_NAME_COLUMNS)) if i is not None}
    sheet.notes += _ignored_note(table, used)
    sheet.questions = [header[i] for i in question_cols]
    width = len(header)
    first_row: dict[str, int] = {}
    for row in table.rows:
        student = _cell(row.cells, student_col)
        problem = _width_problem(row, width) or (None if student else "missing field 'student'")
        if problem is None and student.casefold() in first_row:
            problem = f"a second row for student {student!r} (first on line " \
                      f"{first_row[student.casefold()]})"
        if problem:
            sheet.rejected.append(Rejection(row.line, student, "", problem))
            continue
        first_row[student.casefold()] = row.line
        name = _name(row.cells, columns)
        for i in question_cols:
            # A cell missing from a short row is an empty answer, as an empty cell is.
            text = row.cells[i] if i < len(row.cells) else ""
            sheet.answers.append(AnswerRow(row.line, student, header[i], text, name))
    return sheet
