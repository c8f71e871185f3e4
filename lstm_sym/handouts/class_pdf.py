"""One print-ready PDF per edition for a whole class, in few LaTeX runs.

Every student's sheet is a complete LaTeX document. The class document takes the first
one's preamble, then each student's body in roster order. Preamble lines that differ
between students (the running head with the student's name and id) are issued again
at the start of that student's part: they are settings such as ``\\fancyhead`` that may
be changed inside a document. Each student starts on an odd page (a blank page is added
after a sheet with an odd number of pages) and their pages are numbered from 1, so the
file prints duplex with one student per sheet of paper.

The class is cut into consecutive parts, one per core (more for a large class, so that
no run nears the LaTeX time limit on a busy machine: at most PART_STUDENTS students a
part); each part is one LaTeX run, the parts run in parallel and ``pdfunite``
(poppler-utils) joins them. Each part has an even number of pages, so the odd-page rule
holds across the joins. Without ``pdfunite`` the class is one LaTeX run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lstm_sym.atomic import write_text
from lstm_sym.handouts.pdf import (
    LatexError,
    PdfJob,
    PdfResult,
    compile_many,
    engine_for,
    missing_program,
)

BEGIN, END = "\\begin{document}", "\\end{document}"
FILE_NAMES = {"worksheet": "class-worksheets.pdf", "solutions": "class-solutions.pdf"}
# Before each student: a fresh page, page numbers from 1. After: a blank page when the
# sheet ended on an odd page, so the next student starts on the front of a sheet.
# \ReadonlyShipoutCounter counts the pages shipped so far (LaTeX 2020-10 and later).
STUDENT_START = "\\clearpage\n\\setcounter{page}{1}\n"
STUDENT_END = "\\clearpage\n\\ifodd\\ReadonlyShipoutCounter\\null\\thispagestyle{empty}\\clearpage\\fi\n"
PART_STUDENTS = 75  # ~6 s of pdflatex for solutions on an idle core (0.08 s a student); the limit is 300 s
JOIN_PROGRAM = "pdfunite"
JOIN_PACKAGE = "poppler-utils"


def split_document(tex: str) -> tuple[str, str]:
    """A LaTeX document's preamble (up to ``\\begin{document}``) and its body.

    >>> split_document("\\\\documentclass{article}\\n\\\\begin{document}\\nHi\\n\\\\end{document}\\n")
    ('\\\\documentclass{article}\\n', '\\nHi\\n')
    """
    head, begin, rest = tex.partition(BEGIN)
    body, end, _ = rest.rpartition(END)
    if not begin or not end:
        raise ValueError("not a complete LaTeX document (no \\begin{document}…\\end{document})")
    return head, body


def class_document(sheets: Sequence[str]) -> str:
    """One document holding every sheet in order, each from an odd page, numbered from 1.

    >>> one = "\\\\documentclass{article}\\n\\\\fancyhead[R]{%s}\\n\\\\begin{document}\\n%s\\n\\\\end{document}"
    >>> doc = class_document([one % ("Ada · s1", "A"), one % ("Bo · s2", "B")])
    >>> doc.count("\\\\documentclass"), doc.count("\\\\fancyhead[R]{Bo · s2}"), doc.index("A") < doc.index("B")
    (1, 1, True)
    """
    parts = [split_document(tex) for tex in sheets]
    lines = [head.splitlines() for head, _ in parts]
    if any(len(ls) != len(lines[0]) for ls in lines):
        raise ValueError("the sheets' preambles differ in more than single lines; "
                         "a class document needs one preamble")
    varying = [i for i in range(len(lines[0])) if any(ls[i] != lines[0][i] for ls in lines)]
    out = [parts[0][0], BEGIN, "\n"]
    for (_, body), ls in zip(parts, lines):
        out.append(STUDENT_START)
        out += [ls[i] + "\n" for i in varying]  # this student's running head
        out += [body.strip("\n"), "\n", STUDENT_END]
    out.append(END + "\n")
    return "".join(out)


@dataclass
class ClassPdfs:
    """What :func:`write_class_pdfs` made: the PDFs written, the LaTeX failures, and the
    programs missing (an engine, latexmk)."""

    written: list[Path]
    failures: list[LatexError]
    missing: set[str]


def part_count(students: int, cores: int) -> int:
    """How many LaTeX runs a class takes: a multiple of the cores (so they finish together),
    enough that none has more than PART_STUDENTS students.

    >>> part_count(300, 2), part_count(30, 2), part_count(1, 4)
    (4, 2, 4)
    """
    needed = -(-students // PART_STUDENTS)
    return -(-needed // cores) * cores


def parts_of(sheets: Sequence[str], count: int) -> list[list[str]]:
    """`sheets` cut into at most `count` consecutive parts of near-equal size.

    >>> [len(p) for p in parts_of(list("abcdefg"), 3)]
    [3, 2, 2]
    """
    count = max(1, min(count, len(sheets)))
    size, extra = divmod(len(sheets), count)
    parts, start = [], 0
    for k in range(count):
        stop = start + size + (k < extra)
        parts.append(list(sheets[start:stop]))
        start = stop
    return parts


def write_class_pdfs(sources: dict[str, Sequence[str]], folder: Path, *,
                     assets: tuple[Path, ...] = (), workers: int | None = None) -> ClassPdfs:
    """For each edition (``worksheet``, ``solutions``) with its students' LaTeX sources in
    roster order, write ``folder/class-worksheets.pdf`` / ``class-solutions.pdf``.

    Every part of every edition is compiled at once, one LaTeX run per core.

    >>> write_class_pdfs({}, Path("unused")).written
    []
    """
    cores = workers or os.cpu_count() or 1
    joinable = shutil.which(JOIN_PROGRAM) is not None
    plan: dict[str, list[PdfJob]] = {}
    missing: set[str] = set()
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".class-pdf-", dir=folder))
    try:
        for edition, sheets in sources.items():
            if not sheets:
                continue
            jobs = []
            for k, part in enumerate(parts_of(sheets, part_count(len(sheets), cores) if joinable else 1)):
                tex = class_document(part)
                jobs.append(PdfJob(tex, work / f"{edition}-{k + 1:02d}.pdf", engine_for(tex), assets))
            absent = missing_program({job.engine for job in jobs})
            if absent:
                missing |= {job.engine for job in jobs}
                continue
            plan[edition] = jobs
        results = compile_many([job for jobs in plan.values() for job in jobs], workers=cores)
        failures = [_kept(r, folder) for r in results if not r.ok]
        written = []
        if not failures:
            for edition, jobs in plan.items():
                written.append(_join([job.pdf_path for job in jobs], folder / FILE_NAMES[edition]))
        return ClassPdfs(written, failures, missing)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _join(parts: list[Path], target: Path) -> Path:
    """The parts as one PDF at `target`, replaced atomically."""
    staged = target.with_name(f".{target.name}.part")
    if len(parts) == 1:
        shutil.copyfile(parts[0], staged)
    else:
        subprocess.run([JOIN_PROGRAM, *map(str, parts), str(staged)], check=True,
                       capture_output=True, stdin=subprocess.DEVNULL)
    os.replace(staged, target)
    return target


def _kept(result: PdfResult, folder: Path) -> LatexError:
    """A part's error, with its source and log kept in `folder` as class-<part>.tex/.log
    (the parts themselves are temporary)."""
    exc, stem = result.error, f"class-{result.job.pdf_path.stem}"
    write_text(folder / f"{stem}.tex", result.job.tex)
    kept = None
    if exc.log and exc.log.is_file():
        kept = folder / f"{stem}.log"
        os.replace(exc.log, kept)
    return LatexError(f"{stem}.tex", exc.first_error, kept)
