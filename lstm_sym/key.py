"""Answer keys: key.json, schema ``lstm_sym.key/1`` (see docs/contracts.md), and the one
definition of its vocabulary: question :data:`KINDS`, :class:`Tolerance`,
:class:`Misconception`, :class:`Student` and :data:`DEFAULT_POINTS`.

This module sits between ``numeric/`` and ``exercises/``: exercises build keys from
these classes, and the checker, grading and export read keys through them, so
everything that writes or reads a key agrees on one contract.

A key is what a grader needs to check a student's answers without running the
exercise generator, plus the data to recompute every answer from the cell model.
:func:`write_key` writes it atomically with deterministic bytes (the same exercise
gives the same file on any machine); :func:`read_key` validates it and reports the
first problem as one line naming the file and the field.

Schema ``lstm_sym.key/1``::

    {
      "schema": "lstm_sym.key/1",
      "exercise": {                       # enough to recompute every answer
        "title": str,                     # in the key's language
        "lang": "en" | "zh",              # language of title, prompts and feedback
        "example": str,                   # "lecture-worked" | "lecture-memory"
        "seed": int | null,               # null: the lecture's own numbers
        "attempt": int,                   # re-draws after a collision in a class (0 first)
        "cell": {"cell": "lecture", "g": "identity", "h": "identity"},
        "weights": {"W_z": [[1, 0, 0]], "b_z": [0], ...},   # lstm_sym.numeric.weights/1 params
        "inputs": [[3, 1, 0], ...],       # the trace sequence, one list per step
        "memory_inputs": [[1, 0, 0], ...],# the memory-puzzle sequence
        "sizes": {"n": 3, "m": 2},        # sizes of the parameter-count and shape questions
        "worked": [1, 4]                  # trace steps shown solved (1-based)
      },
      "student": {"id": str, "name": str},  # only for roster variants
      "questions": [{
        "id": "trace.t2.c",               # unique; "<family>.<what>"
        "family": "trace",                # cell families: trace, memory, params, shapes,
                                          #   gates, gradient, gru
        "kind": "number" | "integer" | "expression" | "vector" | "choice",
        "prompt": str,                    # plain text (math as Unicode-ish text)
        "answer": str,                    # SymPy-parsable; vectors "[0, 3, 7]"; a choice's text
        "exact": str | null,              # exact value beside an ideal (0/1-gate) answer
        "accept": [str],                  # further values that are also right
        "variables": [str],               # names an expression (or symbolic vector) may use
        "tolerance": {"abs": float, "rel": float, "sigfigs": int | null},
        "choices": [str] | null,          # required for kind "choice"; answer is one of them
        "worked": bool,                   # shown with its solution on the student's sheet
        "reveal": bool,                   # the checker may show the expected answer
        "misconceptions": [{"id": str, "answer": str, "feedback": str,
                            "feedback_tex": str}],  # feedback: plain text; _tex: with $…$ math
        "points": int,                    # >= 1: marks for the question (missing: 1)
        "prompt_tex": str,                # the prompt with inline $…$ LaTeX (for MathJax)
        "display": str | null,            # LaTeX of the answer as the solutions show it
        "exact_display": str | null,      # LaTeX of `exact`
        "solution": [{"text": str, "math": str | null, "value": str | null}]
                                          # the worked solution: prose with $…$ math, a
                                          # display formula (LaTeX), the value reached
      }, ...]
    }

Consumers must ignore fields they do not know; producers may add fields. Numbers in
answers are strings so that exact values (``"8.19401262399e-40"``) survive JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol

from lstm_sym.atomic import write_bytes
from lstm_sym.errors import UserError
from lstm_sym.numeric.weights import read_json

SCHEMA = "lstm_sym.key/1"
# What a question asks for; the checker has one reader per kind.
KINDS = ("number", "integer", "expression", "vector", "choice")
# Marks of a question whose key has no "points" (keys written before points existed).
DEFAULT_POINTS = 1
TOP_ORDER = ("schema", "exercise", "student", "questions")
EXERCISE_ORDER = ("title", "lang", "example", "seed", "attempt", "cell", "weights", "inputs",
                  "memory_inputs", "sizes", "worked")
QUESTION_ORDER = ("id", "family", "kind", "prompt", "answer", "exact", "accept", "variables",
                  "tolerance", "choices", "worked", "reveal", "misconceptions", "points",
                  "prompt_tex", "display", "exact_display", "solution")
TOLERANCE_ORDER = ("abs", "rel", "sigfigs")
MISCONCEPTION_ORDER = ("id", "answer", "feedback", "feedback_tex")
STEP_ORDER = ("text", "math", "value")


class Message(Protocol):
    """A sentence in no language yet (``exercises.model.Text``): rendered when a key is written."""

    def render(self, lang: str) -> str: ...


def render_text(text: Message | str, lang: str) -> str:
    """`text` in `lang`: a plain string is already in its language.

    >>> render_text("as is", "zh")
    'as is'
    """
    return text if isinstance(text, str) else text.render(lang)


@dataclass(frozen=True)
class Student:
    """Who a roster variant is for (``student`` in a key)."""

    id: str
    name: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class Tolerance:
    """How far a numeric answer may be from the key (STACK's NumAbsolute/NumRelative/
    NumSigFigs); a value passes if it meets any tolerance that is set.

    >>> Tolerance(abs=0.01).as_dict()
    {'abs': 0.01, 'rel': 0.0, 'sigfigs': None}
    >>> Tolerance.from_dict({"rel": 1e-3}) == Tolerance(rel=1e-3)
    True
    """

    abs: float = 0.0
    rel: float = 0.0
    sigfigs: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"abs": self.abs, "rel": self.rel, "sigfigs": self.sigfigs}

    @classmethod
    def from_dict(cls, spec: dict[str, Any] | None) -> Tolerance:
        """A validated key's ``tolerance`` (missing fields are 0 / None)."""
        spec = spec or {}
        return cls(spec.get("abs") or 0.0, spec.get("rel") or 0.0, spec.get("sigfigs"))


