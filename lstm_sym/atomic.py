"""Write files and folders so a reader never sees half of one.

A file is written to a temporary name in its own folder and moved over the final
name with :func:`os.replace` (atomic on one file system). A folder is filled under
a hidden temporary name (:func:`new_staging_folder`) and renamed when complete
(:func:`publish_folder`); an interrupted run leaves at most a ``.*.tmp-*`` folder
behind, never a half-filled student folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` atomically; returns the path.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_bytes(p, b"hi").read_bytes()
    b'hi'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; handouts are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text (newlines as given) atomically.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.md"
    >>> write_text(p, "名前\\n").read_text(encoding="utf-8")
    '名前\\n'
    """
    return write_bytes(path, text.encode("utf-8"))


def new_staging_folder(final: str | Path) -> Path:
    """An empty hidden folder beside `final` to fill before :func:`publish_folder`.

    >>> import tempfile, pathlib
    >>> new_staging_folder(pathlib.Path(tempfile.mkdtemp()) / "s001").name.startswith(".s001.tmp-")
    True
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))


def publish_folder(staging: str | Path, final: str | Path) -> Path:
    """Rename a complete staging folder to `final`, replacing an older `final`.

    The old folder is first renamed aside, so `final` is always either the old
    complete folder or the new one.

    >>> import tempfile, pathlib
    >>> final = pathlib.Path(tempfile.mkdtemp()) / "s001"
    >>> tmp = new_staging_folder(final); _ = (tmp / "a").write_text("1")
    >>> sorted(p.name for p in publish_folder(tmp, final).iterdir())
    ['a']
    """
    staging, final = Path(staging), Path(final)
    os.chmod(staging, 0o755)  # mkdtemp makes 0700
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        os.replace(final, old / final.name)
    os.replace(staging, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return final


def discard_folder(staging: str | Path) -> None:
    """Remove a staging folder after a failure.

    >>> import tempfile, pathlib
    >>> tmp = new_staging_folder(pathlib.Path(tempfile.mkdtemp()) / "s003")
    >>> discard_folder(tmp); tmp.exists()
    False
    """
    shutil.rmtree(staging, ignore_errors=True)
