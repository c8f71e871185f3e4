"""Evaluate parsed answers with guarded arithmetic: exact rationals or 50-digit mpmath.

Every operation checks the size of what it would produce before producing it,
so no answer can make evaluation slow: exact powers stop at
``limits.MAX_EXACT_BITS``, real values beyond 2^``limits.MAX_MAGNITUDE_BITS``
raise :class:`TooComplex`, and values too small to matter flush to zero.
Evaluation uses a private mpmath context, so the global ``mpmath.mp``
precision other modules rely on is never touched.

>>> from lstm_sym.checker.nodes import num
>>> exact_value(("pow", num(2), num(10)))
Fraction(1024, 1)
>>> float(evaluate(("call", "sigma", (num(0),)), {}))
0.5
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from fractions import Fraction

import mpmath

from lstm_sym.checker import limits
from lstm_sym.checker.nodes import Node
from lstm_sym.checker.nodes import children as children_of

CTX = mpmath.MPContext()
CTX.dps = 50
Real = mpmath.mpf  # values are elements of CTX, typed loosely as mpf
RealFunction = Callable[..., "mpmath.mpf"]


class Undefined(ArithmeticError):
    """The value is not a real number here (x/0, ln(-1), sqrt(-1))."""


class TooComplex(ArithmeticError):
    """The value is too large to compute within our bounds."""


def exact_value(node: Node) -> Fraction | None:
    """The exact rational value of `node`, or None if it is not a plain rational.

    Raises :class:`Undefined` on division by zero and :class:`TooComplex` for
    an exact power that would be too large.
    """
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "neg":
        inner = exact_value(node[1])
        return None if inner is None else -inner
    if kind == "sum":
        total = Fraction(0)
        for sign, term in node[1]:
            value = exact_value(term)
            if value is None:
                return None
            total = total + value if sign == "+" else total - value
            _check_exact(total)
        return total
    if kind == "prod":
        total = Fraction(1)
        for op, factor in node[1]:
            value = exact_value(factor)
            if value is None:
                return None
            if op == "/" and value == 0:
                raise Undefined("division by zero")
            total = total * value if op == "*" else total / value
            _check_exact(total)
        return total
    if kind == "pow":
        base, exponent = exact_value(node[1]), exact_value(node[2])
        if base is None or exponent is None or exponent.denominator != 1:
            return None
        if base == 0 and exponent < 0:
            raise Undefined("division by zero")
        if base in (0, 1) or exponent == 0:
            return Fraction(1) if exponent == 0 else base
        bits = max(base.numerator.bit_length(), base.denominator.bit_length())
        if abs(exponent.numerator) * bits > limits.MAX_EXACT_BITS:
            return None  # too big to be exact; the real evaluator decides if it is too big at all
        return base**exponent.numerator
    return None


def _check_exact(value: Fraction) -> None:
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > limits.MAX_EXACT_BITS:
        raise TooComplex("exact value too large")


def to_real(value: Fraction | int) -> Real:
    """A rational as a 50-digit real."""
    value = Fraction(value)
    return CTX.mpf(value.numerator) / value.denominator


def _guard(value: Real) -> Real:
    """Reject huge values, flush negligible ones to zero."""
    if not value:
        return value
    magnitude = CTX.mag(value)
    if magnitude > limits.MAX_MAGNITUDE_BITS:
        raise TooComplex("value too large")
    if magnitude < -limits.MAX_MAGNITUDE_BITS:
        return CTX.zero
    return value


_SMALL_POWER = 4096  # integer exponents up to this use repeated squaring (12 steps)


def _power(base: Real, exponent: Real) -> Real:
    if not base:
        if exponent > 0:
            return CTX.zero
        if exponent == 0:
            return CTX.one
        raise Undefined("division by zero")
    integral = exponent == CTX.floor(exponent)
    if base < 0 and not integral:
        raise Undefined("fractional power of a negative number")
    if integral and abs(exponent) <= _SMALL_POWER:
        return _guard(CTX.power(base, exponent))
    # Large or fractional exponents go through exp(k·ln|b|), whose argument is
    # bounded by _exp: mpmath's own power would square 2^65536 times for
    # 1.5^(2^65536), which is a hang, not an overflow.
    magnitude = _exp(exponent * CTX.ln(abs(base)))
    if base < 0 and int(exponent) % 2:
        return -magnitude
    return magnitude


def _exp(t: Real) -> Real:
    if t > limits.MAX_EXP_ARGUMENT:
        raise TooComplex("exp overflow")
    if t < -limits.MAX_EXP_ARGUMENT:
        return CTX.zero
    return CTX.exp(t)


def _sigma(t: Real) -> Real:
    # Same guards as exp, but saturation is an honest value here, not an overflow.
    if t > limits.MAX_EXP_ARGUMENT:
        return CTX.one
    if t < -limits.MAX_EXP_ARGUMENT:
        return CTX.zero
    return 1 / (1 + CTX.exp(-t))


def _tanh(t: Real) -> Real:
    if abs(t) > 1000:  # tanh(1000) = 1 - 2e-869, exactly 1 at our precision
        return CTX.one if t > 0 else -CTX.one
    return CTX.tanh(t)


def _ln(t: Real) -> Real:
    if t <= 0:
        raise Undefined("logarithm of a non-positive number")
    return CTX.ln(t)


def _sqrt(t: Real) -> Real:
    if t < 0:
        raise Undefined("square root of a negative number")
    return CTX.sqrt(t)


BUILTIN_FUNCTIONS: dict[str, RealFunction] = {
    "sigma": _sigma, "exp": _exp, "tanh": _tanh, "ln": _ln, "sqrt": _sqrt, "abs": abs,
}  # fmt: skip


Evaluator = Callable[[Mapping[str, Real], Mapping[str, RealFunction]], Real]


def compile_node(node: Node) -> Evaluator:
    """A function computing `node` from (variables, functions), built once.

    Sub-trees without variables are computed here, once, so an answer checked
    at many points pays for its constants only once; a constant that has no
    value (or overflows) raises when the function is called, like any other.

    >>> f = compile_node(("pow", ("var", "x"), ("num", Fraction(1, 2), "1/2")))
    >>> float(f({"x": to_real(4)}, {}))
    2.0
    """
    function, constant = _compile(node)
    if constant:
        return _fold(function)
    return function


def _fold(function: Evaluator) -> Evaluator:
    try:
        value = function({}, {})
    except (Undefined, TooComplex) as exc:
        error = exc

        def fail(env, funcs):
            raise error

        return fail
    return lambda env, funcs: value


def _compile(node: Node) -> tuple[Evaluator, bool]:
    """(evaluator, is_constant) for `node`, folding constant children."""
    kind = node[0]
    if kind == "num":
        value = to_real(node[1])
        return (lambda env, funcs: value), True
    if kind == "const":
        value = +CTX.e if node[1] == "e" else +CTX.pi
        return (lambda env, funcs: value), True
    if kind == "var":
        name = node[1]
        return (lambda env, funcs: env[name]), False
    if kind == "ufunc":
        name, args = node[1], [compile_node(arg) for arg in node[2]]
        return (lambda env, funcs: _guard(funcs[name](*(a(env, funcs) for a in args)))), False
    parts = [_compile(child) for child in children_of(node)]
    constant = all(is_constant for _, is_constant in parts)
    functions = [f if is_constant is False else _fold(f) for f, is_constant in parts]
    if kind == "neg":
        inner = functions[0]
        return (lambda env, funcs: -inner(env, funcs)), constant
    if kind == "sum":
        terms = [(sign == "+", f) for (sign, _), f in zip(node[1], functions)]
        return _sum(terms), constant
    if kind == "prod":
        factors = [(op == "*", f) for (op, _), f in zip(node[1], functions)]
        return _product(factors), constant
    if kind == "pow":
        base, exponent = functions
        return (lambda env, funcs: _power(base(env, funcs), exponent(env, funcs))), constant
    if kind == "call":
        builtin, arg = BUILTIN_FUNCTIONS[node[1]], functions[0]
        return (lambda env, funcs: _guard(builtin(arg(env, funcs)))), constant
    raise ValueError(f"not a node: {node!r}")


def _sum(terms: list[tuple[bool, Evaluator]]) -> Evaluator:
    def total(env, funcs):
        result = CTX.zero
        for plus, term in terms:
            value = term(env, funcs)
            result = _guard(result + value if plus else result - value)
        return result

    return total


def _product(factors: list[tuple[bool, Evaluator]]) -> Evaluator:
    def total(env, funcs):
        result = CTX.one
        for times, factor in factors:
            value = factor(env, funcs)
            if times:
                result = _guard(result * value)
            elif not value:
                raise Undefined("division by zero")
            else:
                result = _guard(result / value)
        return result

    return total


def evaluate(
    node: Node,
    env: Mapping[str, Real],
    functions: Mapping[str, RealFunction] | None = None,
) -> Real:
    """The real value of `node` with variables from `env` and unspecified
    functions from `functions` (see :func:`compile_node` to evaluate often).

    Raises :class:`Undefined` or :class:`TooComplex`; a missing variable or
    function is a KeyError (our bug, not the student's).

    >>> float(evaluate(("call", "tanh", (("num", Fraction(0), "0"),)), {}))
    0.0
    """
    return compile_node(node)(env, functions or {})


# Where sample coordinates come from: (signs, decades) gives ±m·10^(j-6) for j in decades.
Domain = tuple[tuple[int, ...], tuple[int, ...]]
DEFAULT_DOMAIN: Domain = ((-1, 1), (-2, -1, 0))  # magnitudes 0.01 … 10, either sign
# Where to look next when a key has a real value at too few default points (ln(x - 5),
# ((x - 2)^3)^k): positive values, then larger ones of either sign.
FALLBACK_DOMAINS: tuple[Domain, ...] = (((1,), (-2, -1, 0)), ((1,), (0, 1, 2)), ((-1,), (0, 1, 2)))


class Sampler:
    """Reproducible random points (and random functions) for one question.

    Each coordinate is ±m·10^(j-6) with m uniform in [10^6, 10^7) and j in
    {-2, -1, 0}: about 5.4·10^7 distinct exact values whose magnitudes spread
    over 0.01 … 10, so both small-argument and saturated regimes of σ and tanh
    are visited. An unspecified function g of k arguments becomes
    a0 + Σ a_i t_i + b·tanh(Σ c_i t_i + d) with fresh random coefficients at
    every point: two expressions that agree for such random g agree as
    identities in g.
    """

    def __init__(self, variables: tuple[str, ...], functions: Mapping[str, int], seed: int,
                 domain: Domain = DEFAULT_DOMAIN):
        self.variables = variables
        self.functions = dict(functions)
        self.seed = seed
        self.domain = domain
        self.rng = random.Random(seed if domain == DEFAULT_DOMAIN else f"{seed}:{domain}")
        self.points: list[tuple[dict[str, Real], dict[str, RealFunction]]] = []

    def elsewhere(self, domain: Domain) -> Sampler:
        """The same question's points drawn from another domain."""
        return Sampler(self.variables, self.functions, self.seed, domain)

    def coordinate(self) -> Real:
        signs, decades = self.domain
        sign = self.rng.choice(signs)
        mantissa = self.rng.randrange(10**6, 10**7)
        return to_real(Fraction(sign * mantissa, 10 ** (6 - self.rng.choice(decades))))

    def random_function(self, arity: int) -> RealFunction:
        a = [self.coordinate() for _ in range(arity + 1)]
        c = [self.coordinate() for _ in range(arity + 1)]
        b = self.coordinate()

        def g(*args: Real) -> Real:
            if len(args) != arity:
                raise Undefined("wrong number of arguments")
            linear = a[0] + sum(ai * t for ai, t in zip(a[1:], args))
            inner = c[0] + sum(ci * t for ci, t in zip(c[1:], args))
            return linear + b * _tanh(inner)

        return g

    def point(self, index: int) -> tuple[dict[str, Real], dict[str, RealFunction]]:
        """The `index`-th point: variable values and function definitions."""
        while len(self.points) <= index:
            env = {name: self.coordinate() for name in self.variables}
            funcs = {name: self.random_function(k) for name, k in self.functions.items()}
            self.points.append((env, funcs))
        return self.points[index]