# --- when a numeric answer matches a target: one rule for the checker (which grades with
# it) and the exercises (which drop misconceptions the checker could not tell apart) ---

# Rounding noise of a difference computed at 50 digits, relative to the values compared:
# it lets a tolerance of 0.01 accept |difference| = 0.01 exactly, and nothing more.
_NOISE = Fraction(1, 10**45)


class Limits(Protocol):
    """A tolerance as the rule reads it: the key's :class:`Tolerance` (floats, read as
    the decimals they print as) or the checker's compiled one (exact fractions)."""

    abs: Any
    rel: Any
    sigfigs: int | None


def _real(ctx: Any, value: Any) -> Any:
    """A tolerance bound in the values' mpmath context: 0.01 means the decimal 0.01."""
    exact = value if isinstance(value, Fraction) else Fraction(str(value))
    return ctx.mpf(exact.numerator) / exact.denominator


def close(a: Any, b: Any, rel: float = 1e-30, floor: float = 1e-10) -> bool:
    """Equal up to rounding noise at 50 digits: |a - b| <= rel·max(floor, |a|, |b|).

    The floor absorbs cancellation noise when the true value is 0; at 1e-10 it
    still tells apart values as small as 1e-39.

    >>> import mpmath
    >>> close(mpmath.mpf(1), mpmath.mpf(1) + mpmath.mpf("1e-31")), close(0, 1e-41)
    (True, True)
    """
    return abs(a - b) <= rel * max(floor, abs(a), abs(b))


def round_sigfigs(value: Any, figures: int) -> tuple[int, int]:
    """`value` (an mpmath number) rounded to `figures` significant figures, as
    (mantissa, exponent), half away from zero.

    >>> import mpmath
    >>> round_sigfigs(mpmath.mpf("0.73106"), 3), round_sigfigs(mpmath.mpf("-9.996"), 3)
    ((731, -3), (-100, -1))
    """
    if not value:
        return (0, 0)
    ctx = value.context
    exponent = int(ctx.floor(ctx.log10(abs(value)))) - figures + 1
    mantissa = int(ctx.floor(abs(value) / ctx.mpf(10) ** exponent + ctx.mpf(0.5)))
    if mantissa >= 10**figures:  # 9.996 -> 10.0: renormalise the carry
        mantissa, exponent = mantissa // 10, exponent + 1
    return (mantissa if value > 0 else -mantissa, exponent)


