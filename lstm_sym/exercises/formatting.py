"""Numbers as keys and sheets write them, LaTeX to plain text, and misconception filtering.

Exact values are mpmath numbers at 50 digits; anything that subtracts them from 1
(σ(90) = 1 − 8.2·10⁻⁴⁰) must run at that precision, so every formatter here does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from functools import lru_cache, wraps
from typing import Any

import mpmath
import sympy as sp

from lstm_sym.key import Misconception, Tolerance, split_entries, within_tolerance
from lstm_sym.model.notation import sigma

DPS = 50


def _mpf(value: Any) -> mpmath.mpf:
    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    if isinstance(value, sp.Basic):
        return mpmath.mpf(sp.Float(value, DPS)._mpf_) if not value.is_Integer else \
            mpmath.mpf(int(value))
    return mpmath.mpf(value)


def _memo(function):
    """Cache a number formatter: a class's sheets print the same few values thousands of
    times. Keys are typed (1 and 1.0 may print alike, but need not); a value that cannot
    be a key (an array) is formatted afresh."""
    cached = lru_cache(maxsize=16384, typed=True)(function)

    @wraps(function)
    def formatter(*args: Any, **kwargs: Any) -> Any:
        try:
            return cached(*args, **kwargs)
        except TypeError:  # unhashable
            return function(*args, **kwargs)

    return formatter


def as_int(value: Any) -> int | None:
    """The value as an int if it is one exactly, else None.

    >>> as_int(mpmath.mpf(3)), as_int(0.5), as_int(mpmath.mpf(-12)), as_int(mpmath.mpf("1e-40"))
    (3, None, -12, None)
    """
    if type(value) is int:
        return value
    if type(value) is mpmath.mpf:  # read off the binary form: sign, odd mantissa, exponent
        sign, man, exp, _ = value._mpf_
        if not man:
            return 0 if value._mpf_ == mpmath.libmp.fzero else None  # 0, or inf/nan
        return ((-man if sign else man) << exp) if exp >= 0 else None
    with mpmath.workdps(DPS):
        x = _mpf(value)
        return int(x) if x == mpmath.floor(x) else None


@_memo
def key_number(value: Any, digits: int = 12) -> str:
    """A number as the key writes it: integers plainly, others to `digits` significant
    figures in a form SymPy and the checker read.

    >>> key_number(mpmath.mpf(7)), key_number(Fraction(1, 4))
    ('7', '0.25')
    >>> key_number(mpmath.mpf("4.5397868702434395e-05"), 6)
    '4.53979e-5'
    """
    whole = as_int(value)
    if whole is not None:
        return str(whole)
    with mpmath.workdps(DPS):
        return mpmath.nstr(_mpf(value), digits, strip_zeros=True)


def _mantissa_tex(text: str) -> str:
    if "e" not in text:
        return text
    mant, exp = text.split("e")
    mant = mant.removesuffix(".0")
    return rf"{mant} \cdot 10^{{{int(exp)}}}"


@_memo
def tex_sigfigs(value: Any, figures: int) -> str:
    """LaTeX of a number rounded to `figures` significant figures, trailing zeros kept:
    what a question that asks for that precision shows as its model answer.

    >>> with mpmath.workdps(50):
    ...     print(tex_sigfigs(1 / (1 + mpmath.exp(-90)), 4), tex_sigfigs(1 / (1 + mpmath.exp(10)), 4))
    1.000 4.540 \\cdot 10^{-5}
    """
    with mpmath.workdps(DPS):
        return _mantissa_tex(mpmath.nstr(_mpf(value), figures, strip_zeros=False,
                                         min_fixed=-3, max_fixed=figures + 1))


@_memo
def tex_number(value: Any, digits: int = 5, sigfigs: int | None = None) -> str:
    """LaTeX of a number; values within 10⁻³ of a non-zero integer show how far from it
    they are (the exact value beside the ideal one). With `sigfigs`, the number rounded
    to that many significant figures (:func:`tex_sigfigs`).

    >>> with mpmath.workdps(50):
    ...     print(tex_number(1 / (1 + mpmath.exp(-90))))
    1 - 8.194 \\cdot 10^{-40}
    >>> print(tex_number(-10), tex_number(mpmath.mpf("0.25")), tex_number(mpmath.mpf("6.9995006")))
    -10 0.25 7 - 4.994 \\cdot 10^{-4}
    """
    if sigfigs is not None:
        return tex_sigfigs(value, sigfigs)
    whole = as_int(value)
    if whole is not None:
        return str(whole)
    with mpmath.workdps(DPS):
        x = _mpf(value)
        nearest = int(mpmath.nint(x))
        gap = abs(x - nearest)
        if nearest != 0 and gap < mpmath.mpf("1e-3"):
            return f"{nearest} {'-' if x < nearest else '+'} {tex_number(gap, 4)}"
        if x != 0 and (abs(x) < mpmath.mpf("1e-3") or abs(x) >= mpmath.mpf("1e6")):
            return _mantissa_tex(mpmath.nstr(x, 4, min_fixed=0, max_fixed=0))
        return mpmath.nstr(x, digits, strip_zeros=True)


def tex_factor(value: Any) -> str:
    """:func:`tex_number` bracketed when it is negative or a sum, so it can be multiplied.

    >>> print(tex_factor(-3), tex_factor(mpmath.mpf("0.99995")))
    (-3) (1 - 5 \\cdot 10^{-5})
    """
    text = tex_number(value)
    return f"({text})" if text.startswith("-") or " - " in text or " + " in text else text


def tex_vector(values: Iterable[Any], sigfigs: int | None = None) -> str:
    """LaTeX of a list answer (each number to `sigfigs` significant figures, if given),
    written as the sheet's instructions ask for lists: [0, 3, 7].

    >>> tex_vector([0, 3, 7]), tex_vector([mpmath.mpf("0.99996"), 0.5], sigfigs=4)
    ('[0, 3, 7]', '[1.000, 0.5000]')
    """
    return "[" + ", ".join(tex_number(v, sigfigs=sigfigs) for v in values) + "]"


def key_vector(values: Iterable[Any], digits: int = 12) -> str:
    """A vector answer as the contract writes it.

    >>> key_vector([0, 3, 7])
    '[0, 3, 7]'
    """
    return "[" + ", ".join(key_number(v, digits) for v in values) + "]"


# --- LaTeX in prose -> plain text (key.json prompts, plot and diagram labels) -----------

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η",
    "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ",
    "phi": "φ", "psi": "ψ", "omega": "ω", "Delta": "Δ", "Sigma": "Σ",
}
_SYMBOLS = {
    "cdot": "·", "times": "×", "odot": "⊙", "circ": "∘", "to": "→", "rightarrow": "→",
    "approx": "≈", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠", "pm": "±",
    "infty": "∞", "prime": "′", "ldots": "…", "dots": "…", "partial": "∂", "top": "ᵀ",
    "ne": "≠", "in": "∈", "sum": "∑", "prod": "∏", "Rightarrow": "⇒", "lvert": "|",
    "rvert": "|", "mid": "|",
}
_SPACES = {",": " ", ";": " ", ":": " ", "!": "", "quad": " ", "qquad": " ", " ": " "}
_SUB_DIGITS = str.maketrans("0123456789+-()=", "₀₁₂₃₄₅₆₇₈₉₊₋₍₎₌")
_SUP_DIGITS = str.maketrans("0123456789+-()=", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾⁼")
_DROP = ("left", "right", "big", "Big", "bigl", "bigr", "displaystyle", "mathrm", "mathbf",
         "mathit", "operatorname", "text", "texttt", "boldsymbol", "mathsf")


def _group(tex: str, start: int) -> tuple[str, int]:
    """The argument at `start` (a braced group or one character) and the index after it."""
    if start < len(tex) and tex[start] == "{":
        depth = 0
        for j in range(start, len(tex)):
            depth += {"{": 1, "}": -1}.get(tex[j], 0)
            if depth == 0:
                return tex[start + 1 : j], j + 1
        return tex[start + 1 :], len(tex)
    if start < len(tex) and tex[start] == "\\":
        m = re.match(r"\\[A-Za-z]+|\\.", tex[start:])
        assert m is not None
        return m.group(0), start + len(m.group(0))
    return tex[start : start + 1], start + 1


def _script(body: str, table: dict, mark: str) -> str:
    text = latex_to_text(body)
    if text and all(ch in "0123456789+-()=" for ch in text.replace("−", "-")):
        return text.replace("−", "-").translate(table)
    return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"


def _operand(text: str) -> str:
    """A fraction's part, in parentheses unless it is one symbol or number."""
    return text if len(text) == 1 or text.isalnum() else f"({text})"


