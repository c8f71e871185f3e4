"""One trace plot's SVG (`trace.svg` beside a solutions sheet's Markdown): ours, and with
--base the code of another checkout that has ``lstm_sym.handouts.pictures.trace_svg(plot,
xlabel)``, each in a fresh process on the lecture sheet's plot (issue 15, item 1).
The matplotlib SVG it replaced is commit bf7008d:

    git archive bf7008d | tar -x -C /tmp/base_bf7
    python benchmarks/bench_trace_plot.py [--runs 200] [--base /tmp/base_bf7]

Prints the median milliseconds per plot (every run draws the whole picture: our
geometry's cache is emptied first) and the machine's load average.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import statistics, sys, time
from lstm_sym.exercises import build_set
from lstm_sym.handouts.content import build_worksheet
from lstm_sym.handouts import pictures
ws = build_worksheet(build_set(), "en")
plot = next(s.plot for s in ws.sections if s.plot is not None)
clear = getattr(sys.modules.get("lstm_sym.handouts.trace_geometry"), "_layout", None)
times = []
for _ in range(int(sys.argv[1])):
    if clear is not None:
        clear.cache_clear()
    start = time.perf_counter()
    pictures.trace_svg(plot, "time step $t$")
    times.append(time.perf_counter() - start)
print(f"{statistics.median(times) * 1000:.2f}")
"""


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def median_ms(code: Path, runs: int) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, str(runs)], cwd=code, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(code)})
    if done.returncode != 0:
        sys.exit(f"{code}: {done.stderr[-1500:]}")
    return done.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--base", type=Path, default=None, help="another checkout to time too")
    args = parser.parse_args()
    print(f"trace.svg of the lecture sheet, median of the runs; {load()}")
    if args.base is not None:
        print(f"  base {args.base}: {median_ms(args.base, max(5, args.runs // 20))} ms per plot")
    print(f"  ours: {median_ms(ROOT, args.runs)} ms per plot; {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
