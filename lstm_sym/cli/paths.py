"""How the commands name files in their messages."""

from __future__ import annotations

import os
from pathlib import Path


def relative_path(path: Path) -> str:
    """The path relative to the working folder, as a teacher typed it; the path as
    given where no relative one exists (another drive on Windows).

    >>> relative_path(Path.cwd() / "out" / "key.json") == os.path.join("out", "key.json")
    True
    """
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