def latex_to_text(tex: str) -> str:
    """Readable plain text for a small LaTeX formula, for labels that cannot show math.

    Digit subscripts become Unicode (x₁); letter subscripts stay as ``_i`` because
    Unicode has no subscript f.

    >>> latex_to_text(r"z_f = 100x_2 + 10")
    'z_f = 100x₂ + 10'
    >>> latex_to_text(r"\\sigma(z_o) \\cdot h(c')")
    "σ(z_o) · h(c')"
    >>> latex_to_text(r"\\frac{1}{1+e^{-z}}")
    '1/(1+e^(−z))'
    """
    out: list[str] = []
    i = 0
    while i < len(tex):
        ch = tex[i]
        if ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
            assert m is not None
            name, i = m.group(1), i + len(m.group(0))
            if name == "frac":
                num, i = _group(tex, i)
                den, i = _group(tex, i)
                out.append(f"{_operand(latex_to_text(num))}/{_operand(latex_to_text(den))}")
            elif name in _GREEK:
                out.append(_GREEK[name])
            elif name in _SYMBOLS:
                out.append(_SYMBOLS[name])
            elif name in _SPACES:
                out.append(_SPACES[name])
            elif name in _DROP:
                continue
            else:
                out.append(name)  # \tanh → tanh, \{ → {
        elif ch in "_^":
            body, i = _group(tex, i + 1)
            out.append(_script(body, _SUB_DIGITS if ch == "_" else _SUP_DIGITS, ch))
        elif ch in "{}":
            i += 1
        elif ch == "-":
            out.append("−")
            i += 1
        elif ch == "~":
            out.append(" ")
            i += 1
        else:
            out.append(ch)
            i += 1
    return re.sub(r" {2,}", " ", "".join(out)).strip()


