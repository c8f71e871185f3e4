"""Practice notebooks: the worksheet as a Jupyter notebook (nbformat 4) that checks answers.

The sheet's Markdown (the built-in templates, with a thin ``notebook/`` layer that
marks where code goes) is cut into Markdown cells; under each question to answer is
a code cell ``check("trace.t2.c", ...)``. The first code cell binds ``check`` to the
answer key, embedded in the notebook (see :mod:`lstm_sym.api.checks`), so a single
file works. A practice notebook therefore contains its answers: it is for practice,
never for graded work, and with a roster it goes to the teacher's folder.

The JSON is written with the standard library (no nbformat needed to write one);
the same sheet gives the same bytes.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Mapping
from typing import Any

from lstm_sym.errors import UserError
from lstm_sym.handouts.content import Worksheet
from lstm_sym.handouts.render import builtin_templates, render
from lstm_sym.i18n import msg

NBFORMAT, NBFORMAT_MINOR = 4, 5
_MARKER = re.compile(r"<!--lstm_sym:(setup|diagram-end|diagram|check) ?([^>]*?)-->")
_MERMAID = re.compile(r"```mermaid\n(.*?)```", re.DOTALL)


def _lines(text: str) -> list[str]:
    """nbformat's multi-line string: a list of lines, each but the last ending in \\n."""
    return text.splitlines(keepends=True)


def _cell_id(kind: str, n: int) -> str:
    return f"{kind}-{n:03d}"


def markdown_cell(text: str, n: int, attachments: Mapping[str, Mapping[str, str]] | None = None
                  ) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": "markdown", "id": _cell_id("md", n), "metadata": {},
                            "source": _lines(text)}
    if attachments:
        cell["attachments"] = {name: dict(bundle) for name, bundle in attachments.items()}
    return cell


