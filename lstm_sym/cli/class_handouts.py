"""A class's handouts: every student's folders, made on all cores.

Each student's variant is drawn, rendered and written in a worker process (drawing is
the bulk of the work), into folders under temporary names. The parent then settles the
class in student-id order, exactly as :func:`lstm_sym.exercises.class_variants` does:
a student whose answers another already has is drawn again with the next attempt. Only
then are the folders renamed into place, so a run that fails leaves complete folders
and no temporary ones.

The first student is made in the parent before the workers start: forked workers
inherit what it built once per cell (the cell, its compiled program, printed formulas).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from lstm_sym.cli.handout_files import Outcome, Plan, Staged, Variant, stage_student, write_student
from lstm_sym.cli.progress import ProgressBar
from lstm_sym.handouts.content import Student, build_worksheet

CHUNK = 4  # students per task: few round trips, a bar that moves, cores busy to the end
GC_THRESHOLD = 50_000  # allocations between young collections during a class (default 700)


@dataclass(frozen=True)
class ClassSpec:
    """What decides every student's variant, and how their files are written."""

    seed: int
    example: str
    worked: tuple[int, ...] | None
    cell_options: dict[str, Any] | None
    sizes: dict[str, int]  # inputs/hidden of a random cell (empty: the lecture's)
    lang: str
    out: Path
    plan: Plan


Prints = tuple[tuple, ...]


def member(spec: ClassSpec, student: Student, attempt: int) -> tuple[Variant, Prints]:
    """One student's variant (sheets and key) for an attempt, and its fingerprints."""
    from lstm_sym.exercises.exercise_set import build_set, fingerprints

    exset = build_set(spec.example, spec.worked, spec.seed, student, attempt,
                      spec.cell_options, **spec.sizes)
    ws = build_worksheet(exset, lang=spec.lang)
    if ws.student is None:
        ws = replace(ws, student=student)
    return Variant(student, ws, exset.key(lang=spec.lang)), fingerprints(exset)


def stage_members(spec: ClassSpec, students: Sequence[Student],
                  attempt: int = 0) -> list[tuple[Staged, Prints]]:
    """Students' folders under temporary names (a worker's task); none left on failure."""
    done: list[tuple[Staged, Prints]] = []
    try:
        for student in students:
            variant, prints = member(spec, student, attempt)
            done.append((stage_student(variant, spec.out, spec.plan), prints))
    except BaseException:
        for staged, _ in done:
            staged.discard()
        raise
    return done


def _settle(spec: ClassSpec, order: Sequence[Student], made: dict[str, tuple[Staged, Prints]],
            redraw: bool) -> Outcome:
    """Publish students in id order, each with answers no earlier student has; a clash is
    drawn again (`redraw`) or, after a failure, left out."""
    from lstm_sym.exercises.exercise_set import first_distinct

    outcome = Outcome([], [], set())
    taken: set[tuple] = set()
    for student in order:
        if student.id not in made:
            continue
        first = made.pop(student.id)
        if not redraw:
            staged, prints = first
            if taken.isdisjoint(prints):
                taken.update(prints)
                outcome.add(staged.publish())
            else:
                staged.discard()
            continue

        def draw(attempt: int, student: Student = student, first=first) -> tuple[Staged, Prints]:
            return first if attempt == 0 else stage_members(spec, [student], attempt)[0]

        staged = first_distinct(draw, taken, student.id, drop=Staged.discard)
        outcome.add(staged.publish())
    return outcome


def _chunks(items: Sequence[Student], size: int) -> list[Sequence[Student]]:
    """
    >>> [len(c) for c in _chunks(list(range(10)), 4)]
    [4, 4, 2]
    """
    return [items[k:k + size] for k in range(0, len(items), size)]


