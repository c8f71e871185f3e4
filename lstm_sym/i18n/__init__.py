"""Per-language message catalogues: every sentence the product shows.

Catalogues are JSON files named ``<area>.<lang>.json`` in this folder (e.g.
``exercises.en.json``, ``ui.zh.json``); all areas of a language are merged, so
several modules can own their own file. Messages are ``str.format`` templates.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LANGS = ("en", "zh")
_DIR = Path(__file__).parent


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of a language.

    >>> isinstance(catalogue("en"), dict)
    True
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    merged: dict[str, str] = {}
    for path in sorted(_DIR.glob(f"*.{lang}.json")):
        for key, text in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise ValueError(f"message {key!r} defined twice ({path.name})")
            merged[key] = text
    return merged


def msg(lang: str, key: str, **values) -> str:
    """One message, formatted; a missing key is our bug, so it raises.

    >>> msg("en", "__test__") if "__test__" in catalogue("en") else "ok"
    'ok'
    """
    return catalogue(lang)[key].format(**values)
