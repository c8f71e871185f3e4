"""Gradients through time of L = Σ_t Σ_k G_t[k]·y_t[k] (G from --upstream, default ones).

With --symbolic: the gradient as a straight-line program over named intermediates
(reverse mode, one unit, T steps), and the lecture's closed-form facts: the
constant error carousel ∂c_t/∂c_{t−1} = σ(z_f) and the product of forget gates.

Examples:
  lstm-sym grad --example lecture-worked
  lstm-sym grad --weights sd.json --inputs seq.json --upstream g.json --gates float --format json
  lstm-sym grad --cell lstm --symbolic --steps 3
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from lstm_sym.cli.common import add_run_options, positive_int
from lstm_sym.errors import UserError
from lstm_sym.numeric.gradient_report import format_gradients, format_symbolic, gradient_report
from lstm_sym.numeric.trace_report import load_run_inputs
from lstm_sym.numeric.weights import read_json

HELP = "gradients through time (numeric, or a symbolic reverse-mode program)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_run_options(parser)
    parser.add_argument("--upstream", metavar="FILE",
                        help="JSON G, one number per output (same shape as the outputs)")
    parser.add_argument("--symbolic", action="store_true",
                        help="print the symbolic gradient program and closed-form facts")
    parser.add_argument("--steps", type=positive_int, default=None,
                        help="with --symbolic: number of time steps (default: the inputs')")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    if args.symbolic:
        if args.weights or args.upstream:
            raise UserError("--symbolic: weights and --upstream are symbols here; drop them")
        from lstm_sym.model.cells import build_cell
        from lstm_sym.numeric.examples import EXAMPLES

        kind = args.cell or "lecture"
        steps = args.steps or (len(EXAMPLES[args.example][1]) if args.example in EXAMPLES
                               else 3)
        if args.example and args.example not in EXAMPLES:
            raise UserError(f"--example: unknown example {args.example!r}")
        print(format_symbolic(build_cell(kind), steps, args.format))
        return 0
    if args.steps is not None:
        raise UserError("--steps: only with --symbolic (numeric gradients use the inputs' length)")
    src = load_run_inputs(args)
    upstream = read_json(args.upstream, "--upstream") if args.upstream else None
    if upstream is not None:
        upstream = np.array(upstream, dtype=object)
    report = gradient_report(src, upstream, mode=args.gates)
    print(format_gradients(report, args.format) if args.format == "text"
          else json.dumps(report, indent=2, ensure_ascii=False))
    return 0
