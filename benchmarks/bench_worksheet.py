"""Benchmark: handouts for a class — Markdown, LaTeX and key.json per student.

Not a timed test. Run from the repository root:

    python benchmarks/bench_worksheet.py [--students 300] [--distinct N] [--text-only]

It compares, in the same run and on the same variants:

- baseline: students one after another, each with a fresh Jinja environment
  (every template parsed and compiled again), as a naive loop would do;
- ours: ``write_class`` — the cached environment, students spread over the cores.

Both write md + tex + key.json for every student, first without the trace plot
(the text the budget of 10 s is about) and then with the SVG plot the Markdown
shows. Exercise generation is the exercises package's work, not the writing's:
it is timed apart, on `--distinct` variants (default: one per student), which are
dealt round the class under each student's own id and name. The machine may be
shared, so CPU seconds are printed beside wall seconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lstm_sym.cli.worksheet import Plan, Variant, write_class, write_student
from lstm_sym.exercises import build_set
from lstm_sym.handouts.content import Student, Worksheet, build_worksheet
from lstm_sym.handouts.render import environment

BUDGET_SECONDS = 10.0


def class_of(n: int, distinct: int, lang: str) -> tuple[list[Variant], float]:
    """`n` students' variants built from `distinct` exercise sets; the seconds one set took."""
    start = time.perf_counter()
    sets = [build_set(seed=k) for k in range(distinct)]
    per_set = (time.perf_counter() - start) / distinct
    sheets = [(build_worksheet(s, lang=lang), s.key(lang=lang)) for s in sets]
    variants = []
    for i in range(n):
        student = Student(f"s{i + 1:03d}", f"Student {i + 1}")
        ws, key = sheets[i % distinct]
        variants.append(Variant(student, replace(ws, student=student),
                                {**key, "student": {"id": student.id, "name": student.name}}))
    return variants, per_set


def without_plots(ws: Worksheet) -> Worksheet:
    return replace(ws, sections=tuple(replace(s, plot=None) for s in ws.sections))


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the worker processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(run, *args) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of a run: the machine is shared, so CPU time says what
    the work costs when others are busy too."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    run(*args)
    return time.perf_counter() - wall, cpu_seconds() - cpu


def baseline(variants: list[Variant], out: Path, plan: Plan) -> None:
    """One student at a time, a fresh Jinja environment for each."""
    for variant in variants:
        environment.cache_clear()
        write_student(variant, out, plan)


def ours(variants: list[Variant], out: Path, plan: Plan) -> None:
    environment.cache_clear()  # ours pays for its one compilation per process too
    write_class(variants, out, plan)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--distinct", type=int, default=None,
                        help="distinct variants (default: as many as students)")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--text-only", action="store_true", help="skip the runs with plots")
    args = parser.parse_args()

    variants, per_set = class_of(args.students, args.distinct or args.students, args.lang)
    text_only = [replace(v, solutions=without_plots(v.solutions)) for v in variants]
    plan = Plan(formats=("md", "tex"), editions=("worksheet", "solutions"), templates=None,
                pdf=False)
    print(f"{args.students} students, {os.cpu_count()} cores; md + tex + key.json, "
          "worksheet and solutions")
    print(f"  exercise generation (exercises package): {per_set * 1000:.0f} ms per variant "
          f"-> {per_set * args.students:.1f} s for {args.students} distinct variants")
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        runs = [("text (no plot)", text_only), ("with SVG plot", variants)]
        for label, batch in runs[: 1 if args.text_only else 2]:
            base, base_cpu = timed(baseline, batch, Path(tmp) / "baseline", plan)
            mine, mine_cpu = timed(ours, batch, Path(tmp) / "ours", plan)
            rows.append((label, mine, mine_cpu))
            print(f"  {label:15} baseline {base:6.2f} s (cpu {base_cpu:6.2f} s)   "
                  f"ours {mine:6.2f} s (cpu {mine_cpu:6.2f} s)   {base / mine:4.1f}x faster")
    _, wall, cpu = rows[0]
    cores = os.cpu_count() or 1
    verdict = "within" if wall <= BUDGET_SECONDS else "OVER"
    print(f"  text for {args.students} students: {wall:.2f} s, {verdict} the "
          f"{BUDGET_SECONDS:.0f} s budget (load average now {os.getloadavg()[0]:.1f}; "
          f"{cpu:.2f} CPU s, {cpu / cores:.2f} s on {cores} idle cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
