"""Every LaTeX template compiles, in both languages and both editions, to the same
bytes each time; hostile names print literally. Skipped where TeX is missing
(CI installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_render_sample import sample_worksheet

from lstm_sym.exercises import build_set
from lstm_sym.handouts.content import Student, build_worksheet
from lstm_sym.handouts.pdf import (
    LatexError,
    PdfJob,
    compile_many,
    compile_pdf,
    engine_for,
    first_error,
    install_command,
)
from lstm_sym.handouts.render import render

NASTY = "O'Brien & {\\input{/etc/passwd}} 100%_$#^~"
needs_tex = pytest.mark.skipif(
    any(shutil.which(p) is None for p in ("latexmk", "pdflatex", "xelatex", "pdftotext")),
    reason="TeX (latexmk, pdflatex, xelatex) or pdftotext is not installed")

# (lang, student, seed) of the exercises' sheets: both languages, several seeds, a
# hostile name, a Chinese name on an English sheet.
CASES = {
    "en-nasty": ("en", Student("s1", NASTY), None),
    "en-cjk-name": ("en", Student("s2", "李小龙"), 1),
    "zh-plain": ("zh", None, 2),
    "zh-nasty": ("zh", Student("s3", NASTY), 3),
}


def sheet_sources() -> dict[str, str]:
    """LaTeX of every case and edition, plus the hand-built sample (every field of the
    content model; plain ASCII in English, so pdflatex)."""
    sources = {}
    for name, (lang, student, seed) in CASES.items():
        ws = build_worksheet(build_set(seed=seed, student=student), lang=lang)
        assert ws.student == student
        sources[f"{name}-solutions"] = render(ws, "tex")
        sources[f"{name}-worksheet"] = render(ws.student_edition(), "tex")
    for lang in ("en", "zh"):
        ws = sample_worksheet(lang, Student("s4", NASTY), seed=5)
        sources[f"sample-{lang}-solutions"] = render(ws, "tex")
        sources[f"sample-{lang}-worksheet"] = render(ws.student_edition(), "tex")
    return sources


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    sources = sheet_sources()
    jobs = [PdfJob(tex, out / f"{name}.pdf") for name, tex in sources.items()]
    # Two of them again, elsewhere, for the same-bytes check.
    again = [PdfJob(sources[n], out / "again" / f"{n}.pdf")
             for n in ("sample-en-solutions", "zh-plain-solutions")]
    results = compile_many(jobs + again)
    failed = [f"{r.job.pdf_path.name}: {r.error}" for r in results if not r.ok]
    assert not failed, failed
    return out, sources


def _text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True)
    return done.stdout.decode("utf-8")


@needs_tex
def test_every_sheet_compiles_with_the_right_engine(compiled):
    out, sources = compiled
    assert engine_for(sources["sample-en-solutions"]) == "pdflatex"
    assert engine_for(sources["en-cjk-name-worksheet"]) == "xelatex"
    for name in sources:
        pdf = out / f"{name}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert not (out / f"{name}.log").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no work folders left


@needs_tex
def test_hostile_names_print_literally_and_read_nothing(compiled):
    out, _ = compiled
    for name in ("en-nasty-worksheet", "zh-nasty-solutions", "sample-en-worksheet"):
        text = _text(out / f"{name}.pdf")
        assert NASTY in text, name
        assert "root:" not in text
    assert "李小龙" in _text(out / "en-cjk-name-worksheet.pdf")


@needs_tex
def test_sheets_show_their_pictures(compiled):
    out, _ = compiled
    for lang, words, plot in (("en", ("forget gate", "memory cell"), "time step"),
                              ("zh", ("遗忘门", "记忆元"), "时间步")):
        name = "en-nasty" if lang == "en" else "zh-plain"
        solutions = _text(out / f"{name}-solutions.pdf")
        worksheet = _text(out / f"{name}-worksheet.pdf")
        for word in words:  # the TikZ diagram, on both editions
            assert word in solutions and word in worksheet
        assert plot in solutions and plot not in worksheet  # the TikZ trace plot, solutions only


@needs_tex
def test_same_source_same_bytes(compiled):
    out, _ = compiled
    for name in ("sample-en-solutions", "zh-plain-solutions"):
        assert (out / f"{name}.pdf").read_bytes() == (out / "again" / f"{name}.pdf").read_bytes()


@needs_tex
def test_a_failure_reports_the_first_error_and_keeps_the_log(tmp_path):
    doc = "\\documentclass{article}\\begin{document}\\nosuchmacro\\end{document}\n"
    (tmp_path / "broken.pdf").write_bytes(b"%PDF- from an older, good source")
    with pytest.raises(LatexError) as err:
        compile_pdf(doc, tmp_path / "broken.pdf")
    assert err.value.first_error == "! Undefined control sequence."
    assert err.value.log == tmp_path / "broken.log" and err.value.log.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.log"]


@needs_tex
def test_shell_escape_and_file_reading_are_off(tmp_path):
    doc = ("\\documentclass{article}\\begin{document}"
           "\\immediate\\write18{touch pwned}\\input{/etc/hostname}\\end{document}\n")
    with pytest.raises(LatexError):
        compile_pdf(doc, tmp_path / "evil.pdf")
    assert not list(tmp_path.rglob("pwned"))
    assert "Not reading from /etc/hostname" in (tmp_path / "evil.log").read_text() or \
        "not found" in (tmp_path / "evil.log").read_text()


def test_helpers_without_tex():
    assert first_error("x\n! LaTeX Error: File `a.sty' not found.\n! again") == \
        "! LaTeX Error: File `a.sty' not found."
    assert "texlive-xetex" in install_command(["xelatex"])
    assert "texlive-xetex" not in install_command(["pdflatex"])
