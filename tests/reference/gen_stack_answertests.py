"""Tabulate STACK's answer-test fixtures within our scope into stack_answertests.json.

Run once by hand with a copy of STACK's ``tests/fixtures/answertestfixtures.class.php``
(see ``SOURCE`` below); the suite only reads the JSON. Only facts are kept: which test,
its option, the student's and the teacher's expression, and STACK's verdict. STACK's
answer notes and comments (its prose) are not copied.

    python tests/reference/gen_stack_answertests.py path/to/answertestfixtures.class.php

Scope: the tests AlgEquiv, NumRelative, NumAbsolute, NumSigFigs (a single number of
figures) and SigFigsStrict, on expressions made of numbers, + - * / ^, exp, ln/log, sqrt,
%e, %pi and variables (single letters, optionally with digits); no lists, sets, equations,
logic, trigonometry or other functions, and no variable named e (Maxima's e is a variable,
ours is Euler's number).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

SOURCE = {
    "repository": "https://github.com/maths/moodle-qtype_stack",
    "path": "tests/fixtures/answertestfixtures.class.php",
    "commit": "a14f3034a0e45aab27dcae96c526a6095dbf6ef7",
    "licence": "GPL-3.0 (inputs and verdicts tabulated as facts, with this citation)",
}
TESTS = ("AlgEquiv", "NumRelative", "NumAbsolute", "NumSigFigs", "SigFigsStrict")
FUNCTIONS = {"exp", "ln", "log", "sqrt"}
CONSTANTS = {"%e", "%pi", "pi"}
VARIABLE = re.compile(r"[a-zA-Z](?:_?\d+)?")
CHARACTERS = re.compile(r"[0-9A-Za-z_.+\-*/^() %]*")
IDENTIFIER = re.compile(r"%?[A-Za-z_][A-Za-z0-9_]*")
# Scores in the fixtures: 1 same, 0 different, -1 the test reports an error; -2 and -3 are
# known maths failures of STACK where the right verdict is 0 and 1 respectively.
VERDICT = {1: "same", 0: "different", -1: "error", -2: "different", -3: "same"}


def php_rows(text: str) -> list[list]:
    """Every ``[...]`` row of ``$rawdata`` as a list of strings and integers."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)  # block comments, even inside rows
    start = text.index("$rawdata")
    rows, i = [], text.index("[", start) + 1
    while i < len(text):
        c = text[i]
        if c == "[":
            row, i = _row(text, i + 1)
            rows.append(row)
        elif c == "]":
            break
        elif text.startswith("//", i):
            i = text.index("\n", i)
        else:
            i += 1
    return rows


def _row(text: str, i: int) -> tuple[list, int]:
    row: list = []
    while True:
        c = text[i]
        if c == "'":
            value, i = _string(text, i + 1)
            joined = re.match(r"\s*\.\s*'", text[i:])  # 'a' . 'b' is one string
            if row and isinstance(row[-1], _Open):
                row[-1] = row[-1] + value
            else:
                row.append(value)
            if joined:
                row[-1] = _Open(row[-1])
                i += joined.end() - 1
            elif row and isinstance(row[-1], _Open):
                row[-1] = str(row[-1])
        elif (match := re.match(r"-?\d+", text[i:])) and c in "-0123456789":
            row.append(int(match.group(0)))
            i += len(match.group(0))
        elif c == "]":
            return row, i + 1
        else:
            i += 1


class _Open(str):
    """A string still being joined with the next ('a' . 'b')."""


def _string(text: str, i: int) -> tuple[str, int]:
    out = []
    while text[i] != "'":
        if text[i] == "\\" and text[i + 1] in "'\\":
            i += 1
        out.append(text[i])
        i += 1
    return "".join(out), i + 1


def in_scope(expression: str, constant_only: bool) -> bool:
    if not expression.strip() or not CHARACTERS.fullmatch(expression):
        return False
    for match in IDENTIFIER.finditer(expression):
        name = match.group(0)
        follows = expression[match.end():].lstrip()[:1]
        if name in FUNCTIONS and follows == "(":
            continue
        if name in CONSTANTS:
            continue
        if constant_only or name == "e" or not VARIABLE.fullmatch(name):
            return False
    return True


def case(row: list) -> dict | None:
    name, option, student, teacher, score = row[:5]
    if name not in TESTS or score not in VERDICT:
        return None
    numeric = name != "AlgEquiv"
    if name == "AlgEquiv" and option:
        return None
    if name in ("NumSigFigs", "SigFigsStrict") and not re.fullmatch(r"\d+", option):
        return None
    if name in ("NumRelative", "NumAbsolute") and option and not re.fullmatch(
            r"\d*\.?\d+(e-?\d+)?", option):
        return None
    if not in_scope(student, numeric):
        return None
    if name != "SigFigsStrict" and not in_scope(teacher, numeric):
        return None
    return {"test": name, "option": option, "student": student,
            "teacher": teacher if name != "SigFigsStrict" else None,
            "stack": VERDICT[score], "stack_score": score}


def main(path: str) -> None:
    rows = php_rows(Path(path).read_text(encoding="utf-8"))
    cases = [c for c in map(case, rows) if c is not None]
    for number, entry in enumerate(cases, 1):
        entry["n"] = number
    out = Path(__file__).with_name("stack_answertests.json")
    data = {"source": SOURCE, "rows_in_source": len(rows), "cases": cases}
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts = {t: sum(c["test"] == t for c in cases) for t in TESTS}
    print(f"{len(rows)} rows, {len(cases)} in scope: {counts}")


if __name__ == "__main__":
    main(sys.argv[1])
