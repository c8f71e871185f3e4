"""Class rosters: a CSV file with columns ``id`` and ``name``, one student a row.

UTF-8 with or without a byte-order mark, quoting as CSV allows, names in any
script. Each id becomes a folder name, so it must be safe: letters, digits,
``.``, ``_``, ``-``, not starting with ``.``. Every problem is reported as one
line naming the file and line.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

from lstm_sym.errors import UserError
from lstm_sym.key import Student

SAFE_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
MAX_ID = 64


def parse_roster(text: str, source: str = "roster") -> list[Student]:
    """Students from CSV text; `source` names the input in error messages.

    >>> [s.name for s in parse_roster('id,name\\ns1,"O\\'Brien, Ann"\\ns2,李雷\\n')]
    ["O'Brien, Ann", '李雷']
    """
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise UserError(f"{source}: empty file (expected a header line 'id,name')")
        columns = [h.strip().lower() for h in header]
        for needed in ("id", "name"):
            if needed not in columns:
                found = ", ".join(h for h in columns if h) or "nothing"
                raise UserError(f"{source} line 1: missing column '{needed}' (found: {found})")
        id_col, name_col = columns.index("id"), columns.index("name")
        students: list[Student] = []
        first_line: dict[str, int] = {}
        end = reader.line_num
        for row in reader:
            line, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # blank lines are not students
            where = f"{source} line {line}"
            student = _student(row, id_col, name_col, where)
            key = student.id.lower()  # s1 and S1 would share a folder on macOS/Windows
            if key in first_line:
                raise UserError(f"{where}: duplicate id {student.id!r} "
                                f"(first on line {first_line[key]})")
            first_line[key] = line
            students.append(student)
    except csv.Error as exc:
        raise UserError(f"{source} line {reader.line_num}: not valid CSV ({exc})") from None
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
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"--students: cannot read {str(path)!r} ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(f"{path} line {line}: not UTF-8 text (save the roster as UTF-8)") from None
    return parse_roster(text, str(path))
