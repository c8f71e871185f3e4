"""The `lstm-sym` command: a thin edge over the library.

Each subcommand lives in ``lstm_sym/cli/<name>.py`` with ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``. Errors a user can cause
(:class:`UserError`, bad options) print one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from lstm_sym import __version__
from lstm_sym.errors import UserError

COMMANDS = ("equations", "params", "trace", "grad", "worksheet", "check", "grade", "export")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line, not a usage dump."""

    def error(self, message: str):  # noqa: D401 - argparse's signature
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lstm-sym",
        description="Symbolic LSTM, GRU and RNN cells for teaching: equations, parameter "
        "counts, traces, gradients, worksheets and answer checking.",
        epilog="Run 'lstm-sym COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"lstm-sym {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"lstm_sym.cli.{name}")
        except ModuleNotFoundError as exc:  # a command still being written
            if exc.name != f"lstm_sym.cli.{name}":
                raise
            continue
        cmd = sub.add_parser(name, help=module.HELP, description=module.__doc__,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(cmd)
        cmd.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args) or 0
    except UserError as exc:
        print(f"lstm-sym {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lstm-sym: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `lstm-sym ... | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
