"""The checker's public functions: one answer, a direct comparison, a batch.

>>> q = {"id": "q", "kind": "expression", "answer": "4*m*(m + n + 1)",
...      "variables": ["m", "n"], "reveal": False}
>>> check_question(q, "4m(n+m+1)").correct
True
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lstm_sym.checker.carry import Carried
from lstm_sym.checker.feedback import check_lang, message
from lstm_sym.checker.grade import Pending, grade
from lstm_sym.checker.question import CompiledQuestion, compile_question, fingerprint
from lstm_sym.checker.sandbox import Outcome, shared_sandbox
from lstm_sym.checker.verdict import Verdict

_COMPILED_LIMIT = 512
_compiled: OrderedDict[str, CompiledQuestion] = OrderedDict()
_compiled_lock = threading.Lock()


def _compiled_question(question: Mapping[str, Any], key: str | None = None,
                       where: str | None = None) -> CompiledQuestion:
    """Compile a question once per distinct content (a small LRU cache)."""
    key = fingerprint(question) if key is None else key
    with _compiled_lock:
        if key in _compiled:
            _compiled.move_to_end(key)
            return _compiled[key]
    compiled = compile_question(question, where)
    with _compiled_lock:
        _compiled[key] = compiled
        while len(_compiled) > _COMPILED_LIMIT:
            _compiled.popitem(last=False)
    return compiled


def clean_text(text: str) -> str:
    """`text` as valid Unicode: bytes that were not UTF-8 (which Python keeps as lone
    surrogates when it reads argv or a file leniently) become U+FFFD.

    >>> clean_text("7" + chr(0xDCFF))
    '7\ufffd'
    """
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def _as_text(answer: object) -> str:
    text = "" if answer is None else answer if isinstance(answer, str) else str(answer)
    return text if text.isascii() else clean_text(text)


def _failed(exc: BaseException, lang: str) -> Verdict:
    """The verdict for an answer whose check raised something unexpected (our bug): it is
    unreadable, with a reason, and the rest of the class is still graded."""
    return Verdict(False, False, 0.0, message("internal_error", lang, error=type(exc).__name__))


def _grade_safely(compiled: CompiledQuestion, text: str, lang: str,
                  carried: Carried | None = None) -> Verdict | Pending:
    try:
        return grade(compiled, text, lang, carried) if carried else grade(compiled, text, lang)
    except Exception as exc:  # noqa: BLE001 - isolate one answer from the others
        return _failed(exc, lang)


def _finish_safely(pending: Pending, outcome: Outcome, lang: str) -> Verdict:
    try:
        return pending.finish(outcome)
    except Exception as exc:  # noqa: BLE001 - as above
        return _failed(exc, lang)


def check_question(question: Mapping[str, Any], answer: str, *, lang: str = "en",
                   where: str | None = None, carried: Carried | None = None) -> Verdict:
    """Check one answer to one key.json question (see docs/contracts.md).

    >>> q = {"id": "t", "kind": "number", "answer": "7", "exact": "6.99966",
    ...      "tolerance": {"abs": 0.01}, "reveal": False}
    >>> v = check_question(q, "6.9997")
    >>> v.correct, v.expected
    (True, None)
    """
    check_lang(lang)
    compiled = _compiled_question(question, where=where)
    result = _grade_safely(compiled, _as_text(answer), lang, carried)
    if isinstance(result, Pending):
        return _finish_safely(result, shared_sandbox().run([result.call])[0], lang)
    return result


def check_expected(
    expected: str,
    answer: str,
    *,
    kind: str = "expression",
    variables: Iterable[str] = (),
    tolerance: Mapping[str, object] | None = None,
    lang: str = "en",
) -> Verdict:
    """Compare an answer with an expected value given directly (the CLI form).

    Variables the expected expression uses are allowed even if not listed, and
    the expected value is revealed (the caller typed it).

    >>> check_expected(r"7*sigma(100*x3 - 10)", r"\\frac{7}{1+e^{-(100x_3-10)}}").correct
    True
    """
    question = {
        "id": "expected",
        "kind": kind,
        "answer": expected,
        "variables": list(variables),
        "tolerance": tolerance,
        "choices": None,
        "reveal": True,
        "misconceptions": [],
    }
    return check_question(question, answer, lang=lang, where="expected")


def check_many(items: Sequence[tuple], lang: str = "en") -> list[Verdict]:
    """Check many (question, answer) pairs, or (question, answer, carried) triples with
    the :class:`~lstm_sym.checker.carry.Carried` values of error carried forward;
    identical items are checked once.

    Questions are compiled once each, and the few answers that need SymPy are
    sent to the sandbox's workers together at the end.

    >>> q = {"id": "n", "kind": "integer", "answer": "40"}
    >>> [v.correct for v in check_many([(q, "4*10"), (q, "40.5"), (q, "4*10")])]
    [True, False, True]
    """
    check_lang(lang)
    verdicts: list[Verdict | None] = [None] * len(items)
    done: dict[tuple, Verdict] = {}
    waiting: dict[tuple, tuple[Pending, list[int]]] = {}
    keys_by_identity: dict[int, tuple[str, CompiledQuestion]] = {}
    for index, (question, answer, *rest) in enumerate(items):
        carried = rest[0] if rest else None
        known = keys_by_identity.get(id(question))
        if known is None:
            key = fingerprint(question)
            known = keys_by_identity[id(question)] = (key, _compiled_question(question, key))
        key, compiled = known
        pair = (key, _as_text(answer), carried)
        if pair in done:
            verdicts[index] = done[pair]
        elif pair in waiting:
            waiting[pair][1].append(index)
        else:
            result = _grade_safely(compiled, pair[1], lang, carried)
            if isinstance(result, Pending):
                waiting[pair] = (result, [index])
            else:
                done[pair] = verdicts[index] = result
    if waiting:
        pending = list(waiting.values())
        outcomes = shared_sandbox().run([p.call for p, _ in pending])
        for (result, indices), outcome in zip(pending, outcomes):
            verdict = _finish_safely(result, outcome, lang)
            for index in indices:
                verdicts[index] = verdict
    return verdicts  # type: ignore[return-value]  # every slot is filled above
