"""Student answers are hostile: nothing may execute, touch a file, hang or crash.

Covers the attack corpus against every question kind, the sandbox's killing
of a worker stuck in C code, the source never calling an evaluator on text,
and Hypothesis fuzzing of the parser.
"""

from __future__ import annotations

import builtins
import operator
import os
import re
import time
from fractions import Fraction
from pathlib import Path

import mpmath
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lstm_sym import checker
from lstm_sym.checker import Verdict, api, check_expected, check_many, check_question, grade
from lstm_sym.checker.numeric import TooComplex, Undefined, evaluate, to_real
from lstm_sym.checker.parse import Names, ParseError, parse_answer
from lstm_sym.checker.sandbox import Sandbox

TIME_LIMIT = 2.0
PWNED = Path("/tmp/pwned")

CORPUS = [
    "__import__('os').system('touch /tmp/pwned')",
    "().__class__.__bases__",
    "().__class__.__bases__[0].__subclasses__()",
    "lambda: 1",
    "eval('1')",
    "exec('x')",
    "open('/etc/passwd')",
    "__builtins__",
    "getattr(x,'y')",
    "Symbol('x')",
    "sympify('x')",
    "9**9**9**9",
    "10^10^10^10",
    "factorial(10**8)",
    "exp(exp(exp(exp(100))))",
    "x^(9^9^9)",
    "(x+1)^(10^10)",
    "2^(2^(2^(2^(2^9))))",
    "1.5^(2^(2^16))",  # mpmath's own power would square 65536 times
    "(-1.5)^(2^(2^18))",
    "1.0000001^(10^300)",
    "(" * 10_000 + "1" + ")" * 10_000,
    "(" * 99 + "x" + ")" * 99,
    "-" * 1999 + "1",
    "1" * 40_000,
    "x" * 1999,
    "9" * 100 + "^" + "9" * 100,
    r"\input{/etc/passwd}",
    r"\write18{rm -rf /}",
    r"\def\x{1}\x",
    r"\catcode`\^=12",
    "$(touch /tmp/pwned)",
    "`touch /tmp/pwned`",
    "x; import os",
    "\x00\x01\x02",
    "\u202e1+1",
    "",
    "   \n\t ",
    "sigma(" * 60 + "x" + ")" * 60,
    "1/0",
    "0^-1",
    "ln(0)",
    "sqrt(-1-x^2)",
]

QUESTIONS = [
    {"id": "n", "kind": "number", "answer": "7", "tolerance": {"abs": 0.01}},
    {"id": "i", "kind": "integer", "answer": "40"},
    {"id": "e", "kind": "expression", "answer": "7*sigma(100*x - 10)", "variables": ["x"]},
    {"id": "v", "kind": "vector", "answer": "[0, 3, 3, 7]"},
    {"id": "c", "kind": "choice", "answer": "yes", "choices": ["yes", "no"]},
]


def _forbidden(*args, **kwargs):
    raise AssertionError("an evaluator was called on answer text")


