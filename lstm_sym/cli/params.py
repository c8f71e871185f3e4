"""Count a network's parameters from its cell's tensor shapes.

Without sizes it prints the closed form; with --input and --hidden, the total
and every tensor. Notes compare with a plain layer and with the GRU/LSTM.

Examples:
  lstm-sym params --cell lecture --input 3 --hidden 1
  lstm-sym params --cell lstm --convention pytorch --input 64 --hidden 128 --layers 2
  lstm-sym params --cell gru --format json
"""

from __future__ import annotations

import argparse
import json

from lstm_sym.cli.common import add_cell_options, add_network_options, positive_int, spec_from_args
from lstm_sym.errors import UserError
from lstm_sym.model.params import count_params, format_params_text

HELP = "count parameters: closed form, totals, per tensor; PyTorch/Keras conventions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_cell_options(parser)
    sizes = parser.add_argument_group("sizes")
    sizes.add_argument("--input", type=positive_int, default=None, metavar="N",
                       help="input size n")
    sizes.add_argument("--hidden", type=positive_int, default=None, metavar="M",
                       help="hidden size m (number of memory cells)")
    add_network_options(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    if (args.input is None) != (args.hidden is None):
        given, missing = ("--input", "--hidden") if args.input is not None else ("--hidden",
                                                                                 "--input")
        raise UserError(f"{missing}: needed with {given} for a total")
    if args.proj is not None and args.hidden is not None and args.proj >= args.hidden:
        raise UserError(f"--proj: must be smaller than --hidden ({args.hidden}), got {args.proj}")
    report = count_params(spec_from_args(args), input_size=args.input, hidden=args.hidden,
                          proj_size=args.proj)
    if args.format == "json":
        data = report.as_dict()
        from lstm_sym.model.params import comparisons

        data["notes"] = [c.sentence for c in comparisons(report.spec)]
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(format_params_text(report))
    return 0
