"""The class PDFs: every student's sheet in one file per edition, each student from an odd
page with their name and id in every page's header, pages numbered per student; made in
parts that pdfunite joins. The LaTeX runs are skipped where TeX is missing (CI installs it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from lstm_sym.cli import main
from lstm_sym.handouts.class_pdf import STUDENT_START, class_document, split_document, write_class_pdfs
from lstm_sym.handouts.content import Worksheet
from lstm_sym.handouts.pdf import compile_pdf
from lstm_sym.handouts.render import render

needs_tex = pytest.mark.skipif(
    any(shutil.which(p) is None for p in ("latexmk", "pdflatex", "pdftotext", "pdfunite")),
    reason="TeX (latexmk, pdflatex) or poppler-utils (pdftotext, pdfunite) is not installed")


def tiny_sheet(name: str, sid: str, pages: int) -> str:
    """A sheet as the templates make them: the running head (name, id) in the preamble."""
    body = "\n\\newpage\n".join(f"{name} page {k + 1}" for k in range(pages))
    return ("\\documentclass{article}\n\\usepackage{fancyhdr}\n\\pagestyle{fancy}\n\\fancyhf{}\n"
            f"\\fancyhead[R]{{Sheet of {name} ({sid})}}\n\\fancyfoot[C]{{p.\\thepage}}\n"
            f"\\begin{{document}}\n{body}\n\\end{{document}}\n")


def pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


def test_one_preamble_and_each_students_running_head_before_their_pages():
    doc = class_document([tiny_sheet("Ada", "s1", 1), tiny_sheet("Bo", "s2", 2)])
    assert doc.count("\\documentclass") == 1 and doc.count("\\begin{document}") == 1
    head_bo = doc.index("\\fancyhead[R]{Sheet of Bo (s2)}")
    starts = [i for i in range(len(doc)) if doc.startswith(STUDENT_START, i)]
    assert len(starts) == 2 and starts[1] < head_bo < doc.index("Bo page 1")
    assert doc.index("Ada page 1") < starts[1]
    # Lines all sheets share (the fancyhdr set-up) are not repeated per student.
    assert doc.count("\\pagestyle{fancy}") == 1


def test_sheets_whose_preambles_differ_in_shape_are_refused():
    other = tiny_sheet("Bo", "s2", 1).replace("\\pagestyle{fancy}\n", "")
    with pytest.raises(ValueError, match="one preamble"):
        class_document([tiny_sheet("Ada", "s1", 1), other])


@needs_tex
def test_compiled_class_pdf_odd_starts_headers_and_page_numbers(tmp_path):
    sheets = [tiny_sheet("Ada", "s1", 1), tiny_sheet("Bo", "s2", 2), tiny_sheet("Cy", "s3", 3)]
    made = write_class_pdfs({"worksheet": sheets, "solutions": sheets[::-1]}, tmp_path,
                            workers=2)  # two parts per edition, joined by pdfunite
    assert not made.failures and not made.missing
    assert sorted(p.name for p in made.written) == ["class-solutions.pdf", "class-worksheets.pdf"]
    pages = pages_text(tmp_path / "class-worksheets.pdf")
    # 1 page + a blank back, 2 pages, 3 pages + a blank back: students start on pages 1, 3, 5.
    assert len(pages) == 8
    assert [i + 1 for i, p in enumerate(pages) if "page 1" in p] == [1, 3, 5]
    for i, owner in enumerate(["Ada (s1)", None, "Bo (s2)", "Bo (s2)", "Cy (s3)", "Cy (s3)",
                               "Cy (s3)", None]):
        if owner is None:
            assert pages[i].strip() == "", f"page {i + 1} should be blank"
        else:
            assert f"Sheet of {owner}" in pages[i], f"page {i + 1}"
    assert [p.split()[-1] for p in pages if p.strip()] == ["p.1", "p.1", "p.2", "p.1", "p.2", "p.3"]
    solutions = pages_text(tmp_path / "class-solutions.pdf")
    assert [i + 1 for i, p in enumerate(solutions) if "page 1" in p] == [1, 5, 7]
    assert "Cy" in solutions[0] and "Ada" in solutions[6]
    assert not list(tmp_path.glob(".class-pdf-*"))  # the parts' folder is gone


@needs_tex
def test_a_latex_failure_keeps_source_and_log_and_writes_no_class_pdf(tmp_path):
    broken = tiny_sheet("Bo", "s2", 1).replace("Bo page 1", "\\undefinedcommand")
    made = write_class_pdfs({"worksheet": [tiny_sheet("Ada", "s1", 1), broken]}, tmp_path,
                            workers=1)
    assert len(made.failures) == 1 and made.written == []
    error = made.failures[0]
    assert "Undefined control sequence" in error.first_error
    assert error.log == tmp_path / "class-worksheet-01.log" and error.log.is_file()
    assert (tmp_path / "class-worksheet-01.tex").is_file()
    assert not (tmp_path / "class-worksheets.pdf").exists()


@needs_tex
def test_worksheet_students_pdf_writes_the_class_pdfs_not_per_student_ones(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns001,Zoë Brontë\ns002,Ada Lovelace\ns003,Grace Hopper\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    assert main(["worksheet", "--students", str(roster), "--format", "pdf", "--seed", "4",
                 "--out", str(out)]) == 0
    teacher = out / "teacher"
    assert sorted(p.name for p in out.rglob("*.pdf")) == ["class-solutions.pdf",
                                                           "class-worksheets.pdf"]
    for name in ("class-worksheets.pdf", "class-solutions.pdf"):
        pages = pages_text(teacher / name)
        starts = {}
        for i, page in enumerate(pages):
            if not page.strip():
                continue  # a blank back
            owner = [s for s in ("Zoë Brontë · s001", "Ada Lovelace · s002",
                                 "Grace Hopper · s003") if s in page]
            assert len(owner) == 1, f"{name} page {i + 1}: header names no single student"
            starts.setdefault(owner[0], i + 1)
        assert list(starts) == ["Zoë Brontë · s001", "Ada Lovelace · s002", "Grace Hopper · s003"]
        assert all(page % 2 == 1 for page in starts.values()), (name, starts)
        assert len(pages) % 2 == 0
    # Per-student PDFs (for an LMS) only when asked for.
    again = tmp_path / "again"
    assert main(["worksheet", "--students", str(roster), "--format", "pdf", "--seed", "4",
                 "--edition", "worksheet", "--per-student-pdf", "--out", str(again)]) == 0
    assert sorted(str(p.relative_to(again)) for p in again.rglob("*.pdf")) == [
        "s001/worksheet.pdf", "s002/worksheet.pdf", "s003/worksheet.pdf",
        "teacher/class-worksheets.pdf"]


def test_the_diagrams_drawing_is_shared_and_each_students_formulas_are_their_own(tmp_path):
    """The cell diagram is one picture every sheet of a class shares (kept once per document
    by \\sheetkeep) and four formulas set over it: the students' weights differ, the
    shared picture's source and key do not."""
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns001,Ada\ns002,Bo\n", encoding="utf-8")
    assert main(["worksheet", "--students", str(roster), "--format", "tex", "--seed", "4",
                 "--out", str(tmp_path / "out")]) == 0
    kept, formulas = [], []
    for sid in ("s001", "s002"):
        tex = (tmp_path / "out" / sid / "worksheet.tex").read_text(encoding="utf-8")
        start = tex.index("\\sheetkeep{", tex.index("\\begin{document}"))
        end = tex.index("\\begin{tikzpicture}", tex.index("\\end{tikzpicture}", start))
        kept.append(tex[start:end])
        formulas.append(re.findall(r"\\node\[formula\] at \([^)]*\) \{\$(z_?\w* = [^$]*)\$\}", tex))
    assert kept[0] == kept[1] and "\\useasboundingbox" in kept[0]
    assert len(formulas[0]) == len(formulas[1]) == 4 and formulas[0] != formulas[1]
    for formula in formulas[0] + formulas[1]:
        assert formula.split(" = ")[1] not in kept[0]  # no student's weights in the shared part


@needs_tex
def test_a_kept_picture_is_typeset_once_per_document(tmp_path):
    preamble, _ = split_document(render(Worksheet("T", "en", "worksheet", ()), "tex"))
    body = ("\\newcounter{built}\\sheetkeep{k}{\\stepcounter{built}A}\\sheetkeep{k}{\\stepcounter{built}B}"
            "\\sheetuse{k}\\sheetuse{k} built \\arabic{built} times")
    pdf = compile_pdf(f"{preamble}\\begin{{document}}\n{body}\n\\end{{document}}\n", tmp_path / "k.pdf")
    assert "AA built 1 times" in " ".join(pages_text(pdf)[0].split())
