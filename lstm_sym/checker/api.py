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

from lstm_sym.checker.feedback import check_lang
from lstm_sym.checker.grade import Pending, grade
from lstm_sym.checker.question import CompiledQuestion, compile_question, fingerprint
from lstm_sym.checker.sandbox import shared_sandbox
from lstm_sym.checker.verdict import Verdict

_COMPILED_LIMIT = 512
_compiled: OrderedDict[str, CompiledQuestion] = OrderedDict()
_compiled_lock = threading.Lock()


def _compiled_question(question: Mapping[str, Any], key: str | None = None) -> CompiledQuestion:
    """Compile a question once per distinct content (a small LRU cache)."""
    key = fingerprint(question) if key is None else key
    with _compiled_lock:
        if key in _compiled:
            _compiled.move_to_end(key)
            return _compiled[key]
    compiled = compile_question(question)
    with _compiled_lock:
        _compiled[key] = compiled
        while len(_compiled) > _COMPILED_LIMIT:
            _compiled.popitem(last=False)
    return compiled


def _as_text(answer: object) -> str:
    return "" if answer is None else answer if isinstance(answer, str) else str(answer)


def check_question(question: Mapping[str, Any], answer: str, *, lang: str = "en") -> Verdict:
    """Check one answer to one key.json question (see docs/contracts.md).

    >>> q = {"id": "t", "kind": "number", "answer": "7", "exact": "6.99966",
    ...      "tolerance": {"abs": 0.01}, "reveal": False}
    >>> v = check_question(q, "6.9997")
    >>> v.correct, v.expected
    (True, None)
    """
    check_lang(lang)
    result = grade(_compiled_question(question), _as_text(answer), lang)
    if isinstance(result, Pending):
        return result.finish(shared_sandbox().run([result.call])[0])
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
    return check_question(question, answer, lang=lang)


def check_many(items: Sequence[tuple[Mapping[str, Any], str]], lang: str = "en") -> list[Verdict]:
    """Check many (question, answer) pairs; identical pairs are checked once.

    Questions are compiled once each, and the few answers that need SymPy are
    sent to the sandbox's workers together at the end.

    >>> q = {"id": "n", "kind": "integer", "answer": "40"}
    >>> [v.correct for v in check_many([(q, "4*10"), (q, "40.5"), (q, "4*10")])]
    [True, False, True]
    """
    check_lang(lang)
    verdicts: list[Verdict | None] = [None] * len(items)
    done: dict[tuple[str, str], Verdict] = {}
    waiting: dict[tuple[str, str], tuple[Pending, list[int]]] = {}
    keys_by_identity: dict[int, tuple[str, CompiledQuestion]] = {}
    for index, (question, answer) in enumerate(items):
        known = keys_by_identity.get(id(question))
        if known is None:
            key = fingerprint(question)
            known = keys_by_identity[id(question)] = (key, _compiled_question(question, key))
        key, compiled = known
        pair = (key, _as_text(answer))
        if pair in done:
            verdicts[index] = done[pair]
        elif pair in waiting:
            waiting[pair][1].append(index)
        else:
            result = grade(compiled, pair[1], lang)
            if isinstance(result, Pending):
                waiting[pair] = (result, [index])
            else:
                done[pair] = verdicts[index] = result
    if waiting:
        pending = list(waiting.values())
        outcomes = shared_sandbox().run([p.call for p, _ in pending])
        for (result, indices), outcome in zip(pending, outcomes):
            verdict = result.finish(outcome)
            for index in indices:
                verdicts[index] = verdict
    return verdicts  # type: ignore[return-value]  # every slot is filled above