def within_tolerance(value: Any, target: Any, tolerance: Limits) -> bool:
    """True if `value` passes any tolerance that is set (or equals `target` to 30
    significant digits); both are mpmath numbers of one context, at 50 digits. No
    absolute floor: 1e-45 and 9e-45 differ at rel 0.01.

    >>> import mpmath
    >>> with mpmath.workdps(50):
    ...     (within_tolerance(mpmath.mpf(7), mpmath.mpf("6.99966"), Tolerance(abs=0.01)),
    ...      within_tolerance(mpmath.mpf("1e-45"), mpmath.mpf("9e-45"), Tolerance(rel=0.01)),
    ...      within_tolerance(mpmath.mpf("9.8"), mpmath.mpf(10), Tolerance(sigfigs=2)))
    (True, False, True)
    """
    if close(value, target, floor=0):
        return True
    ctx = value.context
    distance = abs(value - target)
    noise = _real(ctx, _NOISE) * max(abs(value), abs(target))
    if tolerance.abs and distance <= _real(ctx, tolerance.abs) + noise:
        return True
    if tolerance.rel and distance <= _real(ctx, tolerance.rel) * abs(target) + noise:
        return True
    if tolerance.sigfigs:
        # N figures (as STACK's NumSigFigs judges them): the same when both are rounded
        # (half away from zero), or closer than half a unit in the target's N-th figure,
        # so 9.8 is 10 to two figures while 9.5 is not.
        figures = tolerance.sigfigs
        if round_sigfigs(value, figures) == round_sigfigs(target, figures):
            return True
        if target:
            exponent = int(ctx.floor(ctx.log10(abs(target)))) - figures + 1
            return distance < ctx.mpf(10) ** exponent / 2 - noise
    return False


def split_entries(text: str) -> list[tuple[str, int]]:
    """Entries of a vector with their 0-based offsets in `text`: a key's ``[0, 3, 7]``,
    and what students type, ``(0; 3)``, ``0 3 3 7``, ``0,3,3,7``, ``\\left[1, 2\\right]``.
    Separators inside brackets do not split (``σ(x1, x2)`` is one entry). The one
    splitter of vectors: the checker, the exercises and the Moodle export use it.

    >>> [entry for entry, _ in split_entries("[0, 3, σ(1), -7]")]
    ['0', '3', 'σ(1)', '-7']
    >>> split_entries("0 3  7"), split_entries("[4*m, sigma(x1, x2)]")
    ([('0', 0), ('3', 2), ('7', 5)], [('4*m', 1), ('sigma(x1, x2)', 6)])
    """
    begin, end = _strip_outer_brackets(text)
    pieces: list[tuple[int, int]] = []
    separators = ",;"
    depth, start = 0, begin
    has_separator = any(_top_level(text, begin, end, c) for c in separators)
    for i in range(begin, end):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and (c in separators if has_separator else c.isspace()):
            pieces.append((start, i))
            start = i + 1
    pieces.append((start, end))
    entries = []
    for a, b in pieces:
        while a < b and text[a].isspace():
            a += 1
        entries.append((text[a:b].rstrip(), a))
    if not has_separator:  # runs of spaces are one separator
        entries = [(e, a) for e, a in entries if e]
    return entries or [("", begin)]


def _top_level(text: str, begin: int, end: int, char: str) -> bool:
    depth = 0
    for c in text[begin:end]:
        depth += c in "([{"
        depth -= c in ")]}"
        if depth == 0 and c == char:
            return True
    return False


def _strip_outer_brackets(text: str) -> tuple[int, int]:
    begin, end = 0, len(text)
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    for left, right in (("\\left[", "\\right]"), ("\\left(", "\\right)")):
        if text.startswith(left, begin) and text.endswith(right, 0, end):
            return begin + len(left), end - len(right)
    if end - begin >= 2 and text[begin] + text[end - 1] in ("[]", "()"):
        depth = 0
        for i in range(begin, end):
            depth += text[i] in "([{"
            depth -= text[i] in ")]}"
            if depth == 0 and i < end - 1:
                return begin, end  # "(1)+(2)": the brackets are not one pair
        return begin + 1, end - 1
    return begin, end


