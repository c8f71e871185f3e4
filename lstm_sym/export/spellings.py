"""Key answers in the forms Moodle can compare: plain numbers with an absolute tolerance
(numerical questions), and the spellings of a formula (shortanswer questions).

Moodle's shortanswer compares text, not mathematics: a formula is accepted only if the
student types one of the listed spellings (case and surrounding spaces ignored). We
list the key's form, the expanded and the factored form, each with ``*`` written out
or left implicit, ``^`` or ``**`` for powers, with and without spaces, and ``σ`` for
``sigma``. Anything else (``4nm`` for ``4mn``) is marked wrong by Moodle; the report
of ``lstm-sym grade`` does not have this limit, nor does STACK in Moodle.

Key answers are our own output (see docs/contracts.md), never student text, so SymPy
may parse them.

>>> formula_spellings("4*m*(m + n + 1)", ["m", "n"])[:4]
['4*m*(m + n + 1)', '4*m*(m+n+1)', '4m(m + n + 1)', '4m(m+n+1)']
>>> moodle_number("4.53978687024e-5"), moodle_number("3/4"), moodle_number("oo")
('4.53978687024e-5', '0.75', None)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import sympy as sp

# Moodle's NUMBER_REGEX (question/type/multianswer/questiontype.php), without ',' decimals.
MOODLE_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
MAX_SPELLINGS = 24
_IMPLICIT = re.compile(r"(?<=[\w)])\*(?=[A-Za-z(σ])")  # 4*m, m*(…), )*( — not 2*3


def _parse(text: str, variables: Iterable[str] = ()) -> sp.Expr:
    names = {v: sp.Symbol(v) for v in variables}
    names["sigma"] = sp.Function("sigma")
    return sp.sympify(text.replace("^", "**"), locals=names)


def moodle_number(text: str) -> str | None:
    """The value as Moodle reads a number (None if it is not a finite real number)."""
    text = text.strip()
    if MOODLE_NUMBER.fullmatch(text):
        return text
    try:
        value = float(_parse(text))
    except (sp.SympifyError, TypeError, ValueError, SyntaxError):
        return None
    return repr(value) if math.isfinite(value) else None


def tolerance_for(value: str, tolerance: Mapping[str, Any] | None) -> str:
    """The key's tolerance (abs, rel, sigfigs) as one absolute tolerance around `value`.

    >>> tolerance_for("8.19401e-40", {"abs": 0.0, "rel": 0.001})
    '8.19401e-43'
    >>> tolerance_for("0.731", {"sigfigs": 3}), tolerance_for("7", None)
    ('0.0005', '0')
    """
    tolerance = tolerance or {}
    x = abs(float(value))
    allowed = [float(tolerance.get("abs") or 0.0), float(tolerance.get("rel") or 0.0) * x]
    sigfigs = tolerance.get("sigfigs")
    if sigfigs and x:
        allowed.append(0.5 * 10 ** (math.floor(math.log10(x)) - int(sigfigs) + 1))
    best = max(allowed)
    return "0" if best == 0 else f"{best:.6g}"


def within(a: str, b: str, tolerance: str) -> bool:
    """Whether Moodle would accept `a` for an answer `b` with this tolerance."""
    return abs(float(a) - float(b)) <= float(tolerance) * (1 + 1e-12)


def split_vector(text: str) -> list[str]:
    """The entries of a key's vector answer, as written.

    >>> split_vector("[4*m, sigma(x1, x2), 3]")
    ['4*m', 'sigma(x1, x2)', '3']
    """
    body = text.strip().removeprefix("[").removesuffix("]")
    entries, depth, current = [], 0, ""
    for ch in body:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            entries.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        entries.append(current.strip())
    return entries


def _terminating_decimal(value: sp.Rational) -> str | None:
    q = value.q
    for p in (2, 5):
        while q % p == 0:
            q //= p
    return None if q != 1 else format(float(value), ".10g")


def _written_forms(expr: sp.Expr, original: str) -> list[str]:
    forms = [original.strip(), sp.sstr(expr), sp.sstr(sp.expand(expr)), sp.sstr(sp.factor(expr))]
    if isinstance(expr, sp.Rational) and not expr.is_Integer:
        decimal = _terminating_decimal(expr)
        if decimal:
            forms += [decimal, decimal.removeprefix("0") if decimal.startswith("0.") else decimal]
    return list(dict.fromkeys(forms))


def _variants(form: str) -> list[str]:
    out = [spacing
           for power in (form.replace("**", "^"), form)
           for product in (power, _IMPLICIT.sub("", power))
           for spacing in (product, product.replace(" ", ""))]
    with_sigma = [v.replace("sigma", "σ") for v in out if "sigma" in v]
    return list(dict.fromkeys(out + with_sigma))


def formula_spellings(answer: str, variables: Iterable[str] = (),
                      accept: Iterable[str] = ()) -> list[str]:
    """Spellings of a formula that Moodle should accept, most natural first.

    >>> "4m^2+4mn+4m" in formula_spellings("4*m**2 + 4*m*n + 4*m", ["m", "n"])
    True
    >>> formula_spellings("3/4")
    ['3/4', '0.75', '.75']
    """
    try:
        expr = _parse(answer, variables)
    except (sp.SympifyError, TypeError, ValueError, SyntaxError):
        return list(dict.fromkeys([answer.strip(), *accept]))
    spellings: list[str] = []
    for form in _written_forms(expr, answer):
        spellings += _variants(form)
    spellings += [a.strip() for a in accept]
    return list(dict.fromkeys(s for s in spellings if s))[:MAX_SPELLINGS]


def is_constant(answer: str, variables: Iterable[str] = ()) -> bool:
    """Whether a formula answer is a plain integer (then Moodle can check it as a number).

    >>> is_constant("4"), is_constant("3/4"), is_constant("4*m", ["m"])
    (True, False, False)
    """
    try:
        return bool(_parse(answer, variables).is_Integer)
    except (sp.SympifyError, TypeError, ValueError, SyntaxError):
        return False


def shortanswer_pattern(text: str) -> str:
    """A spelling as a Moodle shortanswer answer: ``*`` is Moodle's wildcard, so escape it.

    >>> shortanswer_pattern("4*m")
    '4\\\\*m'
    """
    return text.replace("*", r"\*")
