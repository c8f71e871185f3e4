"""Print a cell's closed-form equations.

Examples:
  lstm-sym equations                          # the lecture's memory cell
  lstm-sym equations --cell lstm --peephole diagonal --format latex --standalone
  lstm-sym equations --cell gru --gru-form before --format json
"""

from __future__ import annotations

import argparse

from lstm_sym.cli.common import add_cell_options, spec_from_args
from lstm_sym.model.printing import FORMATS, Equations, format_equations

HELP = "print a cell's equations (unicode, LaTeX, Markdown, JSON)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_cell_options(parser)
    parser.add_argument("--proj", action="store_const", const=1, default=None,
                        help="LSTM with a projection of h (PyTorch's proj_size)")
    parser.add_argument("--format", choices=FORMATS, default="unicode")
    parser.add_argument("--standalone", action="store_true",
                        help="with --format latex: a whole document that pdflatex compiles")
    layout = parser.add_mutually_exclusive_group()
    layout.add_argument("--gates", dest="compact", action="store_false", default=None,
                        help="one line per gate activation (default except for the lecture cell)")
    layout.add_argument("--compact", dest="compact", action="store_true",
                        help="gates substituted into c and y, as the lecture writes them")


def run(args: argparse.Namespace) -> int:
    if args.standalone and args.format != "latex":
        from lstm_sym.errors import UserError

        raise UserError("--standalone: only with --format latex")
    cell = spec_from_args(args).cell()
    print(format_equations(Equations.of(cell, compact=args.compact), args.format,
                           standalone=args.standalone))
    return 0
