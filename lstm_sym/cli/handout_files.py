"""The files of one variant: worksheet and solutions (Markdown, LaTeX), plots, key.json
and the practice notebook, written into a single folder or a student's two folders
(what the student is given; the teacher's files under OUT/teacher/<id>/), each folder
filled under a temporary name and renamed when complete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lstm_sym.atomic import (
    discard_folder,
    new_staging_folder,
    publish_folder,
    write_bytes,
    write_text,
)
from lstm_sym.exercises.hints import key_hints
from lstm_sym.handouts.content import Student, Worksheet, with_hints
from lstm_sym.handouts.pdf import (
    LatexError,
    PdfJob,
    compile_many,
    compile_pdf,
    engine_for,
    missing_program,
)
from lstm_sym.handouts.pictures import trace_svg
from lstm_sym.handouts.render import labels_for, plot_file_name, render

KEY_FILE = "key.json"
NOTEBOOK_FILE = "worksheet.ipynb"  # a practice notebook: it carries the key, so teacher-side
TEACHER_FOLDER = "teacher"  # OUT/teacher/: keys, solutions and the class record


@dataclass(frozen=True)
class Variant:
    """One student's (or the class's) sheets: the solutions edition and the key."""

    student: Student | None
    solutions: Worksheet
    key: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """What to write for every variant."""

    formats: tuple[str, ...]
    editions: tuple[str, ...]
    templates: Path | None
    pdf: bool  # PDFs wanted (made where TeX is installed)
    assets: tuple[Path, ...] = ()  # files TeX may read, e.g. a course logo
    per_student_pdf: bool = True  # a class: each student's PDFs too, not only the class PDFs
    hints: bool = False  # print each question's hints from the key


def latex_assets(templates: Path | None) -> tuple[Path, ...]:
    """Files beside the user's LaTeX templates (a logo): TeX reads only its own job's
    folder, so they are copied in.

    >>> import tempfile
    >>> course = Path(tempfile.mkdtemp()); (course / "latex").mkdir()
    >>> for name in ("logo.pdf", "worksheet.tex.j2"): _ = (course / "latex" / name).write_text("")
    >>> [p.name for p in latex_assets(course)], latex_assets(None)
    (['logo.pdf'], ())
    """
    folder = templates / "latex" if templates else None
    if folder is None or not folder.is_dir():
        return ()
    return tuple(sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".j2"))


def editions_of(solutions: Worksheet, names: Sequence[str]) -> list[Worksheet]:
    """The requested editions, each derived from the solutions by filtering.

    >>> sol = Worksheet("T", "en", "solutions", ())
    >>> [ws.edition for ws in editions_of(sol, ["worksheet", "solutions"])]
    ['worksheet', 'solutions']
    """
    return [solutions if name == "solutions" else solutions.student_edition() for name in names]


def write_plots(folder: Path, ws: Worksheet) -> list[Path]:
    """The SVG of each plot of `ws`, beside the Markdown that shows it."""
    words = labels_for(ws)
    written = []
    for section in ws.sections:
        if section.plot is None:
            continue
        svg = trace_svg(section.plot, words["plot.time"])
        written.append(write_bytes(folder / plot_file_name(ws, section), svg))
    return written


@dataclass(frozen=True)
class Folders:
    """Where one variant's files go: the worksheet edition (what the student is given)
    and the teacher's files (solutions, key). One folder for a single sheet."""

    student: Path
    teacher: Path

    def of(self, edition: str) -> Path:
        return self.student if edition == "worksheet" else self.teacher


def without_seed(ws: Worksheet) -> Worksheet:
    """A class member's sheet: the class seed regenerates every key, so it is never
    printed (it lives in the keys and OUT/teacher/class.json).

    >>> ws = Worksheet("T", "en", "solutions", (), subtitle="Random variant (seed 9)", seed=9)
    >>> shown = without_seed(ws); (shown.seed, "9" in shown.subtitle)
    (None, False)
    """
    words = labels_for(ws)
    return replace(ws, seed=None, subtitle=words["student_variant"])


