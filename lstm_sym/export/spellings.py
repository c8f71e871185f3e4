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
from decimal import ROUND_CEILING, Decimal
from typing import Any

import sympy as sp

# Moodle's NUMBER_REGEX (question/type/multianswer/questiontype.php), without ',' decimals.
MOODLE_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
MAX_SPELLINGS = 64
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
    """The key's tolerance (abs, rel, sigfigs) as one absolute tolerance around `value`,
    rounded OUTWARD to six significant figures (so Moodle never rejects what the checker
    accepts: 1/3 with a relative tolerance of 0.001 must accept 0.333).

    >>> tolerance_for("8.19401e-40", {"abs": 0.0, "rel": 0.001})
    '8.19401e-43'
    >>> tolerance_for("0.3333333333333333", {"rel": 0.001})
    '0.000333334'
    >>> tolerance_for("0.731", {"sigfigs": 3}), tolerance_for("7", None)
    ('0.0005', '0')
    """
    tolerance = tolerance or {}
    x = abs(float(value))
    allowed = [float(tolerance.get("abs") or 0.0), float(tolerance.get("rel") or 0.0) * x]
    sigfigs = tolerance.get("sigfigs")
    if sigfigs and x:
        allowed.append(0.5 * 10 ** (math.floor(math.log10(x)) - int(sigfigs) + 1))
    return ceil_significant(max(allowed))


