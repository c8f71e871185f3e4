"""Hints: every key question has one to three, in the sheet's language, and none gives the
answer (no accepted value appears outside the cell's own printed formulas)."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from lstm_sym.exercises import build_set
from lstm_sym.exercises.hints import equation_for, key_hints, question_hints, quoted_formulas
from lstm_sym.model.cells import build_cell

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e-?\d+)?(?![\w])")


def _values(text: str) -> set[Fraction]:
    """Every plain number in `text` (vector entries included)."""
    out = set()
    for token in NUMBER.findall(text):
        try:
            out.add(Fraction(token))
        except ValueError:
            pass
    return out


def _accepted(question: dict) -> set[Fraction]:
    texts = [question["answer"], question.get("exact") or "", *question.get("accept", [])]
    return {v for t in texts for v in _values(t)}


def _outside_formulas(hint: str, formulas: list[str]) -> str:
    for formula in sorted(formulas, key=len, reverse=True):
        for part in (formula, formula.partition(" = ")[2]):
            if part:
                hint = hint.replace(part, " ")
    return hint


KEYS = [("lecture", build_set().key("en")), ("lecture-zh", build_set().key("zh")),
        ("seed", build_set(seed=5).key("en")), ("seed-zh", build_set(seed=11).key("zh")),
        *((f"{cell}-{hidden}", build_set(seed=2, cell_options={"cell": cell}, hidden=hidden)
           .key("zh" if hidden == 2 else "en"))
          for cell in ("gru", "lstm", "rnn") for hidden in (1, 2))]


@pytest.mark.parametrize("name,key", KEYS, ids=[k for k, _ in KEYS])
def test_every_question_has_hints_that_do_not_give_the_answer(name, key):
    from lstm_sym.exercises.variant import make_model

    cell = make_model(key["exercise"]["cell"], key["exercise"]["weights"]).cell
    formulas = quoted_formulas(cell)
    for question in key["questions"]:
        hints = question["hints"]
        assert 1 <= len(hints) <= 3, question["id"]
        assert len(set(hints)) == len(hints), question["id"]
        for hint in hints:
            assert hint.strip()
            if key["exercise"]["lang"] == "zh":
                assert re.search(r"[\u4e00-\u9fff]", hint), (question["id"], hint)
            outside = _outside_formulas(hint, formulas)
            if question["kind"] == "choice":
                assert not re.search(rf"(?<!\w){re.escape(question['answer'])}(?!\w)", outside), \
                    (question["id"], hint)
            else:
                leaked = _values(outside) & _accepted(question)
                assert not leaked, (question["id"], hint, leaked)


def test_the_test_would_catch_a_leak():
    question = {"answer": "7", "exact": "6.9995", "accept": ["6.9995"]}
    assert _values("The memory holds 7 now.") & _accepted(question)
    assert not _values(_outside_formulas("Use σ(t) = 1/(1 + exp(-t)).", quoted_formulas(
        build_cell("lecture")))) & {Fraction(1)}


def test_hints_progress_from_rule_to_method_for_the_lecture_memory():
    cell = build_cell("lecture")
    hints = question_hints({"id": "trace.t3.c", "family": "trace", "kind": "number"}, cell, "en")
    assert "forget gate" in hints[0]
    assert "c′ = z·i + c·f" in hints[1]  # the equation, printed by the model's printer
    assert "step before" in hints[2]


@pytest.mark.parametrize("kind", ["gru", "rnn", "lstm"])
def test_every_equation_of_every_cell_gets_trace_hints(kind):
    cell = build_cell(kind)
    names = [eq.name for eq in cell.equations] + [st.name for st in cell.states]
    for name in names:
        assert equation_for(cell, name) is not None
        for lang in ("en", "zh"):
            hints = question_hints({"id": f"trace.t2.{name}", "family": "trace",
                                    "kind": "number"}, cell, lang)
            assert 2 <= len(hints) <= 3
            assert cell.equations  # the equation is quoted
            assert any(" = " in h for h in hints)


def test_unknown_questions_still_get_hints():
    hints = question_hints({"id": "newfamily.q", "family": "newfamily", "kind": "vector"},
                           build_cell("lecture"), "zh")
    assert hints and all(hints)


def test_key_hints_reads_them_back():
    key = build_set().key("en")
    hints = key_hints(key)
    assert set(hints) == {q["id"] for q in key["questions"]}
