"""The LaTeX part of a class PDF alone: `class_pdf.write_class_pdfs` on sources already
written by `lstm-sym worksheet --students … --format md,tex` (issue 15, item 2).

Run from the repository root:

    python benchmarks/bench_class_pdf.py OUT [--students N] [--workers K]

OUT is a class folder: each student's ``OUT/<id>/worksheet.tex`` and the teacher's
``OUT/teacher/<id>/solutions.tex``. Generation is left out (bench_class.py times the
whole command), so a change to the LaTeX side is measured on its own. The class PDFs
are written to a temporary folder; their page counts, the CPU seconds of the LaTeX runs
and the machine's load average (before and after) are printed beside the wall seconds.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lstm_sym.handouts.class_pdf import write_class_pdfs  # noqa: E402


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def sources(out: Path, limit: int | None) -> dict[str, list[str]]:
    """Each edition's LaTeX sources in student-id order (the roster's order here)."""
    ids = sorted(p.name for p in out.iterdir()
                 if p.is_dir() and (p / "worksheet.tex").is_file())[:limit]
    return {"worksheet": [(out / i / "worksheet.tex").read_text(encoding="utf-8") for i in ids],
            "solutions": [(out / "teacher" / i / "solutions.tex").read_text(encoding="utf-8")
                          for i in ids]}


def pages(pdf: Path) -> str:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    return next((line.split()[-1] for line in done.stdout.splitlines()
                 if line.startswith("Pages:")), "?")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="a class folder written with --format md,tex")
    parser.add_argument("--students", type=int, default=None, help="only the first N")
    parser.add_argument("--workers", type=int, default=None, help="LaTeX runs at once")
    parser.add_argument("--keep", type=Path, default=None, help="write the PDFs here")
    args = parser.parse_args()
    by_edition = sources(args.out, args.students)
    target = Path(args.keep or tempfile.mkdtemp(prefix="bench_class_pdf-"))
    print(f"{len(by_edition['worksheet'])} students, class PDFs only; {load()}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    made = write_class_pdfs(by_edition, target, workers=args.workers)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if made.failures or made.missing:
        print(f"  failed: {made.failures} missing: {sorted(made.missing)}")
        return 1
    made_pages = "  ".join(f"{p.name} {pages(p)} pages" for p in made.written)
    print(f"  {wall:6.1f} s wall  {cpu:6.1f} s CPU (LaTeX runs)  {made_pages}; {load()}")
    if args.keep is None:
        shutil.rmtree(target, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
