"""The one progress bar of the commands (grade, export, worksheet --students)."""

from __future__ import annotations

import sys


class ProgressBar:
    """A one-line bar on stderr, drawn only when stderr is a terminal, so logs and
    pipes get no carriage returns. Called with how many of how many are done.

    >>> bar = ProgressBar("answers")
    >>> bar(1, 2)  # draws nothing here: stderr is not a terminal under doctest
    """

    WIDTH = 30

    def __init__(self, what: str):
        self.what = what
        self.live = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.live or not total:
            return
        filled = int(self.WIDTH * done / total)
        sys.stderr.write(f"\r[{'#' * filled}{' ' * (self.WIDTH - filled)}] "
                         f"{done}/{total} {self.what}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
