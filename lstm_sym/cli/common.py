"""Options shared by several subcommands, and their validation."""

from __future__ import annotations

import argparse

from lstm_sym.model.cells import BIASES, CELL_KINDS, CONVENTIONS, GRU_FORMS, PEEPHOLES
from lstm_sym.model.notation import ACTIVATION_CHOICES
from lstm_sym.model.params import NetworkSpec


def positive_int(text: str) -> int:
    """argparse type: a positive integer, with an error that names the value."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def add_cell_options(parser: argparse.ArgumentParser, default_cell: str | None = "lecture") -> None:
    group = parser.add_argument_group("cell")
    group.add_argument("--cell", choices=CELL_KINDS, default=default_cell,
                       help="lecture: the lecture's memory cell (no recurrence); lstm, gru, rnn; "
                       "ffn: a feed-forward layer (default: %(default)s)")
    group.add_argument("--peephole", choices=PEEPHOLES, default="none",
                       help="LSTM peepholes: lecture = full matrices on c_{t-1}; diagonal = "
                       "elementwise, output gate reads c_t (default: none)")
    group.add_argument("--bias", choices=BIASES, default=None,
                       help="bias vectors per gate (default: the convention's)")
    group.add_argument("--convention", choices=CONVENTIONS, default="lecture",
                       help="bias convention: lecture/keras one bias per gate (Keras GRU "
                       "reset_after: two), pytorch two (default: %(default)s)")
    group.add_argument("--gru-form", choices=GRU_FORMS, default="after",
                       help="GRU reset gate applied after U_n (PyTorch, cuDNN, Keras "
                       "reset_after) or before it (Cho et al. 2014) (default: %(default)s)")
    group.add_argument("--g", choices=ACTIVATION_CHOICES, default=None,
                       help="LSTM input activation g (lecture: identity; lstm: tanh)")
    group.add_argument("--h", choices=ACTIVATION_CHOICES, default=None,
                       help="LSTM output activation h (lecture: identity; lstm: tanh)")


def add_network_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("network")
    group.add_argument("--layers", type=positive_int, default=1, help="stacked layers (default 1)")
    group.add_argument("--bidirectional", action="store_true", help="two directions per layer")
    group.add_argument("--proj", type=positive_int, default=None, metavar="P",
                       help="LSTM projection size (PyTorch's proj_size), smaller than --hidden")


def spec_from_args(args: argparse.Namespace) -> NetworkSpec:
    return NetworkSpec(
        kind=args.cell, peephole=args.peephole, bias=args.bias, convention=args.convention,
        gru_form=args.gru_form, g=args.g, h=args.h,
        layers=getattr(args, "layers", 1), bidirectional=getattr(args, "bidirectional", False),
        proj=getattr(args, "proj", None) is not None,
    )


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Where a trace or gradient gets its model and inputs from."""
    src = parser.add_argument_group("model and inputs")
    src.add_argument("--example", default=None, metavar="NAME",
                     help="a built-in example: lecture-worked, lecture-memory")
    src.add_argument("--cell", choices=("lecture", "lstm", "gru", "rnn"), default=None,
                     help="the cell (default: the weights file's; PyTorch weights: inferred)")
    src.add_argument("--weights", metavar="FILE",
                     help="our weights JSON or a PyTorch state_dict saved as JSON")
    src.add_argument("--inputs", metavar="FILE",
                     help="JSON: a list of time steps, each a list of numbers (or a batch)")
    src.add_argument("--h0", metavar="FILE", help="JSON initial h (default zeros)")
    src.add_argument("--c0", metavar="FILE", help="JSON initial c (default zeros)")
    src.add_argument("--gates", choices=("exact", "ideal", "float"), default="exact",
                     help="exact (mpmath), ideal (0/1 gates) or float (float64) (default exact)")
