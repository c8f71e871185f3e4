"""Benchmark: drawing clean random variants, and their trace exercise, for every cell.

Not a timed test. Run from the repository root:

    python benchmarks/bench_variants.py [--seeds 50]

For each cell (the lecture's memory cell; LSTM, GRU, RNN with one and two hidden units)
it draws `--seeds` clean variants and builds their trace exercise, and prints the mean
wall and CPU milliseconds per variant. The search screens candidate sequences in float64
(one batched run of the cell) and traces only the first that passes exactly, so drawing
costs a few runs of the cell, not one exact trace per candidate; for comparison the
lecture cell is also drawn with exact screening (every candidate traced ideally in
mpmath, as before the float64 screen). The machine may be shared, so CPU seconds are
printed beside wall seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lstm_sym.exercises import trace  # noqa: E402
from lstm_sym.exercises import variant as variant_module  # noqa: E402
from lstm_sym.exercises.clean import draw_clean  # noqa: E402
from lstm_sym.exercises.variant import draw_variant  # noqa: E402

CELLS = [("lecture", None, 1), ("lstm", {"cell": "lstm"}, 1), ("lstm", {"cell": "lstm"}, 2),
         ("gru", {"cell": "gru"}, 1), ("gru", {"cell": "gru"}, 2), ("rnn", {"cell": "rnn"}, 1),
         ("rnn", {"cell": "rnn"}, 2)]


def _draw(options, seed: int, hidden: int):
    if options is None:
        return draw_variant("lecture-worked", seed)
    return draw_clean(options, seed, hidden=hidden)


def _timed(fn, seeds: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for seed in range(seeds):
        fn(seed)
    return ((time.perf_counter() - wall) * 1000 / seeds,
            (time.process_time() - cpu) * 1000 / seeds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    args = parser.parse_args()
    _draw(None, 10_000, 1)  # build the cells and compile their programs once
    print(f"{'cell':<10}{'hidden':>7}{'draw ms':>10}{'cpu':>8}{'+trace ms':>11}{'cpu':>8}")
    for name, options, hidden in CELLS:
        _draw(options, 10_001, hidden)
        draw = _timed(lambda s, o=options, h=hidden: _draw(o, s, h), args.seeds)
        both = _timed(lambda s, o=options, h=hidden: trace.generate(_draw(o, s, h)),
                      args.seeds)
        print(f"{name:<10}{hidden:>7}{draw[0]:>10.1f}{draw[1]:>8.1f}{both[0]:>11.1f}"
              f"{both[1]:>8.1f}")
    # The lecture cell screened exactly (ideal mpmath rows for every candidate).
    exact_rows = variant_module.batch_rows

    def exact_screen(model, sequences, mode, c0=None, snap=None, bind=None):
        return exact_rows(model, sequences, "ideal" if mode == "float" else mode, c0, bind=bind)

    with mock.patch.object(variant_module, "batch_rows", exact_screen):
        slow = _timed(lambda s: _draw(None, s, 1), args.seeds)
    print(f"{'lecture':<10}{1:>7}{slow[0]:>10.1f}{slow[1]:>8.1f}   (exact screening, before)")


if __name__ == "__main__":
    main()
