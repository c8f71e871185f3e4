"""Grade one answer against a compiled question, producing a Verdict.

Everything here runs in-process and is bounded by the parser's limits and the
guarded evaluator. The one step that may need SymPy (an expression our
numeric test cannot decide) comes back as a :class:`Pending` call for the
sandbox, so a batch can send all of them to the workers at once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from lstm_sym.checker import limits
from lstm_sym.checker.carry import Carried, given_text
from lstm_sym.checker.equivalence import (
    ExpressionTarget,
    Match,
    compare_expressions,
    written_sigfigs,
)
from lstm_sym.checker.feedback import join, message
from lstm_sym.checker.nodes import Node, is_constant, to_text
from lstm_sym.checker.numeric import (
    Evaluator,
    Real,
    TooComplex,
    Undefined,
    compile_node,
    exact_value,
    to_real,
)
from lstm_sym.checker.parse import ParseError, parse_answer
from lstm_sym.checker.question import CompiledQuestion, Misconception
from lstm_sym.checker.readers import (
    as_integer,
    choice_label,
    read_choice,
    read_rational_or_real,
    read_real,
    split_vector,
)
from lstm_sym.checker.sandbox import Call, Outcome
from lstm_sym.checker.symbolic import simplifies_to_zero
from lstm_sym.checker.verdict import Verdict
from lstm_sym.key import close, within_tolerance

_DECIMAL_COMMA = re.compile(r"\s*[-+−]?\d+,\d+\s*")
_SHAPE = re.compile(r"\s*\(?\s*(\d+)\s*(?:[x×X]|\\times)\s*(\d+)\s*\)?\s*")


@dataclass(frozen=True)
class Pending:
    """A verdict that needs one sandboxed SymPy call to finish."""

    call: Call
    finish: Callable[[Outcome], Verdict]


class _Grader:
    """Builds verdicts for one (question, answer, language)."""

    def __init__(self, question: CompiledQuestion, answer: str, lang: str,
                 carried: Carried | None = None) -> None:
        self.q = question
        self.answer = answer
        self.lang = lang
        self.carried = carried
        self.deadline = time.monotonic() + limits.IN_PROCESS_BUDGET
        self._compiled: dict[Node, Evaluator] = {}

    def same(self, target: ExpressionTarget, node: Node) -> Match:
        """Compare within this answer's time budget, compiling `node` only once."""
        if node not in self._compiled:
            self._compiled[node] = compile_node(node)
        return compare_expressions(target, node, self._compiled[node], self.deadline)

    # -- verdicts ---------------------------------------------------------
    def say(self, code: str, **params: object) -> str:
        return message(code, self.lang, **params)

    def invalid(self, feedback: str, parsed: str | None = None) -> Verdict:
        return Verdict(False, False, 0.0, feedback, self.q.revealed, parsed, None)

    def correct(self, parsed: str) -> Verdict:
        return Verdict(True, True, 1.0, self.say("correct"), self.q.revealed, parsed, None)

    def carried_forward(self, parsed: str, given: tuple, score: float = 1.0) -> Verdict:
        feedback = self.say("carried", given=given_text(given, self.lang))
        return Verdict(True, score == 1.0, score, feedback, self.q.revealed, parsed, None, True)

    def follows(self, value: Real) -> bool:
        """True if `value` is what the student's own earlier answers give."""
        return self.carried is not None and any(
            within_tolerance(value, target, self.q.tolerance) or close(value, target)
            for target in self.carried.targets)

    def wrong(self, feedback: str, parsed: str, score: float = 0.0) -> Verdict:
        return Verdict(True, False, score, self.with_reveal(feedback), self.q.revealed, parsed)

    def mistaken(self, misconception: Misconception, parsed: str) -> Verdict:
        generic = "incorrect_entries" if self.q.kind == "vector" else f"incorrect_{self.q.kind}"
        feedback = self.with_reveal(misconception.feedback or self.say(generic))
        return Verdict(True, False, 0.0, feedback, self.q.revealed, parsed, misconception.id)

    def with_reveal(self, feedback: str) -> str:
        if not self.q.reveal:
            return feedback
        return join(feedback, self.say("reveal", expected=self.q.answer_text))

    def unreadable(self, exc: Exception, entry: int | None = None) -> Verdict:
        """The verdict for an answer (or vector entry) we could not evaluate."""
        if isinstance(exc, ParseError):
            feedback = self.say(exc.code, **exc.params)
            if exc.code == "unknown_name":
                feedback = join(feedback, self.allowed_names())
            elif exc.code == "unexpected_token" and _DECIMAL_COMMA.fullmatch(self.answer):
                feedback = join(feedback, self.say("decimal_comma"))
        elif isinstance(exc, Undefined):
            feedback = self.say("no_real_value")
        else:
            feedback = self.say("too_complex")
        if entry is not None and not isinstance(exc, TooComplex):
            feedback = self.say("vector_entry", index=entry + 1, detail=feedback)
        return self.invalid(feedback)

    def allowed_names(self) -> str:
        variables = self.q.names.variables
        if not variables and self.q.kind in ("number", "integer", "vector"):
            return self.say("no_names")
        shown = list(variables) + [f"{name}(…)" for name in self.q.names.function_names]
        shown += ["e", "exp", "σ", "tanh", "ln", "sqrt", "abs"]
        return self.say("allowed_names", names=", ".join(shown))

    # -- kinds ------------------------------------------------------------
    def grade(self) -> Verdict | Pending:
        if not self.answer.strip():
            return self.invalid(self.say("empty"))
        if len(self.answer) > limits.MAX_LENGTH:  # before any splitting or scanning
            return self.invalid(
                self.say("too_long", length=len(self.answer), limit=limits.MAX_LENGTH)
            )
        try:
            return getattr(self, f"grade_{self.q.kind}")()
        except (ParseError, Undefined, TooComplex) as exc:
            return self.unreadable(exc)

    def grade_number(self) -> Verdict:
        value, node = read_real(self.answer, self.q.names)
        parsed = to_text(node)
        tolerance = self.q.tolerance
        if any(within_tolerance(value, target, tolerance) for target in self.q.correct):
            if tolerance.strict:
                problem = self.sigfigs_problem(node)
                if problem:
                    return self.wrong(problem, parsed)
            return self.correct(parsed)
        if self.follows(value):  # before misconceptions: carried forward wins a tie
            return self.carried_forward(parsed, self.carried.given)
        for misconception in self.q.misconceptions:
            if within_tolerance(value, misconception.target, tolerance):
                return self.mistaken(misconception, parsed)
        return self.wrong(self.say("incorrect_number"), parsed)

    def sigfigs_problem(self, node: Node) -> str | None:
        """Why the answer is not written with the required significant figures, if it is not."""
        want = self.q.tolerance.sigfigs
        literal = _mantissa(node[1] if node[0] == "neg" else node)
        shown = written_sigfigs(literal[2]) if literal is not None else None
        if shown is None:
            return self.say("sigfigs_not_decimal", want=want)
        if not shown[0] <= want <= shown[1]:
            got = str(shown[0]) if shown[0] == shown[1] else f"{shown[0]}–{shown[1]}"
            return self.say("sigfigs_written", want=want, got=got)
        return None

    def grade_integer(self) -> Verdict:
        value, node = read_rational_or_real(self.answer, self.q.names)
        parsed = to_text(node)
        integer = as_integer(value)
        if integer is None:
            return self.wrong(self.say("not_integer"), parsed)
        if Fraction(integer) in self.q.correct:
            return self.correct(parsed)
        if self.follows(to_real(integer)):
            return self.carried_forward(parsed, self.carried.given)
        for misconception in self.q.misconceptions:
            if misconception.target == integer:
                return self.mistaken(misconception, parsed)
        return self.wrong(self.say("incorrect_integer"), parsed)

    def grade_expression(self) -> Verdict | Pending:
        node = parse_answer(self.answer, self.q.names)
        parsed = to_text(node)
        if is_constant(node):
            compile_node(node)({}, {})  # 1/0 has no value at all: unreadable, not "wrong"
        unknown = None
        outcomes = []
        for target in self.q.correct:
            outcome = self.same(target, node)
            if outcome is Match.EQUAL:
                return self.correct(parsed)
            if outcome is Match.UNKNOWN and unknown is None:
                unknown = target
            outcomes.append(outcome)
        if unknown is not None:
            call = (simplifies_to_zero, (unknown.node, node))
            return Pending(call, lambda result: self.after_sympy(result, node, parsed))
        return self.expression_wrong(node, parsed, outcomes[0])

    def after_sympy(self, result: Outcome, node: Node, parsed: str) -> Verdict:
        self.deadline = time.monotonic() + limits.IN_PROCESS_BUDGET  # a fresh budget
        if result.status == "ok" and result.value is True:
            return self.correct(parsed)
        if result.status != "ok":
            return self.invalid(self.say("too_complex"), parsed)
        return self.expression_wrong(node, parsed, Match.DIFFERENT)

    def expression_wrong(self, node: Node, parsed: str, outcome: Match) -> Verdict:
        if outcome is Match.TOO_COMPLEX:
            return self.invalid(self.say("too_complex"), parsed)
        for misconception in self.q.misconceptions:
            if self.same(misconception.target, node) is Match.EQUAL:
                return self.mistaken(misconception, parsed)
        if outcome is Match.NOWHERE_DEFINED:
            return self.wrong(self.say("nowhere_defined"), parsed)
        return self.wrong(self.say("incorrect_expression"), parsed)

    def grade_vector(self) -> Verdict:
        entries = split_vector(self.answer)
        shape = _SHAPE.fullmatch(self.answer)
        if shape and len(self.q.correct[0]) == 2:
            # "2x3" or "2 × 3" for a shape question means [2, 3], not 2·3.
            entries = [(shape.group(1), shape.start(1)), (shape.group(2), shape.start(2))]
        values: list[Any] = []
        for index, (entry, offset) in enumerate(entries):
            try:
                values.append(self.read_entry(entry))
            except ParseError as exc:
                if "pos" in exc.params:
                    exc.params["pos"] += offset
                return self.unreadable(exc, index)
            except (Undefined, TooComplex) as exc:
                return self.unreadable(exc, index)
        parsed = "[" + ", ".join(text for _, text in values) + "]"
        best: list[bool] = []
        for target in self.q.correct:
            if len(target) == len(values):
                right = [self.entry_matches(value, t) for (value, _), t in zip(values, target)]
                if all(right):
                    return self.correct(parsed)
                best = max(best, right, key=sum) if best else right
        carried = self.carried_entries(values, best)
        if carried is not None:
            return carried
        for misconception in self.q.misconceptions:  # may have another length
            target = misconception.target
            if len(target) == len(values) and all(
                self.entry_matches(value, t) for (value, _), t in zip(values, target)
            ):
                return self.mistaken(misconception, parsed)
        if not best:
            want = len(self.q.correct[0])
            return self.wrong(self.say("wrong_length", got=len(values), want=want), parsed)
        wrong = [str(i + 1) for i, ok in enumerate(best) if not ok]
        feedback = self.say(
            "incorrect_vector", wrong=len(wrong), total=len(best), positions=", ".join(wrong)
        )
        return self.wrong(feedback, parsed, score=round(sum(best) / len(best), 6))

    def carried_entries(self, values: list, best: list[bool]) -> Verdict | None:
        """Credit for the entries that follow from the student's own other entries (the
        memory puzzle); None when no entry does."""
        carried = self.carried
        if carried is None or self.q.symbolic_entries or len(carried.targets) != len(values):
            return None
        right = best or [False] * len(values)
        follows = [not ok and any(within_tolerance(value, t, self.q.tolerance)
                                  for t in targets) and bool(given)
                   for ok, (value, _), targets, given in zip(right, values, carried.targets,
                                                              carried.entry_given)]
        if not any(follows):
            return None
        given = tuple(dict.fromkeys(g for f, gs in zip(follows, carried.entry_given) if f
                                    for g in gs))
        score = sum(a or b for a, b in zip(right, follows)) / len(values)
        parsed = "[" + ", ".join(text for _, text in values) + "]"
        verdict = self.carried_forward(parsed, given, round(score, 6))
        if score < 1:
            wrong = [str(i + 1) for i, (a, b) in enumerate(zip(right, follows)) if not (a or b)]
            feedback = join(self.say("incorrect_vector", wrong=len(wrong), total=len(values),
                                     positions=", ".join(wrong)),
                            self.say("carried_part", given=given_text(given, self.lang)))
            return Verdict(True, False, verdict.score, feedback, self.q.revealed, parsed, None,
                           True)
        return verdict

    def read_entry(self, entry: str) -> tuple[Real | Node, str]:
        if self.q.symbolic_entries:
            node = parse_answer(entry, self.q.names)
            return node, to_text(node)
        value, node = read_real(entry, self.q.names)
        return value, to_text(node)

    def entry_matches(self, value: Real | Node, target: Any) -> bool:
        if self.q.symbolic_entries:
            return self.same(target, value) is Match.EQUAL
        return within_tolerance(value, target, self.q.tolerance)

    def grade_choice(self) -> Verdict:
        index = read_choice(self.answer, self.q.choices)
        choices = self.q.choices
        if index is None:
            # Name the options themselves when short: letters may be options too.
            options = ", ".join(choices or ())
            if len(options) > 80:
                options = ", ".join(choice_label(i) for i in range(len(choices)))
            shown = self.answer.strip()
            shown = shown if len(shown) <= 40 else shown[:40] + "…"
            return self.invalid(self.say("unknown_choice", answer=shown, options=options or "—"))
        parsed = f"{choice_label(index)}) {choices[index]}" if choices else str(index)
        if index in self.q.correct:
            return self.correct(parsed)
        for misconception in self.q.misconceptions:
            if misconception.target == index:
                return self.mistaken(misconception, parsed)
        return self.wrong(self.say("incorrect_choice"), parsed)


def _mantissa(node: Node) -> Node | None:
    """The written number of a decimal answer: ``1.38``, or the 1.38 of ``1.38*10^-1``."""
    if node[0] == "num":
        return node
    if node[0] == "prod" and len(node[1]) == 2 and node[1][1][0] == "*":
        first, power = node[1][0][1], node[1][1][1]
        first = first[1] if first[0] == "neg" else first
        if first[0] == "num" and power[0] == "pow" and power[1][0] == "num" \
                and power[1][1] == 10 and exact_value(power[2]) is not None \
                and exact_value(power[2]).denominator == 1:
            return first
    return None


def grade(question: CompiledQuestion, answer: str, lang: str = "en",
          carried: Carried | None = None) -> Verdict | Pending:
    """A verdict, or a :class:`Pending` SymPy call that will produce one.

    >>> from lstm_sym.checker.question import compile_question
    >>> q = compile_question({"id": "q", "kind": "number", "answer": "0.5"})
    >>> grade(q, "σ(0)").correct
    True
    """
    return _Grader(question, answer, lang, carried).grade()
