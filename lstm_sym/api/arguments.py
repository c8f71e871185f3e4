"""Python keyword arguments read as the CLI reads its options.

The API's functions take the same names as the command's options (``gru_form`` for
``--gru-form``); parsing them with the command's own ``add_arguments`` keeps the two
from drifting apart: a new option of a command is an argument of its function too,
with the same choices, defaults and error messages.
"""

from __future__ import annotations

import argparse
import importlib
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lstm_sym.errors import UserError


class _RaisingParser(argparse.ArgumentParser):
    """argparse that raises :class:`UserError` instead of exiting (a notebook keeps running)."""

    def error(self, message: str):  # noqa: D401 - argparse's signature
        raise UserError(message)


def command_parser(command: str) -> argparse.ArgumentParser:
    """The options of ``lstm-sym COMMAND`` as a parser that raises on a mistake.

    >>> "--gru-form" in command_parser("equations")._option_string_actions
    True
    """
    module = importlib.import_module(f"lstm_sym.cli.{command}")
    parser = _RaisingParser(prog=f"lstm_sym {command}", add_help=False)
    module.add_arguments(parser)
    return parser


def _flag_for(parser: argparse.ArgumentParser, name: str) -> tuple[str, argparse.Action]:
    """The option string and action of a keyword: ``gru_form`` → ``--gru-form``."""
    for flag in (f"--{name.replace('_', '-')}", f"--{name}"):
        action = parser._option_string_actions.get(flag)
        if action is not None:
            return flag, action
    known = sorted(a.dest for a in parser._actions if a.option_strings)
    raise UserError(f"{name}: not an option here (options: {', '.join(known)})")


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def namespace(command: str, options: Mapping[str, Any]) -> argparse.Namespace:
    """Parse keyword options as ``lstm-sym COMMAND`` parses its command line.

    ``None`` means "the default"; ``True`` gives a flag; lists are comma-joined.

    >>> ns = namespace("params", {"cell": "lstm", "input": 64, "hidden": 128, "layers": 2})
    >>> ns.cell, ns.input, ns.layers, ns.bidirectional
    ('lstm', 64, 2, False)
    >>> namespace("params", {"cell": "lstn"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lstm_sym.errors.UserError: argument --cell: invalid choice: 'lstn' (choose from ...)
    """
    parser = command_parser(command)
    argv: list[str] = []
    for name, value in options.items():
        if value is None:
            continue
        flag, action = _flag_for(parser, name)
        if action.nargs == 0:  # a flag: store_true / store_const
            if value is True:
                argv.append(flag)
            elif value is not False:
                raise UserError(f"{name}: expected True or False, got {value!r}")
            continue
        argv += [flag, _text(value)]
    return parser.parse_args(argv)


def as_file(value: Any, folder: Path, name: str) -> str | None:
    """A path as given, or in-memory data (a dict, a list, a NumPy array, a tensor)
    written to ``folder/name`` as JSON, so it is read exactly as the CLI reads files."""
    if value is None or isinstance(value, (str, Path)):
        return None if value is None else str(value)
    path = folder / name
    path.write_text(json.dumps(_plain(value)), encoding="utf-8")
    return str(path)


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):  # NumPy arrays, torch tensors
        return value.tolist()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def scratch_folder() -> tempfile.TemporaryDirectory:
    """A temporary folder for in-memory inputs, removed when the call returns."""
    return tempfile.TemporaryDirectory(prefix="lstm_sym-")
