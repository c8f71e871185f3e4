"""When two answers count as the same (STACK's answer tests, as a vocabulary).

* numbers: **NumAbsolute** (``abs``), **NumRelative** (``rel``) and
  **NumSigFigs** (``sigfigs``); a value passes if it meets any tolerance that
  is set, and always if it equals the target to 30 significant digits (a relative
  test: tiny values such as 1e-45 and 9e-45 are not equal). N significant figures means
  equal when both are rounded to N figures, or closer to the target than half a unit in
  its N-th figure (9.8 is 10 to two figures), which agrees with STACK's fixtures. ``sigfigs_strict`` also
  asks that the answer be written with that many significant figures, as STACK's
  NumSigFigs does (see :func:`written_sigfigs`). The rule itself is
  :func:`lstm_sym.key.within_tolerance`, so that the exercises drop exactly the
  misconceptions this checker could not tell from the answer.
* integers: exact equality of rationals (``4*10``, ``40.0`` and ``80/2`` are 40).
* expressions: **AlgEquiv**, decided as follows.

  1. Identical trees (after reading) are equal.
  2. Both sides are evaluated at reproducible random points
     (:class:`~lstm_sym.checker.numeric.Sampler`) with 50 significant digits;
     points where either side has no real value are skipped. One point where
     they differ by more than 1e-30 relative proves them different; agreement
     at ``REQUIRED_POINTS`` = 8 points accepts them. An answer without a
     value at most points where the key has one is not equivalent.
  3. If the key's expression itself has a value at fewer than 8 of the
     ``MAX_POINTS`` = 40 points, SymPy decides whether ``expected - answer``
     simplifies to zero, in the sandbox with a time limit.

  **False-accept bound.** If ``expected - answer`` is, after clearing
  denominators, a non-zero polynomial of total degree d in the variables,
  each sample point is a root with probability at most d / N with
  N ≈ 5.4·10^7 values per coordinate (Schwartz–Zippel), so a wrong answer is
  accepted with probability at most (d / N)^8 — below 10^-40 for d ≤ 100.
  For expressions with exp, σ and tanh the same argument applies to the
  analytic difference but is not a proof; the residual risk is a difference
  smaller than 1e-30 relative at every sampled magnitude 0.01 … 10 (for
  instance σ(1000·x) against its saturated value), which no realistic
  student answer produces.

>>> Tolerance.from_key({"abs": 0.01, "rel": 0.0, "sigfigs": None}).abs
Fraction(1, 100)
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from lstm_sym.checker.nodes import Node
from lstm_sym.checker.numeric import (
    FALLBACK_DOMAINS,
    Evaluator,
    Real,
    Sampler,
    TooComplex,
    Undefined,
    compile_node,
)
from lstm_sym.errors import UserError
from lstm_sym.key import close

REQUIRED_POINTS = 8
MAX_POINTS = 40
_WRITTEN = re.compile(r"[+-]?(\d*)(?:\.(\d*))?(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class Tolerance:
    """Allowed distance for numbers; all zero/None means exact (to 50 digits)."""

    abs: Fraction = Fraction(0)
    rel: Fraction = Fraction(0)
    sigfigs: int | None = None
    strict: bool = False  # the answer must also be written with `sigfigs` figures

    @classmethod
    def from_key(cls, spec: Mapping[str, object] | None, where: str = "tolerance") -> Tolerance:
        """Read a key's tolerance dict; defaults to exact when `spec` is None.

        >>> Tolerance.from_key({"rel": 1e-3})
        Tolerance(abs=Fraction(0, 1), rel=Fraction(1, 1000), sigfigs=None, strict=False)
        >>> Tolerance.from_key({"sigfigs": 3, "sigfigs_strict": True}).strict
        True
        """
        if spec is None:
            return cls()
        if not isinstance(spec, Mapping):
            raise UserError(f"{where}: expected an object with abs, rel, sigfigs")
        try:
            # str() first: 0.01 means the decimal 0.01, not the binary float near it.
            absolute = Fraction(str(spec.get("abs") or 0))
            relative = Fraction(str(spec.get("rel") or 0))
            sigfigs = spec.get("sigfigs")
            sigfigs = None if sigfigs in (None, 0) else int(sigfigs)
        except (TypeError, ValueError) as exc:
            raise UserError(f"{where}: {exc}") from None
        if absolute < 0 or relative < 0 or (sigfigs is not None and not 1 <= sigfigs <= 50):
            raise UserError(f"{where}: abs and rel must be >= 0, sigfigs between 1 and 50")
        strict = spec.get("sigfigs_strict") or False
        if not isinstance(strict, bool) or (strict and sigfigs is None):
            raise UserError(f"{where}: sigfigs_strict must be true or false, with sigfigs set")
        return cls(absolute, relative, sigfigs, strict)


def written_sigfigs(text: str) -> tuple[int, int] | None:
    """How many significant figures a decimal literal shows, as (fewest, most): trailing
    zeros of a whole number are ambiguous (``1200`` has 2 to 4). None if `text` is not a
    plain decimal.

    >>> written_sigfigs("0.00120"), written_sigfigs("1200"), written_sigfigs("1.20e3")
    ((3, 3), (2, 4), (3, 3))
    """
    match = _WRITTEN.fullmatch(text.strip())
    if not match or not (match.group(1) or match.group(2)):
        return None
    whole, fraction = match.group(1), match.group(2)
    digits = (whole + (fraction or "")).lstrip("0")
    if not digits:  # zero: the written decimals count (0.00 shows two)
        shown = max(1, len(fraction or ""))
        return (shown, shown)
    if fraction is not None:
        return (len(digits), len(digits))
    return (len(digits.rstrip("0")), len(digits))


class Match(Enum):
    """Outcome of comparing two expressions."""

    EQUAL = "equal"
    DIFFERENT = "different"
    UNKNOWN = "unknown"  # too few usable points: ask SymPy
    NOWHERE_DEFINED = "nowhere_defined"  # the answer has no real value where the key does
    TOO_COMPLEX = "too_complex"  # the answer overflows where the key is fine


class ExpressionTarget:
    """An expected expression with its values at the sample points, computed once.

    The points come from the question's sampler; if the expression has a real value at
    fewer than ``REQUIRED_POINTS`` of its first ``MAX_POINTS``, from the first fallback
    domain where it has enough (:data:`~lstm_sym.checker.numeric.FALLBACK_DOMAINS`).
    """

    def __init__(self, node: Node, sampler: Sampler) -> None:
        self.node = node
        self._evaluate = compile_node(node)
        self._values: list[Real | None] = []
        self.sampler = sampler
        for domain in FALLBACK_DOMAINS:
            if self._defined_points() >= REQUIRED_POINTS:
                break
            self.sampler, self._values = sampler.elsewhere(domain), []
        else:
            if self._defined_points() < REQUIRED_POINTS:
                self.sampler, self._values = sampler, []

    def _defined_points(self) -> int:
        """Points with a real value among the first MAX_POINTS (counting stops at enough)."""
        if not (self.sampler.variables or self.sampler.functions):
            return MAX_POINTS  # a constant key: every domain is the same
        found = 0
        for index in range(MAX_POINTS):
            found += self.value_at(index) is not None
            if found >= REQUIRED_POINTS:
                break
        return found

    def value_at(self, index: int) -> Real | None:
        while len(self._values) <= index:
            env, funcs = self.sampler.point(len(self._values))
            try:
                self._values.append(self._evaluate(env, funcs))
            except (Undefined, TooComplex):
                self._values.append(None)
        return self._values[index]


def compare_expressions(
    target: ExpressionTarget,
    answer: Node,
    evaluator: Evaluator | None = None,
    deadline: float | None = None,
) -> Match:
    """Decide AlgEquiv numerically (see the module docstring for the bound).

    `evaluator` is ``compile_node(answer)`` when the caller already has it;
    past `deadline` (a ``time.monotonic()`` value) the answer is too complex.

    >>> from lstm_sym.checker.parse import Names, parse_answer
    >>> names = Names.declare(["x"])
    >>> sampler = Sampler(("x",), {}, seed=1)
    >>> target = ExpressionTarget(parse_answer("(x+1)^2", names), sampler)
    >>> compare_expressions(target, parse_answer("x^2+2x+1", names))
    <Match.EQUAL: 'equal'>
    """
    if answer == target.node:
        return Match.EQUAL
    evaluate_answer = evaluator or compile_node(answer)
    agree = undefined = overflow = 0
    for index in range(MAX_POINTS):
        if deadline is not None and time.monotonic() > deadline:
            return Match.TOO_COMPLEX
        expected = target.value_at(index)
        if expected is None:
            continue
        env, funcs = target.sampler.point(index)
        try:
            value = evaluate_answer(env, funcs)
        except Undefined:
            undefined += 1
        except TooComplex:
            overflow += 1
        else:
            if not close(expected, value):
                return Match.DIFFERENT
            agree += 1
            if agree >= REQUIRED_POINTS:
                return Match.EQUAL
        if not agree and undefined + overflow >= REQUIRED_POINTS:
            break  # bail out early: a hostile answer costs 8 evaluations, not 40
    if agree + undefined + overflow >= REQUIRED_POINTS:
        # The key had values at enough points; the answer too often had none.
        return Match.TOO_COMPLEX if overflow > undefined else Match.NOWHERE_DEFINED
    return Match.UNKNOWN  # the key itself is rarely defined here: ask SymPy