@dataclass(frozen=True)
class Misconception:
    """A known wrong answer and the feedback that names the mistake.

    Exercises compute `answer` by running a modified model or formula; `feedback` is a
    message rendered in the key's language when the key is written.

    >>> Misconception("no_bias", "12", "Count the biases too.").as_dict("en")
    {'id': 'no_bias', 'answer': '12', 'feedback': 'Count the biases too.'}
    """

    id: str
    answer: str
    feedback: Message | str

    def as_dict(self, lang: str) -> dict[str, str]:
        return {"id": self.id, "answer": self.answer,
                "feedback": render_text(self.feedback, lang)}


def points_of(question: dict[str, Any]) -> int:
    """The marks of a (validated) key question.

    >>> points_of({"points": 3}), points_of({})
    (3, 1)
    """
    return question.get("points", DEFAULT_POINTS)


def _ordered(obj: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    """Known fields in schema order, then any others sorted: deterministic and readable."""
    return {**{k: obj[k] for k in order if k in obj},
            **{k: obj[k] for k in sorted(obj) if k not in order}}


def _canonical(key: dict[str, Any]) -> dict[str, Any]:
    out = _ordered(key, TOP_ORDER)
    if isinstance(out.get("exercise"), dict):
        out["exercise"] = _ordered(out["exercise"], EXERCISE_ORDER)
    questions = []
    for q in out.get("questions", []):
        q = _ordered(q, QUESTION_ORDER)
        if isinstance(q.get("tolerance"), dict):
            q["tolerance"] = _ordered(q["tolerance"], TOLERANCE_ORDER)
        q["misconceptions"] = [_ordered(m, MISCONCEPTION_ORDER)
                               for m in q.get("misconceptions", [])]
        if isinstance(q.get("solution"), list):
            q["solution"] = [_ordered(st, STEP_ORDER) if isinstance(st, dict) else st
                             for st in q["solution"]]
        questions.append(q)
    out["questions"] = questions
    return out


# A JSON list of plain numbers spread over lines by indent=2 (strings never hold raw
# newlines, so this cannot match inside one).
_NUMBER_LIST = re.compile(r"\[\s*\n\s*((?:-?\d[\d.eE+-]*,\s*)*-?\d[\d.eE+-]*)\s*\n\s*\]")


def key_bytes(key: dict[str, Any]) -> bytes:
    """The file's bytes: UTF-8 JSON in schema order, two-space indent with lists of numbers
    on one line, trailing newline.

    >>> print(key_bytes({"schema": SCHEMA, "exercise": {"worked": [1, 4]}}).decode(), end="")
    {
      "schema": "lstm_sym.key/1",
      "exercise": {
        "worked": [1, 4]
      },
      "questions": []
    }
    """
    canonical = _canonical(key)
    questions = canonical.get("questions")
    if list(canonical)[-1:] != ["questions"] or not questions:
        return (json_text(canonical) + "\n").encode("utf-8")
    # The questions one by one, each as json_text writes it two levels down: a class's
    # keys share most of them (every question a variant's numbers do not change).
    head = json_text({k: v for k, v in canonical.items() if k != "questions"})
    body = ",\n    ".join(_question_text(q) for q in questions)
    return (f'{head[:-2]},\n  "questions": [\n    {body}\n  ]\n}}\n').encode()


def json_text(obj: Any) -> str:
    """JSON as key files write it: ``json.dumps`` with a two-space indent (UTF-8 text),
    lists of plain numbers on one line.

    >>> print(json_text({"w": [[1, 2.5], [-3]], "s": "σ"}))
    {
      "w": [
        [1, 2.5],
        [-3]
      ],
      "s": "σ"
    }
    """
    text = json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False)
    return _NUMBER_LIST.sub(lambda mt: "[" + re.sub(r",\s+", ", ", mt.group(1)) + "]", text)


_QUESTION_TEXTS: dict[str, str] = {}


def _question_text(question: dict[str, Any]) -> str:
    """One question's :func:`json_text`, indented to its place in the key (JSON strings
    hold no raw newline, so every line break is the layout's); found again by its compact
    form, which the C encoder writes fast."""
    compact = json.dumps(question, ensure_ascii=False, allow_nan=False)
    text = _QUESTION_TEXTS.get(compact)
    if text is None:
        text = json_text(question).replace("\n", "\n    ")
        if len(_QUESTION_TEXTS) < 20_000:  # bounded: a long-lived process writes many keys
            _QUESTION_TEXTS[compact] = text
    return text


