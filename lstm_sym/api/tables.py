"""Small HTML and Markdown tables for results shown in Jupyter.

Every cell's text is escaped: values come from the model, but names can come from a
user's weights file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

_SUBSCRIPT = re.compile(r"^([A-Za-z]+)_\{?([A-Za-z0-9]+)\}?$")


def name_html(name: str) -> str:
    """A value's name as the lecture writes it: ``z_i`` → italic z, subscript i.

    >>> name_html("z_i"), name_html("c"), name_html("<b>")
    ('<i>z</i><sub>i</sub>', '<i>c</i>', '&lt;b&gt;')
    """
    match = _SUBSCRIPT.match(name)
    if match:
        return f"<i>{html.escape(match.group(1))}</i><sub>{html.escape(match.group(2))}</sub>"
    if name.isalpha():
        return f"<i>{html.escape(name)}</i>"
    return html.escape(name)


def html_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, caption: str = "",
               header_html: bool = False, align: str = "right") -> str:
    """An HTML table; `header_html` says the header entries are HTML already.

    >>> print(html_table(["a", "b"], [["1", "<2>"]], caption="T"))
    <table class="lstm-sym"><caption>T</caption>
    <thead><tr><th style="text-align:right">a</th><th style="text-align:right">b</th></tr></thead>
    <tbody>
    <tr><td style="text-align:right">1</td><td style="text-align:right">&lt;2&gt;</td></tr>
    </tbody></table>
    """
    style = f' style="text-align:{align}"'
    head = "".join(f"<th{style}>{h if header_html else html.escape(h)}</th>" for h in header)
    body = "\n".join("<tr>" + "".join(f"<td{style}>{html.escape(str(c))}</td>" for c in row)
                     + "</tr>" for row in rows)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<table class="lstm-sym">{cap}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n'
            "</tbody></table>")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table; ``|`` in a cell is escaped.

    >>> print(markdown_table(["a", "b"], [["1", "x|y"]]))
    | a | b |
    |---:|---:|
    | 1 | x\\|y |
    """
    def cell(text: object) -> str:
        return str(text).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---:|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def paragraphs_html(lines: Sequence[str]) -> str:
    """Plain sentences as HTML paragraphs (escaped).

    >>> paragraphs_html(["a < b"])
    '<p>a &lt; b</p>'
    """
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)
