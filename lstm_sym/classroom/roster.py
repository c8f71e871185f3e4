"""Class rosters: a CSV file with columns ``id`` and ``name``, one student a row.

Read as every CSV file is (csvio: UTF-8 with or without a byte-order mark, commas,
semicolons or tabs, quoting as CSV allows), names in any script. Each id becomes a
folder name, so it must be safe: letters, digits, ``.``, ``_``, ``-``, not starting
with ``.``. Every problem is reported as one line naming the file and line.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from lstm_sym.classroom.csvio import Table, normalize_header, parse_table, read_table
from lstm_sym.errors import UserError
from lstm_sym.key import Student

SAFE_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
MAX_ID = 64


def parse_roster(text: str, source: str = "roster") -> list[Student]:
    """Students from CSV text (read as every CSV file is, see csvio); `source` names the
    input in error messages. Unlike an answers file, a roster is all or nothing: a row
    that is not CSV is an error, not a row left out.

    >>> [s.name for s in parse_roster('id,name\\ns1,"O\\'Brien, Ann"\\ns2,李雷\\n')]
    ["O'Brien, Ann", '李雷']
    """
    return roster_students(parse_table(text, source, expected="id,name"))


def roster_students(table: Table) -> list[Student]:
    """The students of a roster read as a table; every problem is a UserError."""
    source = table.source
    if table.bad:
        bad = table.bad[0]
        raise UserError(f"{source} line {bad.line}: not valid CSV: {bad.reason}")
    columns = [normalize_header(h) for h in table.header]
    for needed in ("id", "name"):
        if needed not in columns:
            found = ", ".join(h for h in columns if h) or "nothing"
            raise UserError(f"{source} line 1: missing column '{needed}' (found: {found})")
    id_col, name_col = columns.index("id"), columns.index("name")
    students: list[Student] = []
    first_line: dict[str, int] = {}
    for row in table.rows:
        where = f"{source} line {row.line}"
        student = _student(list(row.cells), id_col, name_col, where)
        key = student.id.lower()  # s1 and S1 would share a folder on macOS/Windows
        if key in first_line:
            raise UserError(f"{where}: duplicate id {student.id!r} "
                            f"(first on line {first_line[key]})")
        first_line[key] = row.line
        students.append(student)
    if not students:
        raise UserError(f"{source}: no students (only a header line)")
    return students


def _student(row: list[str], id_col: int, name_col: int, where: str) -> Student:
    if len(row) <= max(id_col, name_col):
        raise UserError(f"{where}: expected at least {max(id_col, name_col) + 1} fields, "
                        f"found {len(row)}")
    sid, name = row[id_col].strip(), " ".join(row[name_col].split())
    if not sid:
        raise UserError(f"{where}: empty id")
    if not SAFE_ID.fullmatch(sid) or len(sid) > MAX_ID:
        raise UserError(f"{where}: id {sid!r} is not a safe folder name (use letters, digits, "
                        f"'.', '_', '-', not starting with '.', at most {MAX_ID} characters)")
    if not name:
        raise UserError(f"{where}: empty name for id {sid!r}")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise UserError(f"{where}: the name for id {sid!r} contains a control character")
    return Student(sid, name)


def read_roster(path: str | Path) -> list[Student]:
    """Students from a roster file; a missing or unreadable file is a user error.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = p.write_bytes("\\ufeffid,name\\r\\ns001,Ada\\r\\n".encode())
    >>> read_roster(p)
    [Student(id='s001', name='Ada')]
    """
    return roster_students(read_table(path, "--students", expected="id,name"))
