"""`check(...)`: one answer checked as `lstm-sym check` does, as a result whose fields are
the JSON's (``.correct``, ``.score``, ``.feedback``, …) and that displays its verdict,
feedback and reading; and :class:`Practice`, the checker a practice notebook calls."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lstm_sym.checker.verdict import Verdict
from lstm_sym.errors import UserError
from lstm_sym.i18n import msg

UNANSWERED = ...  # what a practice notebook's answer cells hold until the student writes one


@dataclasses.dataclass(frozen=True)
class CheckResult(Verdict):
    """A :class:`~lstm_sym.checker.Verdict` (the fields of `check --format json`) with the
    question it answers, the answer as given, and a hint when the key has hints.

    >>> r = check(expected="3/4", answer="0.75")
    >>> r.correct, r.score, r
    (True, 1.0, <✓ correct (score 1): Correct. · read as: 0.75>)
    """

    question: str | None = None
    answer: str | None = None
    hint: str | None = None
    lang: str = "en"
    answered: bool = True

    def to_dict(self) -> dict[str, object]:
        """The JSON `lstm-sym check --format json` prints."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(Verdict)}

    def verdict_text(self) -> str:
        """The verdict in the result's language: correct, wrong, cannot read, not answered."""
        if not self.answered:
            return msg(self.lang, "notebook.not_answered")
        key = ("notebook.correct" if self.correct else "notebook.wrong") if self.valid \
            else "notebook.unreadable"
        return msg(self.lang, key)

    def lines(self) -> list[tuple[str, str]]:
        """(label, text) pairs after the verdict: reading, mistake, hint."""
        out = []
        if self.parsed:
            out.append((msg(self.lang, "notebook.read_as"), self.parsed))
        if self.misconception:
            out.append((msg(self.lang, "notebook.mistake"), self.misconception))
        if self.hint:
            out.append(("", self.hint))
        return out

    def _after_verdict(self) -> str:
        if not self.answered:
            return f" ({msg(self.lang, 'notebook.not_answered_how')})"
        return f" ({msg(self.lang, 'notebook.score', score=f'{self.score:g}')}): {self.feedback}"

    def _head(self) -> str:
        who = f"{self.question}: " if self.question else ""
        return f"{who}{self.verdict_text()}{self._after_verdict()}"

    def __str__(self) -> str:
        return "\n".join([self._head()] + [f"{k}: {v}" if k else v for k, v in self.lines()])

    def __repr__(self) -> str:
        return "<" + " · ".join(str(self).split("\n")) + ">"

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.correct else ("#6e7781" if not self.answered
                                                 or not self.valid else "#cf222e")
        who = f"<code>{html.escape(self.question)}</code>: " if self.question else ""
        verdict = f'<b style="color:{colour}">{html.escape(self.verdict_text())}</b>'
        parts = [f"<p>{who}{verdict}{html.escape(self._after_verdict())}</p>"]
        for label, text in self.lines():
            label = f"{html.escape(label)}: " if label else ""
            parts.append(f"<p>{label}<code>{html.escape(text)}</code></p>" if label
                         else f"<p><i>{html.escape(text)}</i></p>")
        return '<div class="lstm-sym-check">' + "".join(parts) + "</div>"

    def _repr_markdown_(self) -> str:
        who = f"`{self.question}`: " if self.question else ""
        lines = [f"{who}**{self.verdict_text()}**{self._after_verdict()}"]
        lines += [f"{k}: `{v}`" if k else f"*{v}*" for k, v in self.lines()]
        return "\n\n".join(lines)


def _result(verdict: Verdict, **extra: Any) -> CheckResult:
    return CheckResult(**dataclasses.asdict(verdict), **extra)


def _answer_text(answer: Any) -> str:
    """A Python answer as text: numbers and lists as they print (``[0, 3, 7]``)."""
    if isinstance(answer, str):
        return answer
    if hasattr(answer, "tolist"):
        answer = answer.tolist()
    if isinstance(answer, tuple):
        answer = list(answer)
    return str(answer)


def _tolerance(tol: Any) -> dict | None:
    if tol is None or isinstance(tol, Mapping):
        return None if tol is None else dict(tol)
    from lstm_sym.cli.check import _tolerance as parse_tolerance

    return parse_tolerance(str(tol))


def find_question(key: Any, question: str, student: str | None = None) -> tuple[dict, str]:
    """A key's question by id, and the key's language. `key` is a key.json path, the
    folder of per-student keys (with `student`), or a key as a dict."""
    if isinstance(key, (str, Path)):
        from lstm_sym.cli.check import _find_question

        return _find_question(str(key), question, student)
    from lstm_sym.key import validate_key

    validate_key(key, "key")
    for q in key["questions"]:
        if q["id"] == question:
            return q, key["exercise"].get("lang", "en")
    ids = ", ".join(q["id"] for q in key["questions"][:8])
    raise UserError(f"question: no question {question!r} in the key (it has {ids}, …)")


