"""Number systems the cell equations can be evaluated in.

One evaluator (see :mod:`lstm_sym.numeric.program`) works on NumPy arrays whose entries
are float64 or float32, mpmath numbers or SymPy expressions; a backend supplies what
differs between them: converting inputs, and the activations with their
derivatives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from lstm_sym.model.notation import sigma


@dataclass(frozen=True)
class Backend:
    """How numbers are made and how activations act, for one mode.

    >>> FLOAT.act["sigmoid"](np.array([[0.0]]))
    array([[0.5]])
    """

    name: str
    to_array: Callable[[Any], np.ndarray]
    act: dict[str, Callable[[np.ndarray], np.ndarray]]
    # Derivative of each activation written in terms of its *output* y (σ' = y(1−y), tanh' = 1−y²).
    dact: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]]
    # The NumPy dtype of the float modes' arrays; object for mpmath and SymPy entries.
    dtype: Any = object


def _float_sigmoid(x: np.ndarray) -> np.ndarray:
    # 1/(1 + e^−x) keeps full relative precision for tiny gates (σ(−90) ≈ 8.2e−40); for
    # x < −709 e^−x overflows to inf and the result is the correct limit 0. One buffer,
    # updated in place: these run T times per sequence batch.
    e = np.negative(x)
    with np.errstate(over="ignore"):
        np.exp(e, out=e)
    e += 1.0
    return np.reciprocal(e, out=e)


def _float_tanh(x: np.ndarray) -> np.ndarray:
    # tanh(x) = 2/(1 + e^−2x) − 1: about twice as fast as np.tanh here (NumPy's float64
    # tanh is not vectorised on AVX2), within 4e−16 absolute of it.
    e = np.multiply(x, -2.0)
    with np.errstate(over="ignore"):
        np.exp(e, out=e)
    e += 1.0
    np.divide(2.0, e, out=e)
    e -= 1.0
    return e


def _dsigmoid(x, y):
    return y * (1 - y)


def _dtanh(x, y):
    return 1 - y * y


def _drelu(x, y):
    return (x > 0) * 1


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def _tanh32(x: np.ndarray) -> np.ndarray:
    # NumPy's float32 tanh is vectorised (AVX2/AVX-512) and faster than the exp form above.
    return np.tanh(x)


def _sigmoid32(x: np.ndarray) -> np.ndarray:
    # σ(x) = (1 + tanh(x/2))/2 on NumPy's vectorised float32 tanh: half the time of the
    # exp form. A gate below float32's resolution near 0 (σ(−20) ≈ 2e−9) comes out 0,
    # an absolute error under 1e−8: float32 keeps 7 digits of the values it adds it to.
    e = np.multiply(x, 0.5)
    np.tanh(e, out=e)
    e *= 0.5
    e += 0.5
    return e


def _float_backend(dtype: type) -> Backend:
    def to_array(v: Any) -> np.ndarray:
        return np.asarray(v, dtype=dtype)

    single = dtype is np.float32
    tanh, sigmoid = (_tanh32, _sigmoid32) if single else (_float_tanh, _float_sigmoid)
    return Backend("float", to_array, {"sigmoid": sigmoid, "tanh": tanh, "relu": _relu},
                   {"sigmoid": _dsigmoid, "tanh": _dtanh, "relu": _drelu}, np.dtype(dtype))


FLOAT = _float_backend(np.float64)
FLOAT32 = _float_backend(np.float32)
# The float mode's number types, by the names `run(dtype=...)` and `trace --dtype` take.
FLOAT_DTYPES = {"float64": FLOAT, "float32": FLOAT32}


def _objectwise(fn: Callable) -> Callable[[np.ndarray], np.ndarray]:
    vec = np.frompyfunc(fn, 1, 1)
    return lambda a: np.asarray(vec(a), dtype=object)


def mp_number(value: Any) -> mpmath.mpf:
    """A JSON number as an mpmath number, read from its decimal text (0.1 stays 1/10-ish
    to the working precision instead of inheriting float64's error).

    >>> with mpmath.workdps(30):
    ...     print(mp_number(0.1))
    0.1
    """
    if isinstance(value, (int, np.integer)):
        return mpmath.mpf(int(value))
    return mpmath.mpf(repr(float(value))) if isinstance(value, float) else mpmath.mpf(value)


def _mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


_TO_MP = _objectwise(mp_number)  # one ufunc, made once (np.frompyfunc is not free)


@cache  # mpmath reads its working precision at each call, so one backend serves every dps
def exact_backend() -> Backend:
    """mpmath at the current working precision (`mpmath.mp.dps`)."""
    return Backend(
        "exact",
        lambda v: _TO_MP(np.asarray(v, dtype=object)),
        {"sigmoid": _objectwise(_mp_sigmoid), "tanh": _objectwise(mpmath.tanh),
         "relu": _objectwise(lambda v: max(v, mpmath.mpf(0)))},
        {"sigmoid": _dsigmoid, "tanh": _dtanh,
         "relu": lambda x, y: _objectwise(lambda v: mpmath.mpf(1 if v > 0 else 0))(x)},
    )


def _step(x):
    # The lecture's idealised gate: open (1) for a positive pre-activation, closed (0) for a
    # negative one. At exactly 0 the gate is half open; traces flag that step.
    return mpmath.mpf(1) if x > 0 else mpmath.mpf(0) if x < 0 else mpmath.mpf(0.5)


@cache
def ideal_backend() -> Backend:
    """Like :func:`exact_backend`, with every sigmoid replaced by a hard 0/1 step."""
    base = exact_backend()
    return Backend("ideal", base.to_array, {**base.act, "sigmoid": _objectwise(_step)},
                   {**base.dact, "sigmoid": lambda x, y: np.zeros_like(y)})


SYMBOLIC = Backend(
    "symbolic",
    lambda v: np.asarray(_objectwise(sp.sympify)(np.asarray(v, dtype=object)), dtype=object),
    {"sigmoid": _objectwise(sigma), "tanh": _objectwise(sp.tanh),
     "relu": _objectwise(lambda v: sp.Max(0, v)),
     "g": _objectwise(sp.Function("g")), "h": _objectwise(sp.Function("h"))},
    {"sigmoid": _dsigmoid, "tanh": _dtanh,
     "relu": lambda x, y: _objectwise(lambda v: sp.Heaviside(v, 0))(x)},
)


def get_backend(mode: str, dtype: str = "float64") -> Backend:
    """Backend for a trace mode: ``float`` (in `dtype`), ``exact``, ``ideal`` or ``symbolic``.

    >>> get_backend("ideal").name, get_backend("float", "float32").dtype
    ('ideal', dtype('float32'))
    """
    if mode == "float":
        return FLOAT_DTYPES[dtype]
    if mode == "exact":
        return exact_backend()
    if mode == "ideal":
        return ideal_backend()
    if mode == "symbolic":
        return SYMBOLIC
    raise ValueError(f"unknown mode {mode!r}")