def make_class(spec: ClassSpec, students: Sequence[Student],
               progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Every student's folders under ``spec.out`` (drawn, written and settled)."""
    progress = progress or ProgressBar("students")
    order = sorted(students, key=lambda s: s.id)  # the settling order: roster order is free
    total = len(order)
    made: dict[str, tuple[Staged, Prints]] = {}
    try:
        with _few_collections():
            for staged, prints in stage_members(spec, order[:1]):
                made[staged.student_id] = (staged, prints)
            progress(len(made), total)
            gc.freeze()  # what the first student built (per-cell caches) is kept for the run
            _the_rest(spec, order, made, progress)
    except BaseException:
        _settle(spec, order, made, redraw=False)  # what is complete stays
        raise
    finally:
        gc.unfreeze()
    outcome = _settle(spec, order, made, redraw=True)
    outcome.failures.sort(key=lambda exc: exc.tex_name)
    return outcome


@contextmanager
def _few_collections() -> Iterator[None]:
    """Drawing a class makes millions of short-lived SymPy and mpmath objects and little
    cyclic garbage: at the default threshold the cycle collector runs thousands of times
    and takes a fifth of the time. Forked workers inherit the setting."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], GC_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _the_rest(spec: ClassSpec, order: Sequence[Student], made: dict[str, tuple[Staged, Prints]],
              progress: Callable[[int, int], None]) -> None:
    """Every student after the first, in worker processes when there are cores for them."""
    total = len(order)
    if total > 1:
        workers = min(os.cpu_count() or 1, total - 1)
        rest = _chunks(order[1:], max(1, min(CHUNK, -(-(total - 1) // (2 * max(workers, 1))))))
        if workers <= 1:
            for chunk in rest:
                made.update((s.student_id, (s, p)) for s, p in stage_members(spec, chunk))
                progress(len(made), total)
        else:
            _in_workers(spec, rest, workers, made, lambda: progress(len(made), total))


def _in_workers(spec: ClassSpec, chunks: list[Sequence[Student]], workers: int,
                made: dict[str, tuple[Staged, Prints]], tick: Callable[[], None]) -> None:
    futures: list[Future] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        try:
            futures = [pool.submit(stage_members, spec, chunk) for chunk in chunks]
            for future in as_completed(futures):
                made.update((s.student_id, (s, p)) for s, p in future.result())
                tick()
        except BaseException:
            pool.shutdown(cancel_futures=True)  # tasks not started stay undone
            for future in futures:  # tasks that finished meanwhile: keep what they made
                if future.done() and not future.cancelled() and future.exception() is None:
                    made.update((s.student_id, (s, p)) for s, p in future.result())
            raise


def write_class(variants_: list[Variant], out: Path, plan: Plan) -> Outcome:
    """Every student's folder from variants already made (the Python API's
    ``Handouts.write``), students spread over the cores in processes."""
    progress = ProgressBar("students")
    outcome = Outcome([], [], set())
    workers = min(os.cpu_count() or 1, len(variants_))
    if workers == 1:
        for done, variant in enumerate(variants_, 1):
            outcome.add(write_student(variant, out, plan))
            progress(done, len(variants_))
        return outcome
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(write_student, variant, out, plan) for variant in variants_]
        try:
            for done, future in enumerate(as_completed(futures), 1):
                outcome.add(future.result())
                progress(done, len(futures))
        except BaseException:
            pool.shutdown(cancel_futures=True)  # students not started stay unwritten
            raise
    outcome.failures.sort(key=lambda exc: exc.tex_name)
    return outcome


def class_pdfs(outcome: Outcome, students: Sequence[Student], teacher: Path,
               plan: Plan) -> Outcome:
    """OUT/teacher/class-worksheets.pdf and class-solutions.pdf, students in roster order."""
    from lstm_sym.handouts.class_pdf import write_class_pdfs

    by_edition = {edition: [outcome.sources[s.id][edition] for s in students
                            if edition in outcome.sources.get(s.id, {})]
                  for edition in plan.editions}
    made = write_class_pdfs(by_edition, teacher, assets=plan.assets)
    return Outcome(made.written, made.failures, made.missing)
