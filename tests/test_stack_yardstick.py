"""A public yardstick: STACK's own answer-test fixtures (tabulated with their source in
tests/reference/stack_answertests.json). Every case within our scope either gets STACK's
verdict or is listed, with its reason, in docs/stack-yardstick.md: the test fails if a
listed case starts agreeing or an unlisted one disagrees."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lstm_sym.checker import check_expected
from lstm_sym.checker.equivalence import written_sigfigs
from lstm_sym.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
DATA = json.loads((ROOT / "tests/reference/stack_answertests.json").read_text(encoding="utf-8"))
CASES = DATA["cases"]
IDENTIFIER = re.compile(r"%?[A-Za-z_][A-Za-z0-9_]*")
NOT_VARIABLES = {"exp", "ln", "log", "sqrt", "%e", "%pi", "pi"}
# STACK's defaults for NumRelative and NumAbsolute without an option.
DEFAULT_TOLERANCE = 0.05


def maxima_to_ours(text: str) -> str:
    """Maxima spells Euler's number and π with a percent sign."""
    return text.replace("%e", "e").replace("%pi", "pi")


def _variables(*texts: str) -> list[str]:
    return sorted({m.group(0) for t in texts for m in IDENTIFIER.finditer(t)} - NOT_VARIABLES)


def our_verdict(case: dict) -> str:
    """What our checker says, in STACK's terms: same, different or error."""
    test, option, student, teacher = (case[k] for k in ("test", "option", "student", "teacher"))
    if test == "SigFigsStrict":
        # Figures written, trailing zeros of a whole number not counted (STACK's strict
        # count; our sigfigs_strict accepts the whole range, as NumSigFigs does).
        if int(option) < 1:
            return "error"
        shown = written_sigfigs(student)
        return "same" if shown is not None and shown[0] == int(option) else "different"
    if test == "AlgEquiv":
        options = {"variables": _variables(student, teacher)}
    elif test == "NumRelative":
        options = {"kind": "number", "tolerance": {"rel": float(option or DEFAULT_TOLERANCE)}}
    elif test == "NumAbsolute":
        options = {"kind": "number", "tolerance": {"abs": float(option or DEFAULT_TOLERANCE)}}
    else:  # NumSigFigs: the value to N figures and written with N figures
        options = {"kind": "number",
                   "tolerance": {"sigfigs": int(option), "sigfigs_strict": True}}
    try:
        verdict = check_expected(maxima_to_ours(teacher), maxima_to_ours(student), **options)
    except UserError:  # the teacher's expression is refused
        return "error"
    if not verdict.valid:
        return "error"
    return "same" if verdict.correct else "different"


def listed_differences() -> dict[int, str]:
    """Case number -> reason, from the table in docs/stack-yardstick.md."""
    text = (ROOT / "docs/stack-yardstick.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| .*? \| .*? \| (\w+) \| (\w+) \| (.+?) \|$", text, re.M)
    return {int(n): (stack, ours, reason) for n, stack, ours, reason in rows}


def test_the_table_cites_its_source():
    source = DATA["source"]
    assert source["repository"] == "https://github.com/maths/moodle-qtype_stack"
    assert source["path"] == "tests/fixtures/answertestfixtures.class.php"
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
    tests = {c["test"] for c in CASES}
    assert tests == {"AlgEquiv", "NumRelative", "NumAbsolute", "NumSigFigs", "SigFigsStrict"}
    assert [c["n"] for c in CASES] == list(range(1, len(CASES) + 1))


@pytest.mark.parametrize("case", CASES, ids=[f"{c['n']}-{c['test']}" for c in CASES])
def test_each_case_agrees_with_stack_or_is_listed(case):
    listed = listed_differences()
    ours = our_verdict(case)
    if case["n"] in listed:
        stack, documented, _ = listed[case["n"]]
        assert (case["stack"], ours) == (stack, documented), "a listed difference changed"
        assert ours != case["stack"]
    else:
        assert ours == case["stack"], (case, ours)


def test_the_figures_in_the_docs_are_current():
    text = (ROOT / "docs/stack-yardstick.md").read_text(encoding="utf-8")
    listed = len(listed_differences())
    assert f"{len(CASES)} cases" in text
    assert f"agree on {len(CASES) - listed}" in text and f"{listed} are listed" in text
