"""Symbolic gradient through time: build time and operation counts (issue 3, benchmark b).

For T = 5, 10, 20, 50, 100 the reverse-mode program over named intermediates is
built for a scalar recurrent LSTM; its operation count is compared with the
forward program's (cheap-gradient bound: at most 5x) and with naive
`sympy.diff` of the fully expanded output at T <= 5 (the baseline, exponential).
Run: python benchmarks/bench_symbolic_grad.py [--naive-max T]
"""

from __future__ import annotations

import argparse
import time

import sympy as sp

from lstm_sym.model.cells import build_cell
from lstm_sym.numeric.symbolic_gradients import gradient_program, naive_gradient


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--naive-max", type=int, default=4,
                    help="largest T for the naive baseline (5 takes minutes)")
    ap.add_argument("--cell", default="lstm")
    args = ap.parse_args()
    cell = build_cell(args.cell)
    print(f"{'T':>4} {'build s':>8} {'fwd ops':>8} {'grad ops':>9} {'ratio':>6}  "
          f"{'naive s':>8} {'naive ops':>10}")
    for steps in (1, 2, 3, 4, 5, 10, 20, 50, 100):
        start = time.perf_counter()
        prog = gradient_program(cell, steps)
        built = time.perf_counter() - start
        fwd, bwd = prog.forward_ops, prog.backward_ops
        naive = ""
        if steps <= args.naive_max:
            start = time.perf_counter()
            expr = naive_gradient(cell, steps, "W_z")
            naive = f"{time.perf_counter() - start:8.2f} {sp.count_ops(expr):10d}"
        print(f"{steps:4d} {built:8.3f} {fwd:8d} {bwd:9d} {bwd / fwd:6.2f}  {naive}")


if __name__ == "__main__":
    main()