@lru_cache(maxsize=16384)
def plain(text: str) -> str:
    """Prose with inline ``$…$`` math as plain text: key.json prompts and feedback, and
    plot labels (matplotlib's mathtext would set the prose around the math in a font
    without CJK glyphs).

    >>> plain("时间步 $t$"), plain("memory $c_1$")
    ('时间步 t', 'memory c₁')
    >>> plain(r"Is $\\sigma(z_{i}) \\approx 1$ at $c_{t-1} = 10^{-5}$?")
    'Is σ(z_i) ≈ 1 at c_(t−1) = 10⁻⁵?'
    """
    return re.sub(r"\$([^$]*)\$", lambda m: latex_to_text(m.group(1)), text)



# --- misconceptions that would be graded as right are not misconceptions ---------------

_LOCALS = {"sigma": sigma}
_PROBES = (sp.Rational(3, 7), sp.Rational(-13, 11), sp.Rational(29, 10))


_NUMBER = re.compile(r"-?\d+(\.\d*)?(e-?\d+)?")


def _entries(kind: str, text: str) -> list[Any]:
    """Entries of an answer: mpmath numbers when they are plain numbers (fast), else SymPy."""
    parts = [entry for entry, _ in split_entries(text)] if kind == "vector" else [text.strip()]
    if all(_NUMBER.fullmatch(p) for p in parts):
        with mpmath.workdps(DPS):
            return [mpmath.mpf(p) for p in parts]
    value = _sympified(text)
    return list(value) if isinstance(value, (list, tuple)) else [value]


@lru_cache(maxsize=4096)
def _sympified(text: str) -> Any:
    """One of our own answers as SymPy (never a student's), parsed once per text."""
    return sp.sympify(text, locals=_LOCALS, rational=True)


