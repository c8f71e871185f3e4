"""Render a :class:`~lstm_sym.worksheet.Worksheet` as Markdown or LaTeX through templates.

Template families follow nbconvert: ``base/worksheet.j2`` lays out the blocks
(header, instructions, each section's diagram, equations, table, plot and
questions, worked steps, answer space, footer) and ``markdown/`` and ``latex/``
override the leaves. Every family uses LaTeX-safe delimiters: ``((* *))`` for
statements, ``((( )))`` for values, ``((= =))`` for comments.

Escaping is not optional: a value printed without a filter is escaped as plain
text in the format's own syntax (a roster name is never read as TeX or Markdown),
``|prose`` escapes prose and passes its ``$…$`` math through, and ``|math`` marks
model-made LaTeX as safe. A ``--templates DIR`` is searched first, by name; its
templates may extend the built-in ones as ``builtin/<family>/<name>``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache, lru_cache, wraps
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from lstm_sym.exercises.formatting import latex_to_text
from lstm_sym.handouts import layout
from lstm_sym.handouts.content import Section, Step, Worksheet, table_hints
from lstm_sym.handouts.pictures import ascii_label
from lstm_sym.handouts.trace_geometry import cm_text, trace_geometry
from lstm_sym.i18n import catalogue

FORMATS = {"md": "markdown", "tex": "latex"}  # file extension -> template family
MAIN_TEMPLATE = {"md": "markdown/worksheet.md.j2", "tex": "latex/worksheet.tex.j2"}
DELIMITERS = {"block_start_string": "((*", "block_end_string": "*))",
              "variable_start_string": "(((", "variable_end_string": ")))",
              "comment_start_string": "((=", "comment_end_string": "=))"}


def _per_text(escape: Callable[[str], Markup]) -> Callable[[Any], Markup]:
    """Memoise an escaping function by its text: a class's sheets repeat most of their
    prose, so each sentence is escaped once per process, not once per student."""
    cached = lru_cache(maxsize=1 << 14)(escape)

    @wraps(escape)
    def filter_(text: Any) -> Markup:
        return cached(text if type(text) is str else str(text))

    return filter_


# --- LaTeX escaping ---------------------------------------------------------------

# Every character TeX treats specially, plus those T1/TU fonts print differently
# from their ASCII look (', `, ", <, >, |), so a name prints exactly as typed.
_TEX_LITERAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", '"': r"\textquotedbl{}",
    "'": r"\textquotesingle{}", "`": r"\textasciigrave{}", "-": "-{}",
}
_TEX_LITERAL_RE = re.compile("|".join(re.escape(c) for c in _TEX_LITERAL))
# Prose keeps typographic quotes and hyphens but still cannot inject TeX.
_TEX_PROSE = {k: v for k, v in _TEX_LITERAL.items() if k not in "'`\"-"}
_TEX_PROSE_RE = re.compile("|".join(re.escape(c) for c in _TEX_PROSE) + r"|--+")
_MATH_RE = re.compile(r"\$\$(.+?)\$\$|\$([^$]+?)\$", re.DOTALL)


@_per_text
def tex_escape(text: str) -> Markup:
    """Plain text (a name, an id, a title a user typed) as LaTeX that prints it literally.

    >>> print(tex_escape(r"O'Brien & {\\input{/etc/passwd}}"))
    O\\textquotesingle{}Brien \\& \\{\\textbackslash{}input\\{/etc/passwd\\}\\}
    >>> print(tex_escape("100%_$#^~"))
    100\\%\\_\\$\\#\\textasciicircum{}\\textasciitilde{}
    """
    text = " ".join(str(text).split("\n"))
    return Markup(_TEX_LITERAL_RE.sub(lambda m: _TEX_LITERAL[m.group(0)], text))


def _tex_prose_part(text: str) -> str:
    def sub(m: re.Match) -> str:
        s = m.group(0)
        return "-{}" * len(s) if s.startswith("-") else _TEX_PROSE[s]

    return _TEX_PROSE_RE.sub(sub, text)


def split_math(text: str) -> list[tuple[bool, str]]:
    """Prose and math parts of a content-model string, in order (math without ``$``).

    ``$$…$$`` is display math; a lone ``$`` is prose.

    >>> split_math("c is $7$, so $$y = 7$$")
    [(False, 'c is '), (True, '7'), (False, ', so '), (True, '$y = 7$')]
    """
    parts: list[tuple[bool, str]] = []
    pos = 0
    for m in _MATH_RE.finditer(text):
        if m.start() > pos:
            parts.append((False, text[pos : m.start()]))
        parts.append((True, m.group(2) if m.group(2) is not None else f"${m.group(1)}$"))
        pos = m.end()
    if pos < len(text):
        parts.append((False, text[pos:]))
    return parts


# Plain text that prints equations in Unicode (the key's hints: c′ = z·i + c·f, hₜ₋₁, W_z)
# needs math mode in LaTeX, where Latin Modern has no σ and no subscript glyphs.
_UNICODE_TEX = {"σ": r"\sigma", "⊙": r"\odot", "·": r"\cdot", "×": r"\times", "′": "'",
                "−": "-", "≈": r"\approx", "≤": r"\le", "≥": r"\ge", "→": r"\to"}
_SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉ₜ₋₊", "0123456789t-+"))
_SUP = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵗ", "0123456789-t"))
_UNICODE_MATH = re.compile(r"\b[A-Za-z]_[A-Za-z0-9]{1,2}\b|[σ⊙·×′−≈≤≥→]|[₀-₉ₜ₋₊]+|[⁰¹²³⁴-⁹⁻ᵗ]+")


def _unicode_math(match: re.Match) -> str:
    token = match.group(0)
    if "_" in token:
        base, _, sub = token.partition("_")
        return f"${base}_{{{sub}}}$"
    if token[0] in _SUB:
        return "$_{" + "".join(_SUB[c] for c in token) + "}$"
    if token[0] in _SUP:
        return "$^{" + "".join(_SUP[c] for c in token) + "}$"
    return f"${_UNICODE_TEX[token]}$"


def tex_plain(text: str) -> Markup:
    """Plain text with Unicode equations (as key.json's hints are) as LaTeX prose.

    >>> print(tex_plain("Its equation: c′ = z·i + c·f, with hₜ₋₁ and W_z & σ."))
    Its equation: c$'$ = z$\\cdot$i + c$\\cdot$f, with h$_{t-1}$ and $W_{z}$ \\& $\\sigma$.
    """
    return tex_prose(_UNICODE_MATH.sub(_unicode_math, str(text).replace("$", "＄")).replace("＄", r"\$"))


@_per_text
def tex_prose(text: str) -> Markup:
    """Prose with ``$…$`` math as LaTeX: the prose escaped, the math passed through.

    >>> print(tex_prose("Fill 50% of the cells: $c_t = 7$ & more"))
    Fill 50\\% of the cells: $c_t = 7$ \\& more
    """
    out = []
    for is_math, part in split_math(str(text)):
        if not is_math:
            out.append(_tex_prose_part(part))
        elif part.startswith("$"):
            out.append(rf"\[{part[1:-1]}\]")
        else:
            out.append(f"${part}$")
    return Markup("".join(out))


_NUMBER_RE = re.compile(r"[-−+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


@_per_text
def tex_cell(text: str) -> Markup:
    """A table entry: a bare number is set as math (a true minus sign), else prose.

    >>> print(tex_cell("-1"), tex_cell("open"))
    $-1$ open
    """
    text = str(text).strip()
    if _NUMBER_RE.fullmatch(text):
        return Markup(f"${text.replace('−', '-')}$")
    return tex_prose(text)


def head_cell(text: Any) -> Markup:
    """A table's header or row label: LaTeX math (``z_i``, ``t``), or prose when it
    holds ``$…$`` itself.

    >>> print(head_cell("z_i"), head_cell("step $t$"))
    $z_i$ step $t$
    """
    text = str(text)
    return Markup(f"${text}$") if "$" not in text else tex_prose(text)


def md_head_cell(text: Any) -> Markup:
    """:func:`head_cell` for Markdown tables.

    >>> print(md_head_cell("z_i"))
    $z_i$
    """
    text = str(text)
    return Markup(f"${text}$") if "$" not in text else md_cell(text)


# --- Markdown escaping ------------------------------------------------------------

_MD_INLINE_RE = re.compile(r"([\\`*_\[\]<>|~$&#])")
# Block markers only mean something at the start of a line: "- ", "> ", "1. ", "===".
_MD_LINE_START_RE = re.compile(r"^(\s*)(?:([-+>=])|(\d+)([.)]))", re.MULTILINE)


def _md_line_starts(text: str) -> str:
    return _MD_LINE_START_RE.sub(
        lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"),
        text)


@_per_text
def md_escape(text: str) -> Markup:
    """Plain text as Markdown that shows it literally (GitHub, Jupyter), on one line so
    that it cannot end a paragraph or a table row (the grading report's cells use it too).

    >>> print(md_escape("O'Brien & {x} 100%_$#^~ *a*"))
    O'Brien \\& {x} 100%\\_\\$\\#^\\~ \\*a\\*
    """
    text = " ".join(str(text).splitlines())
    return Markup(_md_line_starts(_MD_INLINE_RE.sub(r"\\\1", text)))


def md_prose(text: Any, block: bool = True) -> Markup:
    """Prose with ``$…$`` math as Markdown: prose escaped, math kept for GitHub/Jupyter.
    `block` also escapes what would start a list or quote at the start of a line.

    >>> print(md_prose("Set *x* to $x_1 = 3$."))
    Set \\*x\\* to $x_1 = 3$.
    """
    return _md_prose(text if type(text) is str else str(text), block)


@lru_cache(maxsize=1 << 14)
def _md_prose(text: str, block: bool) -> Markup:
    out = []
    for is_math, part in split_math(text):
        if not is_math:
            out.append(_MD_INLINE_RE.sub(r"\\\1", part))
        elif part.startswith("$"):
            out.append(f"\n\n$${part[1:-1]}$$\n\n")
        else:
            out.append(f"${part.strip()}$")
    text = "".join(out)
    return Markup(_md_line_starts(text) if block else text)


@_per_text
def md_cell(text: str) -> Markup:
    """A Markdown table cell or choice: a bare number as math (a true minus sign), else
    prose; ``|`` escaped even inside math (GitHub splits table rows before math).

    >>> print(md_cell("$|x|$"), md_cell("-10"))
    $\\|x\\|$ $-10$
    """
    if _NUMBER_RE.fullmatch(str(text).strip()):
        return Markup(f"${str(text).strip().replace('−', '-')}$")
    return Markup(str(md_prose(text, block=False)).replace("\\|", "|").replace("|", "\\|"))


@_per_text
def mermaid_text(text: str) -> Markup:
    """Plain text inside a quoted Mermaid label: quotes and angle brackets as entities.

    >>> print(mermaid_text('say "hi" <b>'))
    say #quot;hi#quot; #lt;b#gt;
    """
    text = " ".join(str(text).split())
    return Markup(text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;"))


def math(text: Any) -> Markup:
    """LaTeX the cell model produced (equations, formulas): trusted as is."""
    return Markup(str(text))


@lru_cache(maxsize=1 << 14)
def step_value(step: Step) -> str:
    """The value a worked step arrives at, unless its formula already ends with it.

    >>> step_value(Step("add", math="c = 3 + 4 = 7", value="$7$"))
    ''
    >>> step_value(Step("gate", math=r"\\sigma(80) \\approx 1", value="1"))
    ''
    >>> step_value(Step("add", math="c = 3 + 4", value="$7$"))
    '$7$'
    >>> step_value(Step("both", math=r"c = 7, \\quad y = 7", value=r"$c = 7,\\ y = 7$"))
    ''
    """
    if not step.value or not step.math:
        return step.value or ""
    bare, formula = _squeeze(step.value.strip().strip("$")), _squeeze(step.math)
    ends = tuple(rel + bare for rel in ("=", r"\approx", r"\equiv"))
    return "" if formula == bare or formula.endswith(ends) else step.value


def is_chosen(choice: str, answer: str) -> bool:
    """Whether a choice is the answer, as text or as math (``u`` and ``$u$`` alike).

    >>> is_chosen("u", "$u$"), is_chosen("r", "$u$"), is_chosen("x", "")
    (True, False, False)
    """
    return bool(answer) and _squeeze(choice.strip().strip("$")) == _squeeze(
        answer.strip().strip("$"))


_TEX_SPACING_RE = re.compile(r"\\(?:quad|qquad|[,;:! ])|\s+")


@lru_cache(maxsize=1 << 14)
def _squeeze(tex: str) -> str:
    """LaTeX without spaces and spacing commands, to compare two formulas."""
    return _TEX_SPACING_RE.sub("", tex)


# --- environments -----------------------------------------------------------------

def builtin_templates() -> Path:
    """The folder of the shipped templates: ``lstm_sym/templates`` when installed (see
    pyproject's package-dir), the top-level ``templates/`` in a source checkout.

    >>> (builtin_templates() / "base" / "worksheet.j2").is_file()
    True
    """
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates"
    return installed if (installed / "base").is_dir() else package.parent / "templates"


def _finalize_for(escape: Callable[[Any], Markup]) -> Callable[[Any], Any]:
    """Escape every printed value in the format's own way, unless it is already Markup
    (a filter's output, or text a template made)."""
    def finalize(value: Any) -> Markup:
        if value is None:
            return Markup("")
        return value if isinstance(value, Markup) else escape(value)

    return finalize


class SheetEnvironment(jinja2.Environment):
    """Jinja without HTML autoescaping: text a template makes (a block's ``super()``, a
    macro, ``caller()``, a ``set`` block) is joined into Markup, so the finalize escapes
    only values that come from outside — and never as HTML."""

    concat = staticmethod(lambda parts: Markup("".join(parts)))


FILTERS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "tex": {"e": tex_escape, "prose": tex_prose, "math": math, "cell": tex_cell,
            "headcell": head_cell, "hint": tex_plain},
    "md": {"e": md_escape, "prose": md_prose, "math": math, "cell": md_cell,
           "headcell": md_head_cell, "hint": lambda text: md_prose(text, False)},
}
ESCAPE = {"tex": tex_escape, "md": md_escape}


def tikz_point(point: tuple[float, float]) -> Markup:
    """A point of the trace geometry (cm) as a TikZ coordinate.

    >>> print(tikz_point((1.25, -0.0)))
    (1.25,0)
    """
    return Markup(f"({cm_text(point[0])},{cm_text(point[1])})")


def tikz_polyline(points: Sequence[tuple[float, float]]) -> Markup:
    """Points joined by straight lines.

    >>> print(tikz_polyline([(0, 0), (1, 0.5)]))
    (0,0) -- (1,0.5)
    """
    return Markup(" -- ".join(map(tikz_point, points)))


def pgf_point(point: tuple[float, float]) -> Markup:
    """A point (cm) as PGF's quick point, which TeX reads without parsing.

    >>> print(pgf_point((1.25, -0.5)))
    {\\pgfqpoint{1.25cm}{-0.5cm}}
    """
    return Markup(f"{{\\pgfqpoint{{{cm_text(point[0])}cm}}{{{cm_text(point[1])}cm}}}}")


def pgf_qpath(points: Sequence[tuple[float, float]]) -> Markup:
    """Points (cm) as one open path of PGF's quick commands: a move to the first, lines to
    the others (TeX reads them without TikZ's parser).

    >>> print(pgf_qpath([(0, 0), (1, 0.5)]))
    \\pgfpathqmoveto{0cm}{0cm}\\pgfpathqlineto{1cm}{0.5cm}
    """
    corners = [f"{{{cm_text(x)}cm}}{{{cm_text(y)}cm}}" for x, y in points]
    return Markup("\\pgfpathqmoveto" + corners[0] + "".join("\\pgfpathqlineto" + c for c in corners[1:]))


def pgf_mark(point: tuple[float, float], outline: Sequence[tuple[float, float]],
             radius: float) -> Markup:
    """A filled marker at `point`: a circle of `radius`, or the polygon `outline` (its
    corners around the centre) moved there, with PGF's quick path commands.

    >>> print(pgf_mark((1, 2), (), 0.1))
    \\pgfpathcircle{\\pgfqpoint{1cm}{2cm}}{0.1cm}\\pgfusepathqfill
    >>> print(pgf_mark((1, 2), [(0, 0.1), (-0.1, -0.05), (0.1, -0.05)], 0.1))
    \\pgfpathqmoveto{1cm}{2.1cm}\\pgfpathqlineto{0.9cm}{1.95cm}\\pgfpathqlineto{1.1cm}{1.95cm}\\pgfpathclose\\pgfusepathqfill
    """
    x, y = point
    if not outline:
        return Markup(f"\\pgfpathcircle{pgf_point(point)}{{{cm_text(radius)}cm}}\\pgfusepathqfill")
    corners = pgf_qpath([(x + dx, y + dy) for dx, dy in outline])
    return Markup(f"{corners}\\pgfpathclose\\pgfusepathqfill")


def digest(text: str) -> str:
    """A short name for a piece of LaTeX: the same text, the same name (the key under
    which ``\\sheetkeep`` keeps a picture every sheet of a class shares).

    >>> digest("a"), digest("a") == digest("b")
    ('86f7e437faa5a7fc', False)
    """
    return hashlib.sha1(str(text).encode("utf-8")).hexdigest()[:16]


def xcolor(rgb: str) -> str:
    """A ``#rrggbb`` colour as xcolor's inline syntax.

    >>> xcolor("#0072B2")
    '{rgb,255:red,0;green,114;blue,178}'
    """
    red, green, blue = (int(rgb[k:k + 2], 16) for k in (1, 3, 5))
    return f"{{rgb,255:red,{red};green,{green};blue,{blue}}}"


@lru_cache(maxsize=16)
def environment(fmt: str, templates: str | None = None) -> jinja2.Environment:
    """The Jinja environment of a format (``md`` or ``tex``), cached: templates are
    compiled once per process however many students a class has.

    >>> environment("tex").finalize("50%")
    Markup('50\\\\%')
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    builtin = jinja2.FileSystemLoader(str(builtin_templates()))
    loaders: list[jinja2.BaseLoader] = [builtin, jinja2.PrefixLoader({"builtin": builtin})]
    if templates is not None:
        loaders.insert(0, jinja2.FileSystemLoader(templates))
    env = SheetEnvironment(
        loader=jinja2.ChoiceLoader(loaders), autoescape=False, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a run: no stat per render
        finalize=_finalize_for(ESCAPE[fmt]), **DELIMITERS)
    env.filters.update(FILTERS[fmt])
    # "(" next to "(((" would read as part of the delimiter, so parentheses are a filter.
    env.filters["parens"] = lambda value: Markup(f"({env.finalize(value)})")
    env.filters["xcolor"] = lambda rgb: Markup(xcolor(rgb))
    env.filters.update(xy=tikz_point, polyline=tikz_polyline, pgfpoint=pgf_point, pgfmark=pgf_mark,
                       qpath=pgf_qpath,
                       cm=lambda value: Markup(cm_text(value)), digest=digest)
    env.globals.update(trace_geometry=trace_geometry)
    env.filters["plain"] = latex_to_text
    env.filters["ascii"] = ascii_label
    env.filters["side_by_side"] = layout.side_by_side
    env.filters["mermaid"] = mermaid_text
    env.filters["step_value"] = step_value
    env.tests["chosen"] = is_chosen
    return env


class Labels(dict):
    """The sheet's fixed words, readable as ``L.name`` (no failed attribute lookup per
    use, as a plain dict would cost Jinja) and as ``L["plot.time"]``."""

    def __getattr__(self, name: str) -> str:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def labels_for(ws: Worksheet) -> Labels:
    """The sheet's fixed words: the catalogue's ``ui.*`` messages by short name
    (``ui.name`` → ``name``), overridden by the worksheet's own labels.

    >>> labels_for(Worksheet("T", "zh", "worksheet", ()))["name"]
    '姓名'
    """
    words = Labels(_ui_words(ws.lang))
    words.update(ws.labels)
    return words


@cache
def _ui_words(lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((key[3:], text) for key, text in catalogue(lang).items()
                 if key.startswith("ui.") and not key.startswith("ui.cli."))


def plot_file_name(ws: Worksheet, section: Section) -> str:
    """The SVG file beside the Markdown for a section's plot: ``trace.svg``, then
    ``trace-2.svg``… when a sheet has several.

    >>> from lstm_sym.handouts.content import TracePlot
    >>> sec = Section("trace", "T", plot=TracePlot((1,), {"c": (1.0,)}, {}))
    >>> plot_file_name(Worksheet("W", "en", "solutions", (sec,)), sec)
    'trace.svg'
    """
    plots = [s for s in ws.sections if s.plot is not None]
    k = next((n for n, s in enumerate(plots, start=1) if s is section), 1)
    return "trace.svg" if k == 1 else f"trace-{k}.svg"


def _has_content(section: Section) -> bool:
    """A section left with only its title (the plot section of a student edition) is
    not shown."""
    return bool(section.intro or section.items or section.table or section.math
                or section.diagram or section.plot)


def render(ws: Worksheet, fmt: str, *, templates: str | Path | None = None,
           extra: Mapping[str, Any] | None = None) -> str:
    """The worksheet as text in `fmt` (``md`` or ``tex``).

    `extra` adds template variables (e.g. a course name for a custom template).

    >>> from lstm_sym.handouts.content import Section
    >>> ws = Worksheet("Gates & memory", "en", "worksheet", (Section("cell", "The cell"),))
    >>> render(ws, "md").splitlines()[0]
    '# Gates \\\\& memory'
    """
    env = environment(fmt, None if templates is None else str(templates))
    words = labels_for(ws)
    in_table = layout.table_questions(ws)
    form = ws.edition == "worksheet"  # a form to fill in: name lines, instructions
    context = {
        "ws": ws, "L": words, "fmt": fmt, "form": form,
        "sections": [section for section in ws.sections if _has_content(section)],
        "numbers": layout.question_numbers(ws), "boxes": layout.box_numbers(ws),
        "table_questions": in_table,
        "groups": lambda section: layout.groups(section, in_table),
        "table_hints": lambda section: table_hints(section, in_table),
        "grid": lambda table: layout.transposed(table) if layout.turn(table) else table,
        "points": lambda section: layout.points_of(section, in_table),
        "total_points": layout.total_points(ws), "minutes": layout.minutes(ws),
        "goals": [words[f"goal.{name}"] for name in layout.goals(ws)],
        "item_room": lambda item: layout.item_room(item, in_table),
        "flow_positions": layout.flow_positions,
        "section_room": lambda section: layout.section_room(section, in_table),
        "working_lines": layout.working_lines,
        "inline_answer": lambda item: layout.inline_answer(item, in_table),
        "short_answer": layout.short_answer,
        "edition_label": words[f"edition.{ws.edition}"],
        "plot_file": lambda section: plot_file_name(ws, section),
        **(extra or {}),
    }
    try:
        text = env.get_template(MAIN_TEMPLATE[fmt]).render(context)
    except jinja2.TemplateNotFound as exc:
        raise _user_error(f"template {exc.name!r} not found", templates) from None
    except jinja2.TemplateSyntaxError as exc:
        raise _user_error(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}",
                          templates) from None
    except jinja2.UndefinedError as exc:
        raise _user_error(f"{exc.message}", templates) from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _user_error(message: str, templates: str | Path | None) -> Exception:
    """A template problem: the user's if they gave --templates, else our bug."""
    if templates is None:
        return RuntimeError(message)
    from lstm_sym.errors import UserError

    return UserError(f"--templates: {message}")
