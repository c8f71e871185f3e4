"""Bounds that keep hostile answers cheap to reject.

Every limit here exists so that no answer can make the checker hang, eat
memory or recurse past Python's stack; the numbers are generous for honest
answers (the longest real answer in a course is a few hundred characters).
"""

from __future__ import annotations

MAX_LENGTH = 2000  # characters in one answer
MAX_DEPTH = 100  # nested brackets, signs and exponents
MAX_DIGITS = 100  # digits in one number literal
MAX_EXPONENT10 = 1000  # |k| in a literal like 1e-k
MAX_EXACT_BITS = 20_000  # size of an exact rational before we stop computing it exactly
MAX_MAGNITUDE_BITS = 2**20  # |log2| of any intermediate real value
MAX_EXP_ARGUMENT = 700_000  # exp(t) for t above this would exceed MAX_MAGNITUDE_BITS
# One answer gets at most IN_PROCESS_BUDGET + WORKER_TIMEOUT = 2 s of wall time.
IN_PROCESS_BUDGET = 0.5  # seconds of numeric comparison before "too complex"
WORKER_TIMEOUT = 1.5  # seconds for the (rare) SymPy check in the sandbox