# --- validation -----------------------------------------------------------------


def _fail(where: str, field: str, message: str) -> UserError:
    return UserError(f"{where}: {field}: {message}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _need(where: str, obj: dict, field: str, prefix: str, check, what: str) -> Any:
    if field not in obj:
        raise _fail(where, prefix + field, "missing")
    value = obj[field]
    if not check(value):
        raise _fail(where, prefix + field, f"expected {what}, got {json.dumps(value)[:40]}")
    return value


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _number_rows(value: Any) -> bool:
    return (isinstance(value, list) and len(value) > 0
            and all(isinstance(row, list) and row and all(_is_number(v) for v in row)
                    for row in value))


def _validate_exercise(ex: Any, where: str) -> None:
    if not isinstance(ex, dict):
        raise _fail(where, "exercise", "expected an object")
    p = "exercise."
    _need(where, ex, "example", p, lambda v: isinstance(v, str), "a string")
    _need(where, ex, "seed", p, lambda v: v is None or (isinstance(v, int)
                                                         and not isinstance(v, bool)),
          "an integer or null")
    _need(where, ex, "cell", p, lambda v: isinstance(v, dict), "an object")
    weights = _need(where, ex, "weights", p, lambda v: isinstance(v, dict) and v, "an object")
    for name, value in weights.items():
        rows = value if value and isinstance(value[0], list) else [value]
        if not _number_rows(rows):
            raise _fail(where, f"exercise.weights.{name}", "expected numbers")
    _need(where, ex, "inputs", p, _number_rows, "a list of steps, each a list of numbers")
    if "memory_inputs" in ex:
        _need(where, ex, "memory_inputs", p, _number_rows,
              "a list of steps, each a list of numbers")
    _need(where, ex, "worked", p,
          lambda v: isinstance(v, list) and all(isinstance(t, int) and not isinstance(t, bool)
                                                for t in v), "a list of step numbers")


def _validate_question(q: Any, where: str, index: int, seen: set[str]) -> None:
    p = f"questions[{index}]."
    if not isinstance(q, dict):
        raise _fail(where, f"questions[{index}]", "expected an object")
    qid = _need(where, q, "id", p, lambda v: isinstance(v, str) and v, "a non-empty string")
    if qid in seen:
        raise _fail(where, f"{p}id", f"{qid!r} appears twice")
    seen.add(qid)
    kind = _need(where, q, "kind", p, lambda v: v in KINDS, f"one of {', '.join(KINDS)}")
    _need(where, q, "prompt", p, lambda v: isinstance(v, str), "a string")
    answer = _need(where, q, "answer", p, lambda v: isinstance(v, str) and v.strip(),
                   "a non-empty string")
    if q.get("exact") is not None and not isinstance(q["exact"], str):
        raise _fail(where, f"{p}exact", "expected a string or null")
    for field in ("accept", "variables"):
        if field in q and not _str_list(q[field]):
            raise _fail(where, p + field, "expected a list of strings")
    tol = q.get("tolerance")
    if tol is not None:
        if not isinstance(tol, dict):
            raise _fail(where, f"{p}tolerance", "expected an object with abs, rel, sigfigs")
        for field in ("abs", "rel"):
            if field in tol and not (_is_number(tol[field]) and tol[field] >= 0):
                raise _fail(where, f"{p}tolerance.{field}", "expected a number >= 0")
        sig = tol.get("sigfigs")
        if sig is not None and not (isinstance(sig, int) and not isinstance(sig, bool)
                                    and sig >= 1):
            raise _fail(where, f"{p}tolerance.sigfigs", "expected a positive integer or null")
    choices = q.get("choices")
    if kind == "choice":
        if not _str_list(choices) or not choices:
            raise _fail(where, f"{p}choices", "expected a list of strings for kind choice")
        if answer not in choices:
            raise _fail(where, f"{p}answer", f"{answer!r} is not one of the choices")
    elif choices is not None and not _str_list(choices):
        raise _fail(where, f"{p}choices", "expected a list of strings or null")
    for field in ("worked", "reveal"):
        if field in q and not isinstance(q[field], bool):
            raise _fail(where, p + field, "expected true or false")
    mcs = q.get("misconceptions", [])
    if not isinstance(mcs, list):
        raise _fail(where, f"{p}misconceptions", "expected a list")
    for j, mc in enumerate(mcs):
        mp = f"{p}misconceptions[{j}]."
        if not isinstance(mc, dict):
            raise _fail(where, mp[:-1], "expected an object with id, answer, feedback")
        for field in ("id", "answer", "feedback"):
            _need(where, mc, field, mp, lambda v: isinstance(v, str), "a string")
    if "points" in q:
        _need(where, q, "points", p, lambda v: isinstance(v, int) and not isinstance(v, bool)
              and v >= 1, "an integer >= 1")
    _validate_presentation(q, where, p)


def _validate_presentation(q: dict[str, Any], where: str, p: str) -> None:
    """The optional fields a reader shows (the LaTeX prompt, the worked solution)."""
    for j, mc in enumerate(q.get("misconceptions", [])):
        if mc.get("feedback_tex") is not None and not isinstance(mc["feedback_tex"], str):
            raise _fail(where, f"{p}misconceptions[{j}].feedback_tex", "expected a string")
    for field in ("prompt_tex", "display", "exact_display"):
        if q.get(field) is not None and not isinstance(q[field], str):
            raise _fail(where, p + field, "expected a string or null")
    steps = q.get("solution")
    if steps is None:
        return
    if not isinstance(steps, list):
        raise _fail(where, f"{p}solution", "expected a list of steps")
    for j, step in enumerate(steps):
        sp = f"{p}solution[{j}]"
        if not isinstance(step, dict) or not isinstance(step.get("text"), str):
            raise _fail(where, sp, "expected an object with text, math, value")
        for field in ("math", "value"):
            if step.get(field) is not None and not isinstance(step[field], str):
                raise _fail(where, f"{sp}.{field}", "expected a string or null")


def validate_key(key: Any, where: str = "key") -> dict[str, Any]:
    """Check a key against schema lstm_sym.key/1; return it, or raise UserError naming
    `where` and the first bad field.

    >>> validate_key({"schema": "lstm_sym.key/0"}, "k.json")
    Traceback (most recent call last):
    ...
    lstm_sym.errors.UserError: k.json: schema: expected 'lstm_sym.key/1', got 'lstm_sym.key/0'
    """
    if not isinstance(key, dict):
        raise UserError(f"{where}: expected a JSON object (an answer key)")
    schema = key.get("schema")
    if schema != SCHEMA:
        raise _fail(where, "schema", f"expected {SCHEMA!r}, got {schema!r}")
    _validate_exercise(key.get("exercise"), where)
    student = key.get("student")
    if student is not None:
        if not isinstance(student, dict):
            raise _fail(where, "student", "expected an object with id and name")
        for field in ("id", "name"):
            _need(where, student, field, "student.", lambda v: isinstance(v, str), "a string")
    questions = key.get("questions")
    if not isinstance(questions, list) or not questions:
        raise _fail(where, "questions", "expected a non-empty list")
    seen: set[str] = set()
    for i, q in enumerate(questions):
        _validate_question(q, where, i, seen)
    return key


def write_key(path: str | Path, key: dict[str, Any]) -> Path:
    """Validate `key` and write it atomically (temporary file, then os.replace).

    >>> import tempfile, pathlib
    >>> key = {"schema": SCHEMA, "exercise": {"example": "lecture-worked", "seed": None,
    ...        "cell": {"cell": "lecture"}, "weights": {"b_z": [0]}, "inputs": [[3, 1, 0]],
    ...        "worked": []}, "questions": [{"id": "trace.t1.c", "kind": "number",
    ...        "prompt": "c after step 1?", "answer": "3", "points": 1}]}
    >>> p = write_key(pathlib.Path(tempfile.mkdtemp()) / "key.json", key)
    >>> read_key(p)["questions"][0]["id"]
    'trace.t1.c'
    """
    validate_key(key, str(path))
    return write_bytes(path, key_bytes(key))


def read_key(path: str | Path) -> dict[str, Any]:
    """Read and validate a key.json; every problem is one line naming the file and field."""
    return validate_key(read_json(path, "key"), str(path))
