"""Benchmark: each exercise family's milliseconds per student of a class, and the key's hints.

Not a timed test. Run from the repository root:

    python benchmarks/bench_families.py [--students 60] [--cells lecture,gru,lstm,rnn]
                                        [--base DIR]

For each cell it builds a class of `--students` clean random variants (seed 1, the
worksheet's defaults: the lecture's cell with three inputs and one hidden unit, a GRU with
two, LSTM and RNN with one) and times every family's ``generate`` and the key's
``attach_hints`` per student, twice: the first pass meets each student's sizes and weights
for the first time (what a class run pays), the second meets them again (every per-sizes
and per-weights result already made). One student is built before timing, as a class run
builds its first student before the others. Drawing the variants is not timed here (see
bench_variants.py). The machine may be shared, so the process's CPU milliseconds are
printed beside the wall time.

BENCH_NO_GC=1 turns Python's garbage collector off in the measured runs: its full collections
land in whichever family allocates at the time (a pass's few pauses, not that family's work).

--base DIR also runs this script with PYTHONPATH=DIR (e.g. ``git worktree add /tmp/base
3cafbad``, the commit before the families' results were shared) and prints both.
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HIDDEN = {"gru": 2}  # the other cells: one hidden unit


def _instrument(acc: collections.Counter) -> None:
    """Wrap every family's generate and the key's attach_hints with a timer into `acc`."""
    from lstm_sym.exercises import exercise_set

    for family in exercise_set.FAMILIES:
        def timed(v, _name=family.__name__.rsplit(".", 1)[-1], _generate=family.generate):
            start = time.perf_counter()
            try:
                return _generate(v)
            finally:
                acc[_name] += time.perf_counter() - start
        family.generate = timed
    attach = exercise_set.attach_hints

    def timed_hints(*args, **kwargs):
        start = time.perf_counter()
        try:
            return attach(*args, **kwargs)
        finally:
            acc["attach_hints"] += time.perf_counter() - start
    exercise_set.attach_hints = timed_hints


def measure(cell: str, students: int) -> None:
    from lstm_sym.exercises import exercise_set
    from lstm_sym.exercises.clean import draw_clean
    from lstm_sym.exercises.variant import draw_variant
    from lstm_sym.key import Student

    def variant(k: int):
        who = Student(f"s{k:03d}", "x")
        if cell == "lecture":
            return draw_variant("lecture-worked", 1, who, (1, 4), 0)
        return draw_clean({"cell": cell}, 1, who, (1,), 0, 3, HIDDEN.get(cell, 1))

    variants = [variant(k) for k in range(students + 1)]
    if os.environ.get("BENCH_NO_GC"):  # to tell Python's collector pauses from the code's time
        gc.disable()
    acc: collections.Counter = collections.Counter()
    _instrument(acc)
    passes = []
    for label, batch in (("warm-up", variants[:1]), ("first", variants[1:]),
                         ("again", variants[1:])):
        acc.clear()
        cpu = time.process_time()
        for v in batch:
            exercise_set.from_variant(v).key("en")
        passes.append((label, dict(acc), time.process_time() - cpu))
    (_, first, cpu_first), (_, again, cpu_again) = passes[1], passes[2]
    print(f"{cell}: ms per student over {students} students — first pass | again "
          f"(process CPU for the whole pass: {cpu_first / students * 1e3:.1f} | "
          f"{cpu_again / students * 1e3:.1f} ms per student)")
    for name in sorted(first, key=lambda k: -first[k]):
        print(f"  {name:14s} {first[name] / students * 1e3:8.2f} | "
              f"{again.get(name, 0) / students * 1e3:8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--cells", default="lecture,gru,lstm,rnn")
    parser.add_argument("--base", type=Path, help="another checkout to run the same way")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    runs = [("ours", ROOT)] + ([("base", args.base.resolve())] if args.base else [])
    for cell in args.cells.split(","):
        for label, path in runs:
            print(f"--- {label} ({path})", flush=True)
            subprocess.run([sys.executable, __file__, "--one", cell, str(args.students)],
                           env={**os.environ, "PYTHONPATH": str(path)}, check=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        measure(sys.argv[2], int(sys.argv[3]))
    else:
        main()
