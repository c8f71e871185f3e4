"""A key.json question read once into targets the grader can compare against.

Key text is our own output (or a teacher's), but it goes through the same
parser as student text (in a mode that learns unknown names instead of
rejecting them), so nothing in the key is evaluated either. A broken key is a
:class:`~lstm_sym.errors.UserError` naming the question and the field.

>>> q = compile_question({"id": "q1", "kind": "integer", "answer": "40"})
>>> q.kind, q.correct
('integer', (Fraction(40, 1),))
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from lstm_sym.checker.equivalence import ExpressionTarget, Tolerance
from lstm_sym.checker.feedback import message
from lstm_sym.checker.latex import blank_matrix_markup
from lstm_sym.checker.nodes import Node, functions_of, is_constant, variables_of
from lstm_sym.checker.numeric import (
    CTX,
    Real,
    Sampler,
    TooComplex,
    Undefined,
    evaluate,
    exact_value,
    to_real,
)
from lstm_sym.checker.parse import Names, ParseError, parse_answer
from lstm_sym.errors import UserError

KINDS = ("number", "integer", "expression", "vector", "choice")


@dataclass(frozen=True)
class Misconception:
    id: str
    feedback: str
    target: Any  # same type as CompiledQuestion.correct entries


@dataclass(frozen=True)
class CompiledQuestion:
    """Everything needed to grade answers to one question.

    `correct` holds one target per acceptable value (answer, exact, accept):
    a Real for numbers, a Fraction for integers, an ExpressionTarget for
    expressions, a tuple of those for vectors, a choice index for choices.
    """

    qid: str
    kind: str
    answer_text: str
    reveal: bool
    names: Names
    tolerance: Tolerance
    choices: tuple[str, ...] | None
    correct: tuple[Any, ...]
    misconceptions: tuple[Misconception, ...]
    symbolic_entries: bool  # vector entries are expressions, not numbers

    @property
    def revealed(self) -> str | None:
        return self.answer_text if self.reveal else None


# -- reading values (shared by key and answers) -------------------------------


def read_real(text: str, names: Names) -> tuple[Real, Node]:
    """A constant answer's value; raises ParseError, Undefined or TooComplex."""
    node = parse_answer(text, names)
    if not is_constant(node):
        raise ParseError("no_names")
    exact = exact_value(node)
    return (to_real(exact) if exact is not None else evaluate(node, {})), node


def read_rational_or_real(text: str, names: Names) -> tuple[Fraction | Real, Node]:
    """Like :func:`read_real` but keeps plain rationals exact (for integers)."""
    node = parse_answer(text, names)
    if not is_constant(node):
        raise ParseError("no_names")
    exact = exact_value(node)
    return (exact if exact is not None else evaluate(node, {})), node


def as_integer(value: Fraction | Real) -> int | None:
    """The integer `value` equals, or None (reals count if integral to 50 digits)."""
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else None
    nearest = CTX.nint(value)
    return int(nearest) if abs(value - nearest) <= CTX.mpf(10) ** -30 * max(1, abs(value)) else None


def split_vector(text: str) -> list[tuple[str, int]]:
    """Entries of a vector answer with their 0-based offsets in `text`.

    Accepts ``[0, 3, 3, 7]``, ``(0; 3)``, ``0 3 3 7``, ``0,3,3,7`` and LaTeX
    ``\\begin{bmatrix}0 \\\\ 3\\end{bmatrix}``.

    >>> [entry for entry, _ in split_vector("[0, 3, σ(1), -7]")]
    ['0', '3', 'σ(1)', '-7']
    >>> [entry for entry, _ in split_vector("0 3 3 7")]
    ['0', '3', '3', '7']
    """
    blanked = blank_matrix_markup(text)
    begin, end = _strip_outer_brackets(blanked)
    pieces: list[tuple[int, int]] = []
    separators = ",;"
    depth, start = 0, begin
    has_separator = any(_top_level(blanked, begin, end, c) for c in separators)
    for i in range(begin, end):
        c = blanked[i]
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
        while a < b and blanked[a].isspace():
            a += 1
        entries.append((blanked[a:b].rstrip(), a))
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


_LABEL = re.compile(r"\(?([a-z]|\d{1,3})[).:]?")
_LABELLED = re.compile(r"\(?([a-z])[).:]\s*(.+)")


def _normalise_choice(text: str) -> str:
    return " ".join(text.casefold().split()).strip().rstrip(".。").strip("\"'“”")


def read_choice(text: str, choices: tuple[str, ...] | None) -> int | str | None:
    """The index of the chosen option (by text, letter or number), or None.

    Without a list of choices the normalised text itself is the choice.

    >>> read_choice(" Forget  gate ", ("input gate", "forget gate")), read_choice("(b)", ("x", "y"))
    (1, 1)
    """
    answer = _normalise_choice(text)
    if choices is None:
        return answer or None
    normalised = [_normalise_choice(c) for c in choices]
    if answer in normalised:
        return normalised.index(answer)
    label = _LABEL.fullmatch(answer)
    if label:
        mark = label.group(1)
        if mark.isalpha():
            index = ord(mark) - ord("a")
        elif any(_looks_numeric(c) for c in normalised):
            return None  # "3" is ambiguous when the options are numbers
        else:
            index = int(mark) - 1
        return index if 0 <= index < len(choices) else None
    labelled = _LABELLED.fullmatch(answer)
    if labelled:
        index = ord(labelled.group(1)) - ord("a")
        if index < len(choices) and normalised[index] == labelled.group(2).strip():
            return index
    return None


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d+(\.\d*)?", text))


