"""The `lstm-sym` command: one module per subcommand, plus the shared input and option helpers."""

from lstm_sym.cli.app import main

__all__ = ["main"]
