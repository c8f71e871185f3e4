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
from lstm_sym.checker.feedback import key_message
from lstm_sym.checker.nodes import Node, functions_of, is_constant, variables_of
from lstm_sym.checker.numeric import Sampler, TooComplex, Undefined, compile_node, to_real
from lstm_sym.checker.parse import Names, ParseError, parse_answer
from lstm_sym.checker.readers import (
    as_integer,
    read_choice,
    read_rational_or_real,
    read_real,
    split_vector,
)
from lstm_sym.errors import UserError
from lstm_sym.key import KINDS


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


# -- compiling a key question -------------------------------------------------


def fingerprint(question: Mapping[str, Any]) -> str:
    """A stable string identifying a question's content (for caches)."""
    return json.dumps(question, sort_keys=True, default=str, ensure_ascii=False)


def _field_error(where: str, field: str, exc: Exception) -> UserError:
    if isinstance(exc, ParseError):
        reason = key_message(exc.code, **exc.params)
    elif isinstance(exc, Undefined):
        reason = key_message("no_real_value")
    elif isinstance(exc, TooComplex):
        reason = key_message("too_complex")
    else:
        reason = str(exc)
    return UserError(f"{where}: {field}: {reason}" if field else f"{where}: {reason}")


def compile_question(question: Mapping[str, Any], where: str | None = None) -> CompiledQuestion:
    """Read one entry of key.json "questions" (see docs/contracts.md); a problem is a
    UserError starting with `where` (default: the question's id)."""
    if not isinstance(question, Mapping):
        raise UserError("question: expected an object")
    qid = str(question.get("id", "?"))
    label = where or f"question {qid!r}"
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
            raise _field_error(label, "" if where else field, exc) from None

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


_PLAIN_DECIMAL = re.compile(r"-?\d{1,60}(\.\d{1,60})?")


def _plain_real(text: str, names: Names) -> Any:
    """A key number; plain decimals (most key values: "7", "-10", "6.99977301066") are read
    directly, exactly as the parser would read them, since compiling per-student keys
    reads thousands of them."""
    if _PLAIN_DECIMAL.fullmatch(text):
        return to_real(Fraction(text))
    return read_real(text, names)[0]


def _read_key_value(
    kind: str, text: str, names: Names, choices: tuple[str, ...] | None, symbolic: bool
) -> Any:
    """A key string as a value (number, integer, choice) or node(s) (expressions)."""
    if kind == "number":
        return _plain_real(text, names)
    if kind == "integer":
        value = as_integer(read_rational_or_real(text, names)[0])
        if value is None:
            raise ValueError(f"{text!r} is not an integer")
        return Fraction(value)
    if kind == "expression":
        node = parse_answer(text, names)
        if is_constant(node):
            compile_node(node)({}, {})  # a constant without a value (1/0) is a broken key
        return node
    if kind == "vector":
        entries = [entry for entry, _ in split_vector(text)]
        if symbolic:
            return tuple(parse_answer(entry, names) for entry in entries)
        return tuple(_plain_real(entry.strip(), names) for entry in entries)
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