def code_cell(source: str, n: int, metadata: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {"cell_type": "code", "execution_count": None, "id": _cell_id("code", n),
            "metadata": dict(metadata or {}), "outputs": [], "source": _lines(source)}


def setup_source(key: Mapping[str, Any], lang: str) -> str:
    """The first code cell: `check` bound to the embedded key (or a key.json beside)."""
    return "\n".join([
        f"# {msg(lang, 'notebook.setup_comment')}",
        "from lstm_sym import Practice",
        "",
        f'KEY = "{pack_key(key)}"',
        'check = Practice.load(embedded=KEY, beside="key.json")',
        "check",
    ])


def pack_key(key: Mapping[str, Any]) -> str:
    """A key as one line of text to embed in a notebook (JSON, zlib, base64): the answers
    are in the notebook, but not in plain sight.

    >>> unpack_key(pack_key({"a": [1, 2]}))
    {'a': [1, 2]}
    """
    data = json.dumps(key, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(zlib.compress(data, 9)).decode("ascii")


def unpack_key(text: str) -> dict[str, Any]:
    """The key :func:`pack_key` embedded; a damaged one is a :class:`UserError`."""
    try:
        return json.loads(zlib.decompress(base64.b64decode(text.encode("ascii"), validate=True)))
    except (ValueError, zlib.error) as exc:
        raise UserError(f"embedded key: cannot read it ({exc})") from None


# Examples of how to write an answer; one that happens to be a question's answer is skipped.
EXAMPLES = {"number": ("2/5", "5/8"), "expression": ("2/5", "5/8"), "vector": ("[1, 0, 2]",
                                                                             "[2, 0, 1]")}


def _example(candidates, question: Mapping[str, Any]) -> str:
    """The first example that is not (spelled like) one of the question's right answers.

    >>> _example(["3/4", "2/5"], {"answer": "3/4", "accept": []})
    '2/5'
    """
    def squeeze(text: str) -> str:
        return "".join(str(text).split())

    right = {squeeze(a) for a in [question.get("answer", ""), question.get("exact") or "",
                                  *(question.get("accept") or ())]}
    return next((c for c in candidates if squeeze(c) not in right), candidates[-1])


def check_source(question: Mapping[str, Any], lang: str) -> str:
    """A question's code cell: the student replaces ``...`` with an answer; the comment
    says how to write one of this kind (the choices of a choice question).

    >>> check_source({"id": "trace.t2.c", "kind": "number"}, "en")
    'check("trace.t2.c", ...)  # a number (a fraction in quotes, e.g. "2/5")'
    >>> check_source({"id": "g", "kind": "choice", "choices": ["x1", "x2"]}, "en")
    'check("g", ...)  # one of "x1", "x2"'
    >>> check_source({"id": "f", "kind": "expression", "variables": ["m", "n"]}, "en")
    'check("f", ...)  # a formula in m, n, in quotes, e.g. "2*m + 1"'
    """
    kind = question.get("kind", "number")
    variables = question.get("variables") or ()
    if kind == "choice":
        options = ", ".join(json.dumps(c, ensure_ascii=False) for c in question["choices"])
        how = msg(lang, "notebook.how.choice", choices=options)
    elif kind in ("expression", "vector") and variables:  # Python cannot read m or x1 unquoted
        v = variables[0]
        examples = [f"2*{v} + 1", f"3*{v} - 2"] if kind == "expression" else [f"[2*{v}, 1]",
                                                                             f"[1, 3*{v}]"]
        how = msg(lang, f"notebook.how.{kind}_in", names=", ".join(variables),
                  example=_example(examples, question))
    else:
        how = msg(lang, f"notebook.how.{kind}",
                  example=_example(EXAMPLES.get(kind, ("",)), question))
    return f"check({json.dumps(question['id'], ensure_ascii=False)}, ...)  # {how}"


def diagram_cells(markdown: str, lang: str, first: int) -> list[dict[str, Any]]:
    """The sheet's diagram block as cells: each Mermaid chart drawn as an SVG attachment
    (Jupyter and Colab show no Mermaid), the caption around it as Markdown. A chart the
    drawing cannot read stays Mermaid (JupyterLab 4.1+ renders it)."""
    from lstm_sym.handouts.flowchart import draw

    cells: list[dict[str, Any]] = []
    pos = 0
    for k, match in enumerate(_MERMAID.finditer(markdown), start=1):
        try:
            picture = draw(match.group(1))
        except ValueError:
            continue
        before = markdown[pos:match.start()].strip()
        if before:
            cells.append(markdown_cell(before, first + len(cells)))
        name = f"diagram-{k}.svg" if k > 1 else "diagram.svg"
        alt = msg(lang, "notebook.diagram_alt")
        cells.append(markdown_cell(f"![{alt}](attachment:{name})", first + len(cells),
                                   {name: {"image/svg+xml": base64.b64encode(picture).decode()}}))
        pos = match.end()
    rest = markdown[pos:].strip()
    if rest:
        cells.append(markdown_cell(rest, first + len(cells)))
    return cells


def notebook(solutions: Worksheet, key: Mapping[str, Any]) -> dict[str, Any]:
    """The practice notebook of a sheet (its solutions edition) and its key, as nbformat
    4 JSON data. Questions worked on the sheet get no code cell.

    >>> from lstm_sym.exercises import build_set
    >>> from lstm_sym.handouts.content import build_worksheet
    >>> s = build_set(); nb = notebook(build_worksheet(s, "en"), s.key())
    >>> [c["source"] for c in nb["cells"] if c["cell_type"] == "code"][1]
    ['check("trace.t2.z", ...)  # a whole number']
    """
    ws = solutions.student_edition()
    by_id = {q["id"]: q for q in key["questions"]}
    checked = [q["id"] for q in key["questions"] if not q.get("worked")]
    text = render(ws, "md", templates=builtin_templates() / "notebook", extra={
        "checked": set(checked),
        "practice_title": msg(ws.lang, "notebook.practice_title"),
        "practice_note": msg(ws.lang, "notebook.practice_note"),
    })
    cells: list[dict[str, Any]] = []
    asked: list[str] = []
    pos = 0
    for match in _MARKER.finditer(text):
        before = text[pos:match.start()].strip()
        what, arg = match.group(1), match.group(2).strip()
        if what == "diagram-end":
            cells += diagram_cells(before, ws.lang, len(cells))
        elif before:
            cells.append(markdown_cell(before, len(cells)))
        if what == "setup":
            cells.append(code_cell(setup_source(key, ws.lang), len(cells),
                                   {"jupyter": {"source_hidden": True}}))
        elif what == "check":
            cells.append(code_cell(check_source(by_id[arg], ws.lang), len(cells)))
            asked.append(arg)
        pos = match.end()
    rest = text[pos:].strip()
    if rest:
        cells.append(markdown_cell(rest, len(cells)))
    missing = set(checked) - set(asked)
    if missing:  # a question the templates did not show would be unanswerable
        raise RuntimeError(f"practice notebook: no cell for {sorted(missing)[:3]}")
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "lstm_sym": {"key_schema": key.get("schema"), "lang": ws.lang,
                         "student": (key.get("student") or {}).get("id")},
        },
        "nbformat": NBFORMAT,
        "nbformat_minor": NBFORMAT_MINOR,
    }


def notebook_bytes(solutions: Worksheet, key: Mapping[str, Any]) -> bytes:
    """The .ipynb file's bytes: UTF-8 JSON, one-space indent as Jupyter writes it."""
    data = notebook(solutions, key)
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
