"""Evaluate a cell over an input sequence, step by step.

Modes (--gates): exact (mpmath, 50 digits: σ(90) = 1 − 8.2·10⁻⁴⁰), ideal (every σ a
0/1 step, as the lecture reasons; steps where ideal and exact differ are reported),
float (float64 NumPy, batches of sequences; --dtype float32 for single precision, which
implies --gates float).

Examples:
  lstm-sym trace --example lecture-worked --gates ideal
  lstm-sym trace --example lecture-memory --format markdown
  lstm-sym trace --weights lstm_state_dict.json --inputs seq.json --format json
  lstm-sym trace --weights lstm_state_dict.json --inputs batch.json --dtype float32
"""

from __future__ import annotations

import argparse

from lstm_sym.cli.common import add_run_options
from lstm_sym.errors import UserError
from lstm_sym.numeric.backends import FLOAT_DTYPES
from lstm_sym.numeric.trace_report import TRACE_FORMATS, format_trace, load_run_inputs, trace_report

HELP = "step-by-step values (gates, memory, output) for an input sequence"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_run_options(parser)
    parser.add_argument("--format", choices=TRACE_FORMATS, default="table")
    parser.add_argument("--tol", type=float, default=1e-3,
                        help="ideal mode: report values further than this from exact (1e-3)")
    parser.add_argument("--digits", type=int, default=10,
                        help="significant digits shown for exact values (default 10)")
    parser.add_argument("--dtype", choices=tuple(FLOAT_DTYPES), default=None,
                        help="number type of a float trace: float64 (default) or float32; "
                             "implies --gates float")
    # --gates defaults to exact unless --dtype asks for a float trace (see gates_and_dtype).
    parser.set_defaults(gates=None)


def gates_and_dtype(args: argparse.Namespace) -> tuple[str, str]:
    """The trace mode and float dtype the options ask for.

    >>> gates_and_dtype(argparse.Namespace(gates=None, dtype="float32"))
    ('float', 'float32')
    >>> gates_and_dtype(argparse.Namespace(gates=None, dtype=None))
    ('exact', 'float64')
    """
    if args.dtype and args.gates not in (None, "float"):
        raise UserError(f"--dtype {args.dtype}: only float traces have a dtype; --gates "
                        f"{args.gates} computes with mpmath (drop --dtype or use --gates float)")
    gates = args.gates or ("float" if args.dtype else "exact")
    return gates, args.dtype or "float64"


def run(args: argparse.Namespace) -> int:
    if args.digits < 1 or args.digits > 100:
        raise UserError(f"--digits: expected 1 to 100, got {args.digits}")
    gates, dtype = gates_and_dtype(args)
    inputs = load_run_inputs(args)
    report = trace_report(inputs, mode=gates, tol=args.tol, dtype=dtype)
    print(format_trace(report, args.format, digits=args.digits))
    return 0