def choice_label(index: int) -> str:
    return chr(ord("a") + index)


# -- compiling a key question -------------------------------------------------


def fingerprint(question: Mapping[str, Any]) -> str:
    """A stable string identifying a question's content (for caches)."""
    return json.dumps(question, sort_keys=True, default=str, ensure_ascii=False)


def _field_error(qid: str, field: str, exc: Exception) -> UserError:
    if isinstance(exc, ParseError):
        reason = message(exc.code, "en", **exc.params)
    elif isinstance(exc, Undefined):
        reason = message("no_real_value", "en")
    elif isinstance(exc, TooComplex):
        reason = message("too_complex", "en")
    else:
        reason = str(exc)
    return UserError(f"question {qid!r}: {field}: {reason}")


def compile_question(question: Mapping[str, Any]) -> CompiledQuestion:
    """Read one entry of key.json "questions" (see docs/contracts.md)."""
    if not isinstance(question, Mapping):
        raise UserError("question: expected an object")
    qid = str(question.get("id", "?"))
    kind = question.get("kind")
    if kind not in KINDS:
        raise UserError(f"question {qid!r}: kind: expected one of {', '.join(KINDS)}, got {kind!r}")
    answer = question.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        raise UserError(f"question {qid!r}: answer: expected a non-empty string")
    declared = question.get("variables") or ()
    if isinstance(declared, str) or not all(isinstance(v, str) for v in declared):
        raise UserError(f"question {qid!r}: variables: expected a list of names")
    declared = tuple(declared)
    tolerance = Tolerance.from_key(question.get("tolerance"), f"question {qid!r}: tolerance")
    choices = question.get("choices")
    if choices is not None:
        if isinstance(choices, str) or not all(isinstance(c, str) for c in choices):
            raise UserError(f"question {qid!r}: choices: expected a list of strings")
        choices = tuple(choices)
    texts = [("answer", answer)]
    texts += [("exact", question["exact"])] if isinstance(question.get("exact"), str) else []
    texts += [(f"accept[{i}]", t) for i, t in enumerate(question.get("accept") or ())]
    raw_misconceptions = question.get("misconceptions") or ()
    for i, m in enumerate(raw_misconceptions):
        if not isinstance(m, Mapping) or not isinstance(m.get("answer"), str):
            raise UserError(
                f"question {qid!r}: misconceptions[{i}]: expected an object with"
                " id, answer, feedback"
            )

    symbolic = kind == "expression" or (kind == "vector" and bool(declared))
    key_names = Names.declare(declared, infer=True)

    def read(field: str, text: str) -> Any:
        try:
            return _read_key_value(kind, text, key_names, choices, symbolic)
        except (ParseError, Undefined, TooComplex, ValueError) as exc:
            raise _field_error(qid, field, exc) from None

    raw_correct = [read(field, text) for field, text in texts]
    raw_wrong = [
        read(f"misconceptions[{i}].answer", m["answer"]) for i, m in enumerate(raw_misconceptions)
    ]
    names, sampler = Names.declare(declared), None
    if symbolic:
        nodes = [n for v in raw_correct + raw_wrong for n in (v if kind == "vector" else (v,))]
        names = _names_used(declared, nodes)
        seed = zlib.crc32(f"{qid}\0{answer}".encode())
        sampler = Sampler(names.variables, names.function_names, seed)

    def target(value: Any) -> Any:
        if kind == "expression":
            return ExpressionTarget(value, sampler)
        if symbolic:
            return tuple(ExpressionTarget(node, sampler) for node in value)
        return value

    return CompiledQuestion(
        qid=qid,
        kind=kind,
        answer_text=answer,
        reveal=bool(question.get("reveal")),
        names=names,
        tolerance=tolerance,
        choices=choices,
        correct=tuple(target(value) for value in raw_correct),
        misconceptions=tuple(
            Misconception(str(m.get("id", i)), str(m.get("feedback", "")), target(value))
            for i, (m, value) in enumerate(zip(raw_misconceptions, raw_wrong))
        ),
        symbolic_entries=symbolic and kind == "vector",
    )


def _read_key_value(
    kind: str, text: str, names: Names, choices: tuple[str, ...] | None, symbolic: bool
) -> Any:
    """A key string as a value (number, integer, choice) or node(s) (expressions)."""
    if kind == "number":
        return read_real(text, names)[0]
    if kind == "integer":
        value = as_integer(read_rational_or_real(text, names)[0])
        if value is None:
            raise ValueError(f"{text!r} is not an integer")
        return Fraction(value)
    if kind == "expression":
        return parse_answer(text, names)
    if kind == "vector":
        entries = [entry for entry, _ in split_vector(text)]
        if symbolic:
            return tuple(parse_answer(entry, names) for entry in entries)
        return tuple(read_real(entry, names)[0] for entry in entries)
    index = read_choice(text, choices)
    if index is None:
        raise ValueError(f"{text!r} is not one of the choices")
    return index


def _names_used(declared: tuple[str, ...], nodes: list[Node]) -> Names:
    """Student names: the declared variables plus any name the key's expressions use."""
    variables = list(declared)
    functions: dict[str, int] = {}
    for node in nodes:
        variables += sorted(variables_of(node))
        functions.update(functions_of(node))
    return Names.declare(variables, functions.items())