@lru_cache(maxsize=65536)
def _literals_close(x: str, y: str, tolerance: Tolerance) -> bool:
    """Two number literals under the checker's rule (the same pairs recur in every
    variant: 7 against 6.99995…, 0 against 4.54e-5)."""
    with mpmath.workdps(DPS):
        return within_tolerance(mpmath.mpf(x), mpmath.mpf(y), tolerance)


def _plain_numbers(kind: str, a: str, b: str) -> tuple[list[str], list[str]] | None:
    """The entries of two answers as number literals, or None if any is not one."""
    pair = []
    for text in (a, b):
        parts = [entry for entry, _ in split_entries(text)] if kind == "vector" else [text.strip()]
        if not all(_NUMBER.fullmatch(p) for p in parts):
            return None
        pair.append(parts)
    return pair[0], pair[1]


def _close(a: Any, b: Any, tolerance: Tolerance) -> bool:
    # Numbers: the checker's own rule, so a kept misconception is one it can tell apart.
    if isinstance(a, mpmath.mpf) and isinstance(b, mpmath.mpf):
        with mpmath.workdps(DPS):
            return within_tolerance(a, b, tolerance)
    a, b = sp.sympify(a), sp.sympify(b)
    if a.is_number and b.is_number and a.is_real and b.is_real:  # sqrt(2) against 1.414
        with mpmath.workdps(DPS):
            return within_tolerance(_mpf(a.evalf(DPS)), _mpf(b.evalf(DPS)), tolerance)
    gap = sp.expand(a - b)  # enough for polynomials; simplify only what is left
    if gap != 0 and gap.free_symbols:
        # A point where the two differ settles it quickly (simplify is slow with σ).
        symbols = sorted(gap.free_symbols, key=str)
        for value in _PROBES:  # each symbol its own value: m − n is not 0 at m = n
            probe = gap.xreplace({s: value + k for k, s in enumerate(symbols)}).evalf(30)
            if probe.is_number and abs(probe) > 1e-20:
                return False
    if gap.is_Number:  # an explicit number: nothing for simplify to do
        return gap == 0
    return gap == 0 or sp.simplify(gap) == 0


@lru_cache(maxsize=4096)
def same_answer(kind: str, a: str, b: str, tolerance: Tolerance) -> bool:
    """Would answer `a` be graded like the key `b`? (Our own strings, never student text.)

    >>> same_answer("number", "1", "0.99995", Tolerance(abs=0.01))
    True
    >>> same_answer("expression", "4*m*(n + 1)", "4*m*n + 4*m", Tolerance())
    True
    >>> same_answer("vector", "[n, 4*m]", "[4*m, n]", Tolerance())
    False
    """
    if a == b or kind == "choice":  # one text, one grade
        return a == b
    numbers = _plain_numbers(kind, a, b)
    if numbers is not None:  # entry by entry; a number written alike is the same number
        xs, ys = numbers
        if len(xs) != len(ys):
            return False
        return all(x == y or _literals_close(x, y, tolerance) for x, y in zip(xs, ys))
    xs, ys = _entries(kind, a), _entries(kind, b)
    return len(xs) == len(ys) and all(_close(x, y, tolerance) for x, y in zip(xs, ys))


def distinct_misconceptions(kind: str, answers: Iterable[str], tolerance: Tolerance,
                            candidates: Iterable[Misconception]) -> tuple[Misconception, ...]:
    """Drop misconceptions a grader could not tell from a right answer (`answers`: the key
    and its accepted forms) or from an earlier misconception.

    >>> from lstm_sym.exercises.model import T
    >>> mcs = [Misconception("a", "12", T("x")), Misconception("b", "16", T("y")),
    ...        Misconception("c", "12", T("z"))]
    >>> [m.id for m in distinct_misconceptions("integer", ["16"], Tolerance(), mcs)]
    ['a']
    """
    kept: list[Misconception] = []
    for mc in candidates:
        if any(same_answer(kind, mc.answer, ans, tolerance) for ans in answers):
            continue
        if any(same_answer(kind, mc.answer, k.answer, tolerance) for k in kept):
            continue
        kept.append(mc)
    return tuple(kept)