def hint_text(question: Mapping[str, Any], number: int, lang: str) -> str | None:
    """Hint `number` (from 1) of a key question, labelled "hint 1 of 3"; None without hints.

    >>> hint_text({"hints": ["Look at the forget gate."]}, 1, "en")
    'hint 1 of 1: Look at the forget gate.'
    """
    hints = question.get("hints") or []
    if not hints or number < 1:
        return None
    number = min(number, len(hints))
    label = msg(lang, "notebook.hint", number=number, count=len(hints))
    return f"{label}: {hints[number - 1]}"


def check(question: str | None = None, answer: Any = UNANSWERED, *, key: Any = None,
          student: str | None = None, expected: str | None = None, kind: str | None = None,
          vars: Any = None, tol: Any = None, lang: str | None = None,
          hint: int | None = None) -> CheckResult:
    """Check one answer, as `lstm-sym check` does.

    Against a key: ``check(key="output/key.json", question="trace.t2.c", answer="7")``
    (`key` is a path, a folder of per-student keys with `student`, or a key as a
    dict). Against a value: ``check(expected="4*m*(n+m+1)", answer="4m^2+4mn+4m",
    vars="m,n")`` with `kind` and `tol` (``"rel=1e-3"`` or ``{"rel": 1e-3}``) as the
    command takes them. `hint=N` adds the key's hint N. The answer may be text, a
    number or a list; ``...`` is "not answered yet".

    >>> from lstm_sym.exercises import build_set
    >>> k = build_set().key()
    >>> check("trace.t2.c", "7", key=k).correct
    True
    >>> print(check("trace.t2.c", "3", key=k).misconception)
    previous_step
    >>> check(expected="4*m*(n+m+1)", answer="4m^2+4mn+4m", vars="m,n").correct
    True
    """
    if answer is UNANSWERED:
        return CheckResult(False, False, 0.0, "", question=question, lang=lang or "en",
                           answered=False)
    text = _answer_text(answer)
    from lstm_sym.checker import check_expected, check_question

    if (key is None) == (expected is None):
        raise UserError("key: give either key= with question=, or expected=")
    if key is not None:
        if question is None:
            raise UserError("question: needed with key=")
        if vars or tol or kind:
            raise UserError("vars/tol/kind: only with expected= (the key sets them)")
        q, key_lang = find_question(key, question, student)
        lang = lang or key_lang
        verdict = check_question(q, text, lang=lang)
        hint_line = hint_text(q, hint, lang) if hint else None
        return _result(verdict, question=question, answer=text, hint=hint_line, lang=lang)
    if question is not None or student is not None:
        raise UserError("question/student: only with key=")
    variables = [v.strip() for v in (vars.split(",") if isinstance(vars, str) else vars or ())
                 if v.strip()]
    kind = kind or ("expression" if variables else "number")
    verdict = check_expected(str(expected), text, kind=kind, variables=variables,
                             tolerance=_tolerance(tol), lang=lang or "en")
    return _result(verdict, answer=text, lang=lang or "en")


# --- practice notebooks -------------------------------------------------------------

class Practice:
    """The `check` of a practice notebook: bound to one key, it tracks wrong answers per
    question and gives the next hint after each.

    >>> from lstm_sym.exercises import build_set
    >>> check = Practice(build_set().key())
    >>> check("trace.t2.c", ...).answered, check("trace.t2.c", 7).correct
    (False, True)
    """

    def __init__(self, key: Mapping[str, Any], lang: str | None = None):
        from lstm_sym.key import validate_key

        self.key = validate_key(dict(key), "key")
        self.lang = lang or self.key["exercise"].get("lang", "en")
        self.wrong: dict[str, int] = {}

    @classmethod
    def load(cls, embedded: str | None = None, beside: str | Path = "key.json") -> Practice:
        """The key embedded in the notebook, else the key.json beside it."""
        if embedded:
            from lstm_sym.handouts.notebook import unpack_key

            return cls(unpack_key(embedded))
        from lstm_sym.key import read_key

        if not Path(beside).is_file():
            raise UserError(f"key: no key embedded and no {beside} beside the notebook")
        return cls(read_key(beside))

    def __call__(self, question: str, answer: Any = UNANSWERED) -> CheckResult:
        result = check(question, answer, key=self.key, lang=self.lang)
        if result.answered and result.valid and not result.correct:
            self.wrong[question] = self.wrong.get(question, 0) + 1
            q, _ = find_question(self.key, question)
            hint = hint_text(q, self.wrong[question], self.lang)
            if hint:
                result = dataclasses.replace(result, hint=hint)
        return result

    def __repr__(self) -> str:
        ex = self.key["exercise"]
        return f"<practice checker: {ex.get('title', '')} ({len(self.key['questions'])} questions)>"
