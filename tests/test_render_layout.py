"""What a teacher checks on the printed sheets: page budgets, room to write, long
names, each edition fitting its reader, pictures drawn from the cell, Markdown that
other tools can read. PDF checks are skipped where TeX or poppler is missing."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lstm_sym.cli.app import main
from lstm_sym.exercises import build_set
from lstm_sym.handouts.content import Student, build_worksheet
from lstm_sym.handouts.pdf import compile_pdf
from lstm_sym.handouts.render import render

HAS_TEX = all(shutil.which(p) for p in ("latexmk", "pdflatex", "xelatex", "pdfinfo",
                                         "pdftotext"))
needs_tex = pytest.mark.skipif(not HAS_TEX, reason="TeX or poppler-utils is not installed")
# The budgets for the lecture sheet (A4, body 11 pt).
WORKSHEET_PAGES, SOLUTIONS_PAGES = 6, 10
CM = 72 / 2.54  # PostScript points per centimetre


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    """The default lecture sheets, en and zh, as the command writes them."""
    out = tmp_path_factory.mktemp("lecture")
    for lang in ("en", "zh"):
        assert main(["worksheet", "--lang", lang, "--format", "md,tex,pdf",
                     "--out", str(out / lang)]) == 0
    return out


@needs_tex
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lecture_sheets_fit_their_page_budget(lecture, lang):
    assert _pages(lecture / lang / "worksheet.pdf") <= WORKSHEET_PAGES
    assert _pages(lecture / lang / "solutions.pdf") <= SOLUTIONS_PAGES


@needs_tex
def test_a4_body_11pt_and_boxes_large_enough(lecture):
    info = subprocess.run(["pdfinfo", str(lecture / "en" / "worksheet.pdf")], check=True,
                          capture_output=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    for lang in ("en", "zh"):
        tex = (lecture / lang / "worksheet.tex").read_text(encoding="utf-8")
        assert re.search(r"\\documentclass\[[^]]*11pt[^]]*\]", tex)
        assert "zihao=5" not in tex  # ctex's default 10.5 pt
    # The trace boxes and the answer boxes, as the preamble draws them (cm).
    box = re.search(r"\\newcommand\{\\blankcell\}.*?minipage\}\[c\]\[([\d.]+)cm\]\[t\]\{([\d.]+)cm\}",
                    tex, re.S)
    assert float(box.group(2)) >= 1.5 and float(box.group(1)) >= 0.8
    answer = re.search(r"\\rule\[-0.3cm\]\{0pt\}\{([\d.]+)cm\}", tex)
    assert float(answer.group(1)) >= 0.8
    assert re.search(r"\\inlineanswer\{[^}]*\}\{([\d.]+)cm\}", tex).group(1) >= "1.5"


@needs_tex
def test_pages_keep_headings_with_their_content(lecture):
    """No page ends with a section heading, and no page starts with an answer box alone."""
    for lang in ("en", "zh"):
        pdf = lecture / lang / "worksheet.pdf"
        titles = [s.title for s in build_worksheet(build_set(), lang).sections]
        for page in range(1, _pages(pdf) + 1):
            text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout",
                                   str(pdf), "-"], check=True, capture_output=True,
                                  text=True).stdout
            lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
            body = lines[1:-1]  # running head, page number
            assert body, page
            assert body[-1] not in titles, (lang, page, body[-1])
            assert not body[0].startswith(("Answer:", "答案")), (lang, page)


def test_solutions_edition_is_not_a_form():
    ws = build_worksheet(build_set(), "en")
    sol, work = render(ws, "tex"), render(ws.student_edition(), "tex")
    body = "\\begin{document}"
    assert "\\namefield{" in work.split(body)[1] and "\\namefield{" not in sol.split(body)[1]
    assert ws.instructions and "Answer every question" not in sol
    assert "\\answerfield{" not in sol.split(body)[1] and "\\inlineanswer{" not in sol.split(body)[1]
    md = render(ws, "md")
    assert "**Name:**" not in md and "Answer every question" not in md
    for section in ws.sections:  # table captions say what to fill in: the form's only
        if section.table is not None and section.table.caption:
            assert section.table.caption not in md
            assert section.table.caption in render(ws.student_edition(), "md")


def test_header_states_goals_time_and_points():
    ws = build_worksheet(build_set(), "en")
    work = ws.student_edition()
    md = render(work, "md")
    assert "**Learning goals**" in md and md.count("\n- ") >= 2
    points = sum(it.points for s in ws.sections for it in s.items if not it.worked)
    assert f"**Points:** {points}" in md
    minutes = int(re.search(r"\*\*Time:\*\* about (\d+) min", md).group(1))
    assert 30 <= minutes <= 120 and minutes % 5 == 0
    tex = render(work, "tex")
    assert tex.count("\\pts{1}") + tex.count("}{1}\n") > 10  # points beside the questions


def test_trace_boxes_are_numbered_as_the_questions_say():
    ws = build_worksheet(build_set(), "en").student_edition()
    md = render(ws, "md")
    trace = next(s for s in ws.sections if s.family == "trace")
    for item in trace.items:
        said = re.search(r"box (\d+)", item.prompt)
        if said:  # the prompt's box number is the one printed in the table
            assert f"({said.group(1)})" in md
    boxes = re.findall(r"\\blankcell\{(\d+)\}", render(ws, "tex"))
    assert sorted(map(int, boxes)) == list(range(1, len(boxes) + 1)) and len(boxes) >= 20


def test_answers_use_the_format_the_instructions_state():
    ws = build_worksheet(build_set(), "en")
    assert "[0, 3, 7]" in ws.instructions
    answers = [it.answer for s in ws.sections for it in s.items if it.kind == "vector"]
    assert answers and all(a.strip("$").startswith("[") for a in answers), answers


def test_a_gru_sheet_draws_a_gru(tmp_path):
    out = tmp_path / "gru"
    assert main(["worksheet", "--cell", "gru", "--seed", "3", "--format", "md,tex",
                 "--out", str(out)]) == 0
    tex = (out / "worksheet.tex").read_text()
    md = (out / "worksheet.md").read_text()
    for name in ("z_{r}", "z_{u}", "z_{n}", "h_{t-1}"):
        assert f"{{${name}$}}" in tex, name
    mermaid = md.split("```mermaid", 1)[1].split("```", 1)[0]
    for label in ('"z_r"', '"z_u"', '(("r"))', '(("u"))', '"h_(t-1)"'):
        assert label in mermaid, label
    assert "forget" not in tex and "z_{f}" not in tex  # no lecture cell in a GRU's picture


def test_mermaid_labels_are_ascii_and_gates_named_in_their_nodes():
    md = render(build_worksheet(build_set(), "en"), "md")
    mermaid = md.split("```mermaid", 1)[1].split("```", 1)[0]
    assert mermaid.isascii()
    assert 'zi["z_i = 100 x_2 - 10"]' in mermaid and "forget gate: sigma(z_f)" in mermaid
    assert ' -- "' not in mermaid  # no edge labels where edges cross


@pytest.mark.skipif(not (shutil.which("pandoc") and shutil.which("pdflatex")),
                    reason="pandoc or pdflatex is not installed")
def test_pandoc_turns_the_markdown_worksheet_into_a_pdf(tmp_path):
    assert main(["worksheet", "--format", "md", "--edition", "worksheet",
                 "--out", str(tmp_path)]) == 0
    done = subprocess.run(["pandoc", "worksheet.md", "-o", "worksheet.pdf"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


@needs_tex
def test_a_long_name_never_runs_into_the_id(tmp_path):
    name = "Maximiliane Alexandra Konstantinopoulou-Wertheimer von Hohenzollern-Sigmaringens"
    assert len(name) == 80
    ws = build_worksheet(build_set(seed=4, student=Student("s0042", name)), "en")
    pdf = compile_pdf(render(ws.student_edition(), "tex"), tmp_path / "long.pdf")
    words = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
                           check=True, capture_output=True, text=True).stdout
    boxes = [(float(m.group(1)), float(m.group(2)), float(m.group(3)), m.group(4)) for m in
             re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" [^>]*>([^<]*)<',
                         words)]
    id_label = next(b for b in boxes if b[3] == "ID:")
    name_words = [b for b in boxes if b[3] in name.split() and abs(b[1] - id_label[1]) < 40]
    assert len(name_words) == len(name.split())  # the Name field, in full
    same_line = [b for b in name_words if abs(b[1] - id_label[1]) < 3]
    assert all(b[2] < id_label[0] - 0.2 * CM for b in same_line)
    assert max(b[2] for b in name_words) < id_label[0]  # wrapped, not run under the ID
    # The running head: title left, edition and name right, never overlapping.
    head = [b for b in boxes if b[1] < 2 * CM]  # the running head, above the top margin
    title_words = [b for b in head if b[3] in ws.title.split()]
    head_names = [b for b in head if b[3] in name.split()]
    assert title_words and head_names
    assert max(b[2] for b in title_words) < min(b[0] for b in head_names)