@pytest.fixture
def no_evaluators(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every text evaluator explode while the checker runs in-process."""
    monkeypatch.setattr(builtins, "eval", _forbidden)
    monkeypatch.setattr(builtins, "exec", _forbidden)
    monkeypatch.setattr(builtins, "compile", _forbidden)
    monkeypatch.setattr(sympy, "sympify", _forbidden)
    monkeypatch.setattr(sympy, "parse_expr", _forbidden, raising=False)
    monkeypatch.setattr(sympy, "lambdify", _forbidden)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", _forbidden)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q["kind"])
def test_attack_corpus(question: dict, no_evaluators: None) -> None:
    before = PWNED.stat().st_mtime_ns if PWNED.exists() else None
    for answer in CORPUS:
        start = time.perf_counter()
        verdict = check_question(question, answer)
        elapsed = time.perf_counter() - start
        assert isinstance(verdict, Verdict)
        assert not verdict.correct, answer[:60]
        assert elapsed < TIME_LIMIT, (answer[:60], elapsed)
        assert len(verdict.feedback) < 400 and "Traceback" not in verdict.feedback
    after = PWNED.stat().st_mtime_ns if PWNED.exists() else None
    assert after == before, "an answer touched /tmp/pwned"


def test_attack_corpus_in_a_batch_and_in_chinese(no_evaluators: None) -> None:
    items = [(q, a) for q in QUESTIONS for a in CORPUS]
    start = time.perf_counter()
    verdicts = check_many(items, lang="zh")
    assert time.perf_counter() - start < TIME_LIMIT * 2
    assert all(isinstance(v, Verdict) and not v.correct for v in verdicts)


def test_hostile_answers_get_specific_sentences() -> None:
    question = QUESTIONS[0]
    assert "too complex" in check_question(question, "9**9**9**9").feedback
    assert "too long" in check_question(question, "1" * 40_000).feedback
    assert "Unknown name '__import__'" not in check_question(question, CORPUS[0]).feedback
    assert "Unexpected character '_' at position 1" in check_question(question, CORPUS[0]).feedback
    assert (
        "Unknown LaTeX command '\\input'"
        in check_question(question, r"\input{/etc/passwd}").feedback
    )


def test_checker_source_never_evaluates_text() -> None:
    pattern = re.compile(r"\b(eval|exec|sympify|parse_expr|lambdify|parse_latex|__import__)\s*\(")
    package = Path(checker.__file__).parent
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(package.glob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


# -- the sandbox ---------------------------------------------------------------


def test_sandbox_kills_a_worker_stuck_in_c_code() -> None:
    with Sandbox(workers=1, timeout=0.5) as box:
        start = time.perf_counter()
        # 9**(9**9) is one uninterruptible C-level big-integer power (minutes of work).
        outcomes = box.run([(pow, (9, 9**9)), (operator.add, (2, 3))])
        assert time.perf_counter() - start < 3
        assert [o.status for o in outcomes] == ["timeout", "ok"]
        assert outcomes[1].value == 5
        assert box.run([(operator.mul, (6, 7))])[0].value == 42  # a fresh worker took over


def test_sandbox_reports_errors_without_dying() -> None:
    with Sandbox(workers=2) as box:
        outcomes = box.run([(operator.truediv, (1, 0)), (operator.add, (1, 1))])
        assert outcomes[0].status == "error" and "ZeroDivisionError" in outcomes[0].value
        assert outcomes[1].value == 2


def _hang(*args: object) -> bool:
    time.sleep(60)
    return True


def test_a_hanging_symbolic_step_becomes_too_complex(monkeypatch: pytest.MonkeyPatch) -> None:
    # sqrt(-x^2 - 1) has no real value at any sample point of any domain, so the
    # numeric test cannot decide and the answer goes to SymPy in the sandbox.
    box = Sandbox(workers=1, timeout=0.3)
    monkeypatch.setattr(api, "shared_sandbox", lambda: box)
    monkeypatch.setattr(grade, "simplifies_to_zero", _hang)
    start = time.perf_counter()
    verdict = check_expected("sqrt(-x^2 - 1)", "sqrt(-x^2-1) + 0*x", variables=["x"])
    assert time.perf_counter() - start < TIME_LIMIT
    assert (verdict.valid, verdict.correct) == (False, False)
    assert "too complex" in verdict.feedback
    box.close()


def test_sympy_decides_when_numbers_cannot() -> None:
    assert check_expected("sqrt(-x^2 - 1)", "(-x^2-1)^(1/2)", variables=["x"]).correct
    # Where the key is real only far from the default points, wider points decide.
    assert check_expected("sqrt(x - 20)", "(x-20)^(1/2)", variables=["x"]).correct
    assert check_expected("sqrt(x - 20)", "sqrt(x - 20)*(x^2+1)/(x^2+1)", variables=["x"]).correct
    wrong = check_expected("sqrt(x - 20)", "sqrt(x - 20) + 1", variables=["x"])
    assert wrong.valid and not wrong.correct


# -- fuzzing -------------------------------------------------------------------

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXPRESSION = QUESTIONS[2]
SNIPPETS = [
    "x", "1", "2.5", "e", "1e-3", "+", "-", "−", "*", "/", "^", "**", "(", ")", "[", "]",
    "{", "}", ",", " ", "σ", "sigma", "exp", "tanh", "ln", "sqrt", "abs", "\\frac", "\\left(",
    "\\right)", "\\cdot", "\\sigma", "_", "_{3}", "'", "²", "√", "$", "\\", "9^9^9", "0",
]  # fmt: skip


@FUZZ
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    start = time.perf_counter()
    assert isinstance(check_question(EXPRESSION, text), Verdict)
    assert time.perf_counter() - start < TIME_LIMIT


@FUZZ
@given(st.lists(st.sampled_from(SNIPPETS), max_size=40).map("".join))
def test_random_math_like_text_never_raises(text: str) -> None:
    for question in QUESTIONS[:3]:
        start = time.perf_counter()
        assert isinstance(check_question(question, text), Verdict)
        assert time.perf_counter() - start < TIME_LIMIT


# References are computed with mpmath at 60 digits, independently of the checker.
with mpmath.workdps(60):
    X, Y = mpmath.mpf(7) / 10, mpmath.mpf(-13) / 10


def _hp(function):
    def at_60_digits(*args):
        with mpmath.workdps(60):
            return function(*args)

    return at_60_digits


def _leaf():
    numbers = st.integers(0, 20).map(lambda k: (str(k), str(k), mpmath.mpf(k)))
    variables = st.sampled_from([("x", "x", X), ("y", "y", Y)])
    return numbers | variables


def _combine(children):
    def binary(pair, op):
        (pa, la, va), (pb, lb, vb) = pair
        if op == "/":
            value = None if va is None or vb is None or vb == 0 else va / vb
            return (f"({pa})/({pb})", f"\\frac{{{la}}}{{{lb}}}", value)
        value = None if va is None or vb is None else {"+": va + vb, "-": va - vb, "*": va * vb}[op]
        latex_op = "\\cdot" if op == "*" else op
        return (f"({pa}){op}({pb})", f"\\left({la}\\right){latex_op}\\left({lb}\\right)", value)

    def power(child, k):
        p, latex, v = child
        return (f"({p})^{k}", f"\\left({latex}\\right)^{{{k}}}", None if v is None else v**k)

    def function(child, name):
        p, latex, v = child
        funcs = {"sigma": lambda t: 1 / (1 + mpmath.exp(-t)), "tanh": mpmath.tanh,
                 "exp": mpmath.exp, "abs": abs}  # fmt: skip
        latex_name = {"sigma": "\\sigma", "tanh": "\\tanh", "exp": "\\exp", "abs": "abs"}[name]
        value = None if v is None or (name == "exp" and abs(v) > 50) else funcs[name](v)
        return (f"{name}({p})", f"{latex_name}\\left({latex}\\right)", value)

    ops = st.sampled_from(["+", "-", "*", "/"])
    binary, power, function = _hp(binary), _hp(power), _hp(function)
    return (
        st.tuples(st.tuples(children, children), ops).map(lambda a: binary(*a))
        | st.tuples(children, st.integers(0, 3)).map(lambda a: power(*a))
        | st.tuples(children, st.sampled_from(["sigma", "tanh", "exp", "abs"])).map(
            lambda a: function(*a)
        )
    )


EXPRESSIONS = st.recursive(_leaf(), _combine, max_leaves=12)
XY = Names.declare(["x", "y"])


@FUZZ
@given(EXPRESSIONS)
def test_well_formed_expressions_read_as_written(case: tuple) -> None:
    plain, latex, reference = case
    assume(reference is not None and abs(reference) < mpmath.mpf(10) ** 100)
    env = {"x": to_real(Fraction(7, 10)), "y": to_real(Fraction(-13, 10))}
    for text in (plain, latex):
        try:
            value = evaluate(parse_answer(text, XY), env)
        except (Undefined, TooComplex):
            continue  # guarded overflow: only for huge intermediate values
        with mpmath.workdps(60):
            assert abs(value - reference) <= mpmath.mpf(10) ** -20 * max(1, abs(reference)), text
    assert check_expected(plain, plain, variables=["x", "y"]).correct


def test_parse_error_params_are_plain_data() -> None:
    # Positions and names are ints and short strings, safe to put in a sentence.
    with pytest.raises(ParseError) as info:
        parse_answer("x" * 1999, Names.declare(["y"]))
    assert len(str(info.value.params["name"])) <= 31
    assert os.path.exists("/etc/passwd")  # the corpus did not remove anything either


def test_numeric_comparison_stops_at_the_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    from lstm_sym.checker import limits

    monkeypatch.setattr(limits, "IN_PROCESS_BUDGET", -1.0)  # already spent
    verdict = check_question(EXPRESSION, "7/(1 + exp(10 - 100x))")
    assert (verdict.valid, verdict.correct) == (False, False)
    assert "too complex" in verdict.feedback