def answer_intervals(value: str, tolerance: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(answer, absolute tolerance) pairs whose union is what the checker accepts: one
    around the value for abs/rel, and for significant figures the interval of numbers
    that round to the same figures or lie within half a unit of the value's last figure
    (the checker's rule, after STACK's NumSigFigs).

    >>> answer_intervals("0.000123456", {"sigfigs": 3})  # [0.0001225, 0.000123956)
    [('0.000123227999636', '7.27999636E-7')]
    >>> answer_intervals("9.996", {"sigfigs": 3})  # rounds up to 10.0: [9.995, 10.05)
    [('10.0205', '0.0294999705')]
    >>> answer_intervals("7", {"abs": 0.01})
    [('7', '0.01')]
    """
    tolerance = tolerance or {}
    sigfigs = tolerance.get("sigfigs")
    out = []
    if not sigfigs or tolerance.get("abs") or tolerance.get("rel") or float(value) == 0:
        out.append((value, tolerance_for(value, {k: v for k, v in tolerance.items()
                                                 if k != "sigfigs"})))
    if sigfigs and float(value) != 0:
        target = Decimal(value)
        low, high = _rounding_interval(target, int(sigfigs))
        # or within half a unit of the target's last figure (as STACK's NumSigFigs)
        unit = Decimal(1).scaleb(abs(target).adjusted() - int(sigfigs) + 1)
        low_open = target - unit / 2 < low
        low, high = min(low, target - unit / 2), max(high, target + unit / 2)
        # The checker's top end is open (and the bottom one too if it comes from the half
        # unit); Moodle's interval is closed and widened by its margin (up to 1e-14·|x|),
        # so those ends are pulled in by a hair the margin cannot cover.
        hair = max((high - low) * Decimal("5e-7"), Decimal("1e-13") * max(1, abs(high), abs(low)))
        high -= hair
        if low_open:
            low += hair
        centre, half = (low + high) / 2, (high - low) / 2
        out.append((format(centre.normalize(), "f"), format(half.normalize(), "E")
                    if half.adjusted() < -5 else format(half.normalize(), "f")))
    return out


def _rounding_interval(value: Decimal, figures: int) -> tuple[Decimal, Decimal]:
    """[low, high] of the numbers whose `figures`-digit rounding (half up, as the checker's
    round_sigfigs) equals that of `value`."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    exponent = magnitude.adjusted() - figures + 1
    mantissa = (magnitude.scaleb(-exponent) + Decimal("0.5")).to_integral_value(rounding="ROUND_FLOOR")
    if mantissa >= 10 ** figures:  # 9.996 -> 10.0: the carry moves the exponent
        mantissa, exponent = mantissa // 10, exponent + 1
    unit = Decimal(1).scaleb(exponent)
    low = (mantissa - Decimal("0.5")) * unit
    if mantissa == 10 ** (figures - 1):  # just below a power of ten rounds up to it too
        low = (Decimal(10 ** figures) - Decimal("0.5")) * unit / 10
    high = (mantissa + Decimal("0.5")) * unit
    return (low, high) if sign > 0 else (-high, -low)


def ceil_significant(x: float, digits: int = 6) -> str:
    """`x` rounded up to `digits` significant figures, as Moodle reads a number.

    Float noise is removed first (12 significant figures): 0.001 · 8.19401e-40 is the
    decimal 8.19401e-43, not the float just above it.

    >>> ceil_significant(0.0005), ceil_significant(3.333333e-4), ceil_significant(0)
    ('0.0005', '0.000333334', '0')
    """
    if x <= 0:
        return "0"
    d = Decimal(repr(x))
    d = d.quantize(Decimal(1).scaleb(d.adjusted() - 11))
    exponent = d.adjusted() - digits + 1
    up = d.scaleb(-exponent).to_integral_value(ROUND_CEILING).scaleb(exponent)
    return format(up.normalize(), "g") if abs(up.adjusted()) < 5 else format(up.normalize(), "e")


# Moodle's numerical margin (question/type/numerical/question.php, get_tolerance_interval,
# tolerance type 2 "nominal", which numerical and cloze answers use): an answer accepts
# |response − answer| ≤ tolerance + margin, ε = 10^−precision with PHP's precision 14;
# Moodle versions use ε·max(|tolerance|, |answer|, ε) or ε·max(1, |answer|). The larger.
EPSILON = 1e-14


def moodle_margin(answer: float, tolerance: float) -> float:
    """What Moodle adds to a tolerance (the larger of the two versions' margins).

    >>> moodle_margin(1.69e-48, 1.69e-51) <= 1e-14
    True
    """
    return max(EPSILON * max(abs(tolerance), abs(answer), EPSILON), EPSILON * max(1.0, abs(answer)))


def within(a: str, b: str, tolerance: str) -> bool:
    """Whether Moodle (either margin) would accept `a` for an answer `b` with this tolerance.

    >>> within("0", "1.68891188022e-48", "1.7e-51")
    True
    """
    tol = float(tolerance)
    return abs(float(a) - float(b)) <= tol + moodle_margin(float(b), tol)


TINY = 1e-9  # below this Moodle's margin (up to 1e-14 in some versions) can swallow 0


def needs_scientific(value: str, tolerance: str) -> bool:
    """Whether a numerical answer must be asked as mantissa and exponent: a tiny value
    whose tolerance does not reach 0. The checker has no absolute floor (it rejects 0 for
    1.69e-48 at a relative tolerance), but Moodle's margin would accept 0: two boxes.

    >>> needs_scientific("8.19401262399e-40", "8.2e-43"), needs_scientific("5.7e-39", "0.01")
    (True, False)
    >>> needs_scientific("1.68891188022e-48", "1.7e-51"), needs_scientific("4.54e-5", "4.6e-8")
    (True, False)
    """
    x = abs(float(value))
    return 0 < x < TINY and x > float(tolerance)


def scientific(value: str) -> tuple[str, int]:
    """`value` as mantissa (1 ≤ |a| < 10, as many digits as written) and exponent.

    >>> scientific("1.68891188022e-48"), scientific("-8.19401262399e-40"), scientific("5e-10")
    (('1.68891188022', -48), ('-8.19401262399', -40), ('5', -10))
    """
    d = Decimal(value.strip())
    exponent = d.adjusted()
    mantissa = d.scaleb(-exponent).normalize()
    return format(mantissa, "f"), exponent


def _terminating_decimal(value: sp.Rational) -> str | None:
    q = value.q
    for p in (2, 5):
        while q % p == 0:
            q //= p
    return None if q != 1 else format(float(value), ".10g")


def _joined(terms: list[str]) -> str:
    out = terms[0]
    for term in terms[1:]:
        out += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return out


def _orders(expr: sp.Expr, variables: list[str]) -> list[str]:
    """The expanded sum with its terms in either order and each product's variables in
    either order (4*m**2 + 4*n*m + 4*m …), and the factored form with its variables
    ordered the other way (4*m*(n + m + 1)): a variable is renamed so that it sorts in
    reverse, printed, and named back."""
    present = sorted(v for v in variables if sp.Symbol(v) in expr.free_symbols)
    temp = {v: f"QQ{chr(ord('Z') - k)}" for k, v in enumerate(present)}
    renamings = [{}] + ([temp] if len(present) > 1 else [])
    out = []
    for names in renamings:
        def printed(e: sp.Expr, names=names) -> str:
            text = sp.sstr(e.xreplace({sp.Symbol(v): sp.Symbol(t) for v, t in names.items()}))
            for v, t in names.items():
                text = text.replace(t, v)
            return text
        terms = [printed(t) for t in sp.expand(expr).as_ordered_terms()]
        if len(terms) > 1:
            out += [_joined(terms), _joined(terms[::-1])]
        out.append(printed(sp.factor(expr)))
    return out


def _written_forms(expr: sp.Expr, original: str, variables: list[str]) -> list[str]:
    forms = [original.strip(), sp.sstr(expr), sp.sstr(sp.expand(expr)), sp.sstr(sp.factor(expr))]
    if isinstance(expr, sp.Rational) and not expr.is_Integer:
        decimal = _terminating_decimal(expr)
        if decimal:
            forms += [decimal, decimal.removeprefix("0") if decimal.startswith("0.") else decimal]
    forms += _orders(expr, variables)
    return list(dict.fromkeys(forms))


def _variants(form: str, variables: list[str]) -> list[str]:
    out = [spacing
           for power in (form.replace("**", "^"), form)
           for product in (power, _IMPLICIT.sub("", power))
           for spacing in (product, product.replace(" ", ""))]
    # x2 may be typed x_2; sigma may be typed σ.
    indexed = [v for v in variables if re.fullmatch(r"[A-Za-z]+\d+", v)]
    with_index = []
    for text in out:
        for v in indexed:
            text = re.sub(rf"(?<![A-Za-z_]){v}(?!\d)", re.sub(r"(\d+)$", r"_\1", v), text)
        with_index.append(text)
    out += with_index
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
    variables = list(variables)
    try:
        expr = _parse(answer, variables)
    except (sp.SympifyError, TypeError, ValueError, SyntaxError):
        return list(dict.fromkeys([answer.strip(), *accept]))
    spellings: list[str] = []
    for form in _written_forms(expr, answer, variables):
        spellings += _variants(form, variables)
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
