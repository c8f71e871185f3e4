"""Rendering the content model: escaping, editions, pictures, template overrides."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_render_sample import sample_worksheet

import lstm_sym.cli.worksheet as command
from lstm_sym.errors import UserError
from lstm_sym.exercises.formatting import latex_to_text
from lstm_sym.handouts import render as render_module
from lstm_sym.handouts.content import Student
from lstm_sym.handouts.pictures import trace_svg
from lstm_sym.handouts.render import (
    builtin_templates,
    environment,
    md_escape,
    md_prose,
    render,
    split_math,
    tex_cell,
    tex_escape,
    tex_prose,
)
from lstm_sym.i18n import catalogue

NASTY = "O'Brien & {\\input{/etc/passwd}} 100%_$#^~"
# What tex_escape may emit: plain characters, \{ \} \$ \& \# \_ \%, and a few \text…{} macros.
_SAFE_TEX = re.compile(r"(?:[^\\{}$&#^_%~]|\\[{}$&#_%]|\\text[a-z]+\{\}|-\{\})*")


@given(st.text())
def test_tex_escape_leaves_nothing_tex_would_read(text):
    escaped = str(tex_escape(text))
    assert _SAFE_TEX.fullmatch(escaped), escaped
    assert "\n" not in escaped  # a name cannot end a paragraph or a macro argument


def test_tex_escape_of_an_attack_name():
    escaped = str(tex_escape(NASTY))
    assert "\\input" not in escaped and "\\write18" not in str(tex_escape("\\write18{rm}"))
    assert escaped.startswith(r"O\textquotesingle{}Brien \& \{\textbackslash{}input\{")
    assert "^^5c" not in str(tex_escape("^^5cinput"))  # TeX's ^^ notation for a backslash


@given(st.text())
def test_md_escape_has_no_unescaped_markup(text):
    escaped = str(md_escape(text))
    unescaped = re.sub(r"\\.", "", escaped)
    assert not re.search(r"[\\`*_\[\]<>|~$&#]", unescaped), escaped
    # one line: the grading report puts it in table cells, where a line ending splits the row
    assert len(escaped.splitlines()) <= 1, escaped


def test_prose_escapes_text_and_passes_math():
    assert split_math("a $x$ b $$y$$ c $ d") == [
        (False, "a "), (True, "x"), (False, " b "), (True, "$y$"), (False, " c $ d")]
    assert str(tex_prose("50% of $c_t$ -- & so on")) == r"50\% of $c_t$ -{}-{} \& so on"
    assert str(tex_prose("see $$x^2$$")) == r"see \[x^2\]"
    assert str(md_prose("*x* is $a_1*b_1$")) == r"\*x\* is $a_1*b_1$"
    assert str(md_prose("- not a list")) == r"\- not a list"
    assert str(tex_cell("−3")) == "$-3$" and str(tex_cell("3.5e-05")) == "$3.5e-05$"


def test_unfiltered_values_are_escaped_by_default():
    env = environment("tex")
    template = env.from_string("((( name ))) | ((( name | prose ))) | ((( '\\\\x' | math )))")
    assert template.render(name="a_b $c$") == r"a\_b \$c\$ | a\_b $c$ | \x"
    # What a template makes is not escaped again; what it is given is, and never as HTML.
    macro = env.from_string("((* macro b(x) *))\\textbf{((( x )))}((* endmacro *))((( b('<&>') )))")
    assert macro.render() == r"\textbf{\textless{}\&\textgreater{}}"


@pytest.fixture(scope="module")
def sheets():
    ws = sample_worksheet("en", Student("s1", NASTY), seed=3)
    return {"solutions": ws, "worksheet": ws.student_edition()}


def test_markdown_editions_follow_the_content(sheets):
    sol = render(sheets["solutions"], "md")
    work = render(sheets["worksheet"], "md")
    assert sol.startswith("# The LSTM memory cell, step by step\n")
    assert "O'Brien \\& {\\\\input{/etc/passwd}} 100%\\_\\$\\#^\\~" in sol
    assert "```mermaid\nflowchart BT" in sol and "```mermaid" in work
    assert "![Memory, output and gates over time.](trace.svg)" in sol
    assert "trace.svg" not in work  # plots are in the solutions' content only
    assert "$c_2 = g(z)" in sol and "$c_2 = g(z)" not in work  # t = 2 is for the student
    assert "$c_4 = g(z)" in work  # t = 4 is worked, as in the lecture
    assert "- [x] closed" in sol and "- [ ] closed" in work
    # The trace table is turned (one column per step); blanks show their box number,
    # numbered row by row of the content's table; numbers are math (a true minus sign).
    assert "| $c_t$ | **$3$** | (1) | (3) | **$7$** | (5) |" in work
    assert "| $x_2$ | $1$ | $1$ | $0$ | $0$ | $-1$ |" in work
    table = work[work.index("| $t$"):].split("\n\n")[0].splitlines()
    assert len(table) == 2 + 9 and all(line.startswith("|") for line in table)
    assert "**Solutions**" in sol and "**Worksheet**" in work and "\n\n\n" not in sol


def test_mermaid_labels_from_the_diagram(sheets):
    md = render(sheets["solutions"], "md")
    assert 'zi["z_i = 100x_2 - 10"]' in md and 'zf["z_f = 100x_2 + 10"]' in md
    for word in ("input gate", "forget gate", "output gate", "memory cell"):
        assert word in md
    assert latex_to_text(r"\sigma(z_f) \odot c_{t-1}") == "σ(z_f) ⊙ c_(t−1)"


def test_latex_editions(sheets):
    sol = render(sheets["solutions"], "tex")
    work = render(sheets["worksheet"], "tex")
    assert "\\input{" not in sol.split("\\begin{document}")[1]
    assert "\\begin{tikzpicture}" in sol and "\\pgfusepathqfill" in sol
    assert "tracemark" not in work and "\\blankcell{3}" in work
    assert "\\answerfield{Answer:}{1}" in work and "\\answerfield{" not in sol
    assert sol.count("\\begin{document}") == 1 and sol.rstrip().endswith("\\end{document}")


def test_chinese_sheet_uses_ctex_and_chinese_words():
    ws = sample_worksheet("zh", Student("s7", "李小龙"))
    tex = render(ws.student_edition(), "tex")
    assert "{ctexart}" in tex and "Noto Serif CJK SC" in tex
    assert "\\namefield{姓名：}{李小龙}" in tex and "练习" in tex
    md = render(ws, "md")
    assert "**姓名：** 李小龙" in md and "参考答案" in md


def test_user_templates_override_by_name_and_extend_builtins(tmp_path, sheets):
    (tmp_path / "latex").mkdir()
    (tmp_path / "latex" / "worksheet.tex.j2").write_text(
        '((* extends "builtin/latex/worksheet.tex.j2" *))\n'
        "((* block course *))\\textsc{((( course )))}((* endblock *))\n")
    (tmp_path / "markdown").mkdir()
    (tmp_path / "markdown" / "diagram.md.j2").write_text("(diagram withheld)\n")
    tex = render(sheets["solutions"], "tex", templates=tmp_path,
                 extra={"course": "CS 101 & co"})
    assert "\\textsc{CS 101 \\& co}" in tex and "\\begin{tikzpicture}" in tex
    md = render(sheets["solutions"], "md", templates=tmp_path)
    assert "(diagram withheld)" in md and "```mermaid" not in md


def test_broken_user_template_is_a_user_error(tmp_path, sheets):
    (tmp_path / "markdown").mkdir()
    (tmp_path / "markdown" / "worksheet.md.j2").write_text("((* if *))")
    with pytest.raises(UserError, match="--templates: .*worksheet.md.j2:1"):
        render(sheets["solutions"], "md", templates=tmp_path)
    (tmp_path / "markdown" / "worksheet.md.j2").write_text("((( nothing.here )))")
    with pytest.raises(UserError, match="--templates: 'nothing' is undefined"):
        render(sheets["solutions"], "md", templates=tmp_path)


def test_catalogues_have_the_same_keys_and_fields():
    en, zh = catalogue("en"), catalogue("zh")
    ui_en = {k for k in en if k.startswith("ui.")}
    assert ui_en == {k for k in zh if k.startswith("ui.")}
    for key in ui_en:
        assert sorted(re.findall(r"{\w+}", en[key])) == sorted(re.findall(r"{\w+}", zh[key]))


def test_every_ui_word_is_used():
    templates = "".join(p.read_text() for p in builtin_templates().rglob("*.j2"))
    cli = Path(command.__file__).parent
    code = "".join(p.read_text() for p in (cli / "worksheet.py", cli / "handout_files.py",
                                           Path(render_module.__file__)))
    for key in catalogue("en"):
        if key.startswith("ui.edition."):  # chosen by the worksheet's edition
            assert 'words[f"edition.{ws.edition}"]' in code
        elif key.startswith("ui.goal."):  # chosen by the sheet's families
            assert 'words[f"goal.{name}"]' in code
        elif key.startswith("ui.cli."):
            assert f'"{key}"' in code, key
        elif key.startswith("ui."):
            short = key[3:]
            assert f"L.{short}" in templates or f'L["{short}"]' in templates or \
                f'words["{short}"]' in code, key


def test_trace_svg_is_deterministic(sheets):
    plot = next(s.plot for s in sheets["solutions"].sections if s.plot)
    first = trace_svg(plot, "time $t$")
    assert first == trace_svg(plot, "time $t$")
    assert b"<dc:date>" not in first and first.startswith(b"<?xml")


def test_plot_panels_follow_the_series_not_a_cell(sheets):
    """One panel per series, named by the series' labels, drawn as steps with markers:
    a GRU's h, r, u get three panels; no series name is typed in the picture code."""
    from lstm_sym.handouts import pictures
    from lstm_sym.handouts.content import Section, TracePlot, Worksheet

    plot = TracePlot((1, 2, 3), {"h": (0.5, -1.0, 1.0), "r": (1.0, 0.0, 1.0),
                                 "u": (0.0, 0.0, 1.0)},
                     {"h": "state $h$", "r": "reset gate", "u": "update gate"})
    ws = Worksheet("GRU", "en", "solutions", (Section("trace", "T", plot=plot),))
    tex = render(ws, "tex")
    assert tex.count("\\definecolor{tracemark}") == 3 and tex.count("\\definecolor{tracestep}") == 3
    for label in ("\\tracetitles state $h$}", "\\tracetitles reset gate}", "\\tracetitles update gate}"):
        assert label in tex
    assert tex.count("\\traceticks $0.5$}") == 2  # the gates' panels span 0..1: ticks 0, 0.5, 1
    svg = trace_svg(plot, "t")
    assert svg.count(b'class="panel"') == 3
    code = Path(pictures.__file__).read_text() + (builtin_templates() / "latex" /
                                                  "plot.tex.j2").read_text()
    code += (Path(pictures.__file__).parent / "trace_geometry.py").read_text()
    for names in ('"c", "y"', '"i", "f"', '"f", "o"', '"c": ', '"i": ', "plot.gates"):
        assert names not in code  # the lecture's series, as the old panels listed them


def test_rendering_is_deterministic(sheets):
    for fmt in ("md", "tex"):
        assert render(sheets["solutions"], fmt) == render(sheets["solutions"], fmt)
    assert json.dumps(render(sheets["worksheet"], "md"))  # plain str, JSON-safe
