"""A class's handouts end to end: `lstm-sym worksheet --students` for 300 students, today's
code against the commit issue 15 started from, in the same run (issue 15, items 1 and 2).

Run from the repository root:

    python benchmarks/bench_class.py [--students 300] [--pdf] [--base DIR] [--keep DIR]

Each side is the whole command in a fresh process (`python -m lstm_sym worksheet
--students roster.csv --format md,tex --seed 1 --out …`): reading the roster, drawing
every variant, writing md + tex + key.json per student. The base is a git worktree of
commit 46b7908 (made with `git worktree add` if --base does not exist yet) run with
PYTHONPATH pointing at it; ours runs with PYTHONPATH at this checkout. The two runs
alternate (base, ours) so a busy neighbour hits both; the machine's load average is
printed before and after, and CPU seconds (of the command and its worker processes)
beside wall seconds.

--pdf also times ours with `--format md,tex,pdf`: the class PDFs
OUT/teacher/class-worksheets.pdf and class-solutions.pdf (target ≤ 90 s for 300).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_COMMIT = "46b7908"
TEXT_BUDGET, PDF_BUDGET = 10.0, 90.0


def roster(path: Path, n: int) -> Path:
    """`n` students; a few names with accents, as rosters have."""
    names = ["Ada Lovelace", "Zoë Brontë", "José Núñez", "O'Brien, Ann", "Grace Hopper"]
    rows = ["id,name"] + [f's{i:03d},"{names[i % len(names)]} {i}"' for i in range(1, n + 1)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def base_checkout(where: Path) -> Path:
    """A worktree of the commit the issue started from (made once, then reused)."""
    if not (where / "lstm_sym").is_dir():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(where),
                        BASE_COMMIT], check=True, capture_output=True)
    return where


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def timed_worksheet(code: Path, roster_csv: Path, out: Path, formats: str) -> tuple[float, float]:
    """Wall and CPU seconds (the command and its children) of one whole command."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [sys.executable, "-m", "lstm_sym", "worksheet", "--students", str(roster_csv),
               "--format", formats, "--seed", "1", "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=code, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{code}: worksheet failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def count_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--base", type=Path, default=Path("/tmp/base46"),
                        help=f"worktree of {BASE_COMMIT} (made if missing)")
    parser.add_argument("--pdf", action="store_true", help="also time ours with the class PDFs")
    parser.add_argument("--keep", type=Path, default=None, help="leave the outputs here")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of ours (median and each shown; the base runs once)")
    args = parser.parse_args()
    base = base_checkout(args.base)
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench_class-"))
    work.mkdir(parents=True, exist_ok=True)
    csv = roster(work / "roster.csv", args.students)
    print(f"{args.students} students, md + tex + key.json, whole command each; {load()}")
    runs = [("base " + BASE_COMMIT, base)] + [("ours", ROOT)] * max(1, args.repeat)
    walls: dict[str, list[float]] = {}
    for name, code in runs:
        out = work / name.split()[0]
        shutil.rmtree(out, ignore_errors=True)
        wall, cpu = timed_worksheet(code, csv, out, "md,tex")
        walls.setdefault(name, []).append(wall)
        print(f"  {name:12s} {wall:7.1f} s wall  {cpu:7.1f} s CPU  "
              f"{1000 * cpu / args.students:5.0f} ms CPU/student  {count_files(out):6d} files  "
              f"({load()})")
    results = {name: statistics.median(values) for name, values in walls.items()}
    print(f"  ours: median {results['ours']:.1f} s of {len(walls['ours'])} runs")
    ours, then = results["ours"], results["base " + BASE_COMMIT]
    print(f"  speed-up {then / ours:.1f}x; ours {'within' if ours <= TEXT_BUDGET else 'OVER'} "
          f"the {TEXT_BUDGET:.0f} s budget; {load()}")
    if args.pdf:
        out = work / "ours-pdf"
        shutil.rmtree(out, ignore_errors=True)
        wall, cpu = timed_worksheet(ROOT, csv, out, "md,tex,pdf")
        pdfs = sorted((out / "teacher").glob("class-*.pdf"))
        print(f"  ours + class PDFs {wall:7.1f} s wall  {cpu:7.1f} s CPU  "
              f"({', '.join(p.name for p in pdfs) or 'no class PDF'}); "
              f"{'within' if wall <= PDF_BUDGET else 'OVER'} the {PDF_BUDGET:.0f} s target; {load()}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
