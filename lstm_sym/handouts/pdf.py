"""Compile LaTeX handouts to PDF with latexmk, safely and reproducibly.

- ``-no-shell-escape`` always, plus ``openin_any=p`` so TeX cannot read files
  outside the job even if something slipped past escaping (a course's logo is
  copied into the job as an asset);
- in a fresh hidden folder beside the output (same file system, so the PDF is
  moved into place atomically); on failure the log is kept beside the output and
  the first ``! …`` line is reported;
- ``SOURCE_DATE_EPOCH``/``FORCE_SOURCE_DATE`` fixed (and ``\\pdfinfoomitdate``,
  ``\\pdftrailerid{}`` in the preamble) so the same source gives the same bytes;
- pdflatex where it reads every character, xelatex for anything else (Chinese
  sheets, names in other scripts); many jobs run in parallel over the cores.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lstm_sym.atomic import write_bytes

SOURCE_DATE_EPOCH = 0
TIMEOUT_SECONDS = 300
BASE_PACKAGES = "texlive-latex-base texlive-latex-recommended texlive-pictures latexmk lmodern"
XETEX_PACKAGES = "texlive-xetex texlive-lang-chinese fonts-noto-cjk"
LATEXMK_ENGINE = {"pdflatex": "-pdf", "xelatex": "-xelatex"}
# Sheets have no cross-references, so one pass is enough; latexmk would run a second
# only because the .aux appeared with the page count in it. Seeding the .aux and not
# hashing that line keeps one pass, while a template that adds \label/\ref still
# gets its reruns (its .aux lines differ).
SEED_AUX = "\\relax \n"
LATEXMK_SETTINGS = "$hash_calc_ignore_pattern{'aux'} = 'abspage.last';"


class LatexError(Exception):
    """LaTeX stopped: `first_error` is its first ``! …`` line, `log` the kept log."""

    def __init__(self, tex_name: str, first_error: str, log: Path | None):
        super().__init__(f"{tex_name}: {first_error}")
        self.tex_name, self.first_error, self.log = tex_name, first_error, log

    def __reduce__(self):  # crosses process boundaries in class runs
        return (LatexError, (self.tex_name, self.first_error, self.log))


# What pdflatex reads with inputenc utf8 and T1 fonts: ASCII, Latin-1 and the usual
# typographic quotes and dashes. Anything else (CJK, Greek, Cyrillic…) needs xelatex.
PDFLATEX_CHARS = frozenset(
    "\t\n\r" + "".join(map(chr, range(0x20, 0x7F))) + "".join(map(chr, range(0xA0, 0x100)))
    + "‘’“”–—…")


def engine_for(tex: str) -> str:
    """``pdflatex`` when it can read every character of the source, else ``xelatex``.

    >>> engine_for(r"\\textbf{Zoë} “quoted”"), engine_for("李雷")
    ('pdflatex', 'xelatex')
    """
    return "pdflatex" if PDFLATEX_CHARS.issuperset(tex) else "xelatex"


def missing_program(engines: Iterable[str]) -> str | None:
    """The first program needed for these engines that is not on PATH, or None.

    >>> missing_program([]) in (None, "latexmk")
    True
    """
    for program in ("latexmk", *sorted(set(engines))):
        if shutil.which(program) is None:
            return program
    return None


def install_command(engines: Iterable[str]) -> str:
    """The apt-get line that installs what these engines need.

    >>> install_command(["pdflatex"])
    'apt-get install texlive-latex-base texlive-latex-recommended texlive-pictures latexmk lmodern'
    """
    extra = f" {XETEX_PACKAGES}" if "xelatex" in set(engines) else ""
    return f"apt-get install {BASE_PACKAGES}{extra}"


def first_error(log_text: str) -> str:
    """The first ``! …`` line of a TeX log (what a human reads first).

    >>> first_error("This is TeX\\n! Undefined control sequence.\\nl.3 \\\\foo")
    '! Undefined control sequence.'
    """
    for line in log_text.splitlines():
        if line.startswith("!"):
            return line.strip()
    return "LaTeX stopped without an error line (see the log)"


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(SOURCE_DATE_EPOCH=str(SOURCE_DATE_EPOCH), FORCE_SOURCE_DATE="1",
               openin_any="p", openout_any="p")
    return env


def compile_pdf(tex: str, pdf_path: str | Path, *, engine: str | None = None,
                assets: Sequence[Path] = ()) -> Path:
    """Compile LaTeX source `tex` to `pdf_path`; raises :class:`LatexError` with the
    first error line, keeping ``<name>.log`` beside `pdf_path`. `assets` (a logo…)
    are copied beside the source, where TeX may read them.

    >>> import tempfile, pathlib, shutil
    >>> doc = r"\\documentclass{article}\\begin{document}Hi\\end{document}"
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "hi.pdf"
    >>> shutil.which("latexmk") is None or compile_pdf(doc, out).read_bytes()[:5] == b"%PDF-"
    True
    """
    pdf_path = Path(pdf_path)
    engine = engine or engine_for(tex)
    job = pdf_path.stem
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{job}.latex-", dir=pdf_path.parent))
    try:
        (work / f"{job}.tex").write_text(tex, encoding="utf-8")
        (work / f"{job}.aux").write_text(SEED_AUX, encoding="utf-8")
        for asset in assets:
            shutil.copyfile(asset, work / asset.name)
        command = ["latexmk", "-norc", "-e", LATEXMK_SETTINGS, LATEXMK_ENGINE[engine],
                   "-no-shell-escape",
                   "-interaction=nonstopmode", "-halt-on-error", f"{job}.tex"]
        try:
            done = subprocess.run(command, check=False, cwd=work, env=_environment(),
                                  stdin=subprocess.DEVNULL, capture_output=True,
                                  timeout=TIMEOUT_SECONDS)
            failed = done.returncode != 0 or not (work / f"{job}.pdf").is_file()
        except subprocess.TimeoutExpired:
            failed = True
        log = work / f"{job}.log"
        if failed:
            log_text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
            kept = None
            if log_text:
                kept = write_bytes(pdf_path.with_suffix(".log"), log.read_bytes())
            pdf_path.unlink(missing_ok=True)  # an older PDF would not match the new source
            raise LatexError(f"{job}.tex", first_error(log_text), kept)
        pdf_path.with_suffix(".log").unlink(missing_ok=True)  # a stale log of an old failure
        os.replace(work / f"{job}.pdf", pdf_path)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return pdf_path


@dataclass(frozen=True)
class PdfJob:
    """One LaTeX source to compile to `pdf_path`."""

    tex: str
    pdf_path: Path
    engine: str | None = None
    assets: tuple[Path, ...] = ()


@dataclass(frozen=True)
class PdfResult:
    job: PdfJob
    error: LatexError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def compile_many(jobs: Sequence[PdfJob], *, workers: int | None = None,
                 on_done: Callable[[PdfResult], None] | None = None) -> list[PdfResult]:
    """Compile many PDFs in parallel (one latexmk process per core); results in job order.

    `on_done` is called from the calling thread as each job finishes, in job order.

    >>> compile_many([])
    []
    """
    def one(job: PdfJob) -> PdfResult:
        try:
            compile_pdf(job.tex, job.pdf_path, engine=job.engine, assets=job.assets)
            return PdfResult(job)
        except LatexError as exc:
            return PdfResult(job, exc)

    if not jobs:
        return []
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    results = []
    with ThreadPoolExecutor(max_workers=workers) as pool:  # threads wait; TeX runs in processes
        for result in pool.map(one, jobs):
            results.append(result)
            if on_done:
                on_done(result)
    return results
