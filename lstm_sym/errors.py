"""The one exception type for mistakes a user can make.

The CLI catches :class:`UserError` at the edge and prints its message as a
single line on stderr with a non-zero exit; any other exception is our bug.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input, reported as one line.

    >>> str(UserError("--hidden: expected a positive integer, got '-3'"))
    "--hidden: expected a positive integer, got '-3'"
    """