def write_sources(folders: Folders, variant: Variant,
                  plan: Plan) -> tuple[list[Path], list[PdfJob]]:
    """Markdown, LaTeX, plots and key of one variant into its folders; returns the
    files written and the PDFs still to compile."""
    written: list[Path] = []
    jobs: list[PdfJob] = []
    pictures_in: set[Path] = set()
    solutions = variant.solutions if variant.student is None else without_seed(variant.solutions)
    if plan.hints:
        solutions = with_hints(solutions, key_hints(variant.key))
    for ws in editions_of(solutions, plan.editions):
        folder = folders.of(ws.edition)
        if "md" in plan.formats:
            written.append(write_text(folder / f"{ws.edition}.md", render(ws, "md",
                                                                         templates=plan.templates)))
            if folder not in pictures_in and any(s.plot for s in ws.sections):
                written += write_plots(folder, ws)
                pictures_in.add(folder)
        if "tex" in plan.formats or plan.pdf:
            tex = render(ws, "tex", templates=plan.templates)
            if "tex" in plan.formats:
                written.append(write_text(folder / f"{ws.edition}.tex", tex))
            if plan.pdf:
                jobs.append(PdfJob(tex, folder / f"{ws.edition}.pdf", engine_for(tex),
                                   plan.assets))
    from lstm_sym.key import write_key

    write_key(folders.teacher / KEY_FILE, variant.key)  # validated, written atomically
    written.append(folders.teacher / KEY_FILE)
    if "ipynb" in plan.formats:  # it embeds the key: the teacher's, never the student's folder
        from lstm_sym.handouts.notebook import notebook_bytes

        written.append(write_bytes(folders.teacher / NOTEBOOK_FILE,
                                   notebook_bytes(solutions, variant.key)))
    return written, jobs


@dataclass
class Outcome:
    """What a run wrote, which PDFs failed, and which engines were missing."""

    written: list[Path]
    failures: list[LatexError]
    missing: set[str]
    sources: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> edition -> LaTeX

    def add(self, other: Outcome) -> None:
        self.written += other.written
        self.failures += other.failures
        self.missing |= other.missing
        self.sources.update(other.sources)


def _compilable(jobs: list[PdfJob]) -> tuple[list[PdfJob], set[str]]:
    """The jobs TeX can run here, and the engines of those it cannot."""
    missing = {job.engine for job in jobs if job.engine and missing_program([job.engine])}
    return [job for job in jobs if job.engine not in missing], missing


def write_single(variant: Variant, out: Path, plan: Plan) -> Outcome:
    """One variant straight into `out`, each file atomically; PDFs in parallel."""
    written, jobs = write_sources(Folders(out, out), variant, plan)
    jobs, missing = _compilable(jobs)
    results = compile_many(jobs)
    written += [r.job.pdf_path for r in results if r.ok]
    return Outcome(written, [r.error for r in results if r.error is not None], missing)


def student_files(plan: Plan) -> bool:
    """Does a student's own folder get files? Their worksheet as Markdown or LaTeX, or its
    PDF with --per-student-pdf; a PDF-only class prints from the class PDFs instead.

    >>> plan = Plan(("pdf",), ("worksheet", "solutions"), None, True, per_student_pdf=False)
    >>> student_files(plan), student_files(replace(plan, formats=("md",)))
    (False, True)
    """
    return "worksheet" in plan.editions and (
        any(fmt in plan.formats for fmt in ("md", "tex")) or (plan.pdf and plan.per_student_pdf))


@dataclass
class Staged:
    """One student's files, complete under temporary names (final folder -> staging
    folder) until :meth:`publish` renames them, or :meth:`discard` removes them."""

    student_id: str
    folders: dict[Path, Path]
    outcome: Outcome

    def publish(self) -> Outcome:
        for final, staging in self.folders.items():
            publish_folder(staging, final)
        return self.outcome

    def discard(self) -> None:
        for staging in self.folders.values():
            discard_folder(staging)


def stage_student(variant: Variant, out: Path, plan: Plan) -> Staged:
    """One student's folder (the worksheet) and the teacher's folder for that student
    (key, solutions), filled under temporary names; nothing is left behind on failure."""
    assert variant.student is not None
    finals = Folders(out / variant.student.id, out / TEACHER_FOLDER / variant.student.id)
    wanted = [finals.teacher] + ([finals.student] if student_files(plan) else [])
    staging = {final: new_staging_folder(final) for final in wanted}
    try:
        folders = Folders(staging.get(finals.student, staging[finals.teacher]),
                          staging[finals.teacher])
        _, jobs = write_sources(folders, variant, plan)
        sources = {job.pdf_path.stem: job.tex for job in jobs}  # for the class PDFs
        jobs, missing = _compilable(jobs) if plan.per_student_pdf else ([], set())
        failures = []
        for job in jobs:
            try:
                compile_pdf(job.tex, job.pdf_path, engine=job.engine, assets=job.assets)
            except LatexError as exc:
                failures.append(replace_log(exc, finals, out))
    except BaseException:
        for folder in staging.values():
            discard_folder(folder)
        raise
    return Staged(variant.student.id, staging,
                  Outcome(wanted, failures, missing, {variant.student.id: sources}))


def write_student(variant: Variant, out: Path, plan: Plan) -> Outcome:
    """One student's two folders, each renamed into place when complete."""
    return stage_student(variant, out, plan).publish()


def replace_log(exc: LatexError, finals: Folders, out: Path) -> LatexError:
    """The error with its file named from `out` (``s001/worksheet.tex``) and its log
    where the published folder keeps it."""
    folder = finals.of(Path(exc.tex_name).stem)
    log = folder / exc.log.name if exc.log else None
    return LatexError(str((folder / exc.tex_name).relative_to(out)), exc.first_error, log)
