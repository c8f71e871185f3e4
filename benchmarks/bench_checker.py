"""Grading a class: 300 students x 20 questions through check_many, against a naive baseline.

The answer mix imitates a real class: most students give one of a few right
spellings, many share the same misconception, some type other wrong values,
LaTeX, typos, empty answers, and a few paste hostile input. Three timings
come from the same run:

* ``check_many`` on all 6000 answers, starting with empty caches (target <= 5 s);
* the naive baseline: every answer checked on its own with nothing cached
  (the question is re-read for each answer, identical answers re-checked);
* the slowest single answer, timing each distinct (question, answer) alone.

Run: python benchmarks/bench_checker.py [--students 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lstm_sym.checker import api, check_many, check_question
from lstm_sym.checker.grade import Pending, grade
from lstm_sym.checker.question import compile_question
from lstm_sym.checker.sandbox import shared_sandbox

TARGET_SECONDS = 5.0

HOSTILE = [
    "__import__('os').system('touch /tmp/pwned')",
    "9**9**9**9",
    "exp(exp(exp(exp(100))))",
    "(" * 5000 + ")" * 5000,
    r"\input{/etc/passwd}",
    "x" * 1999,
    "lambda: 1",
]
GARBAGE = ["(", "7+", "sigma(", "2 3", "7,5", "abc", "?", "4m(n+m+1", "[0, 3", "))"]


def number(qid, answer, right, wrong, tolerance=None, exact=None, mis=()):
    question = {
        "id": qid,
        "kind": "number",
        "answer": answer,
        "exact": exact,
        "tolerance": tolerance or {"abs": 0.01, "rel": 0.0, "sigfigs": None},
        "misconceptions": [{"id": f"m{i}", "answer": a, "feedback": "A known slip."}
                           for i, a in enumerate(mis)],
    }  # fmt: skip
    return question, right, wrong


def questions():
    """(question, right spellings, wrong spellings) for 20 questions."""

    def mis(*answers: str) -> list[dict]:
        return [
            {"id": f"m{i}", "answer": a, "feedback": "A known slip."} for i, a in enumerate(answers)
        ]

    out = [
        number("t1.c", "7", ["7", "7.0", "6.9997", "7*1"], ["3", "10", "4"], exact="6.99966", mis=["3"]),
        number("t1.y", "7", ["7", "σ(90)*7", "7.00"], ["0", "3.5"], mis=["3.5"]),
        number("t2.c", "10", ["10", "10.0", "9.999"], ["7", "3", "17"], mis=["7"]),
        number("t2.i", "0.9997", ["0.9997", "0.99966", "1", "σ(8)"], ["0.5", "0"],
               tolerance={"abs": 0.001}),
        number("g.exact", "6.99765", ["6.99765", "7σ(8)", r"\frac{7}{1+e^{-8}}"], ["7", "6.9"],
               tolerance={"abs": 0, "rel": 1e-5, "sigfigs": None}, mis=["7"]),
        number("g.sig", "0.7310585786", ["0.731", "0.7311", "sigma(1)"], ["0.73", "0.5"],
               tolerance={"abs": 0, "rel": 0, "sigfigs": 3}),
    ]  # fmt: skip
    for qid, value, right, wrong in [
        ("c.lstm", "4*10*(5+10+1)", ["640", "4*160", "640.0"], ["600", "160", "64"]),
        ("c.gru", "3*10*(5+10+2)", ["510", "3*170"], ["480", "450"]),
        ("c.rnn", "10*(5+10+2)", ["170"], ["150", "160"]),
        ("c.proj", "1240", ["1240", "1240.0"], ["1200", "1000"]),
    ]:
        question = {"id": qid, "kind": "integer", "answer": value, "misconceptions": mis(wrong[0])}
        out.append((question, right, wrong))
    expressions = [
        ("e.count", "4*m*(n + m + 1)", ["m", "n"], ["4m(n+m+1)", "4*m*(m+n+1)", "4m^2+4mn+4m",
         r"4m\left(n+m+1\right)"], ["4m(n+m)", "m(n+m+1)", "4mn+4m^2"], ["4*m*(n + m)"]),
        ("e.gate", "7*sigma(100*x3 - 10)", ["x3"], ["7*sigma(100*x3-10)", "7σ(100x_3-10)",
         r"\frac{7}{1+e^{-(100x_3-10)}}", r"7\sigma\left(100x_{3}-10\right)"],
         ["7", "7σ(100x3)", "7*sigma(x3)"], ["7"]),
        ("e.grad", "sigma(z)*(1 - sigma(z))", ["z"], ["σ(z)(1-σ(z))", "sigma(z)-sigma(z)^2",
         r"\sigma(z)\left(1-\sigma(z)\right)", "exp(-z)/(1+exp(-z))^2"],
         ["sigma(z)", "1-sigma(z)", "sigma(z)^2"], ["sigma(z)^2"]),
        ("e.cell", "g(z)*sigma(z_i) + c*sigma(z_f)", ["z", "z_i", "z_f", "c"],
         ["g(z)σ(z_i) + cσ(z_f)", r"c\sigma(z_f)+g(z)\sigma(z_{i})", "g(z)*sigma(z_i)+c*sigma(z_f)"],
         ["g(z)+c", "g(z)σ(z_i)", "cσ(z_f)"], ["g(z) + c"]),
    ]  # fmt: skip
    for qid, answer, variables, right, wrong, misconceptions in expressions:
        question = {"id": qid, "kind": "expression", "answer": answer, "variables": variables,
                    "misconceptions": mis(*misconceptions)}  # fmt: skip
        out.append((question, right, wrong))
    for qid, answer, right, wrong in [
        ("v.c", "[0, 3, 3, 7]", ["[0, 3, 3, 7]", "0 3 3 7", "0,3,3,7", "(0, 3, 3, 7)"],
         ["[0, 3, 3]", "[3, 3, 7, 0]", "[0, 3, 4, 7]"]),
        ("v.y", "[0, 1, 3, 7]", ["[0, 1, 3, 7]", "0 1 3 7"], ["[0, 1, 3]", "[1, 3, 7, 0]"]),
        ("v.h", "[0.5, 0.73, 0.88]", ["[0.5, 0.73, 0.88]", "[σ(0), σ(1), σ(2)]", "0.5 0.731 0.881"],
         ["[0.5, 0.5, 0.5]", "[1, 1, 1]"]),
    ]:  # fmt: skip
        question = {"id": qid, "kind": "vector", "answer": answer, "tolerance": {"abs": 0.01},
                    "misconceptions": mis(wrong[1])}  # fmt: skip
        out.append((question, right, wrong))
    gates = ["input gate", "forget gate", "output gate", "cell input"]
    for qid, answer in [("ch.1", "forget gate"), ("ch.2", "output gate"), ("ch.3", "cell input")]:
        question = {"id": qid, "kind": "choice", "answer": answer, "choices": gates,
                    "misconceptions": mis("input gate")}  # fmt: skip
        right = [answer, answer.title(), "abcd"[gates.index(answer)]]
        out.append((question, right, [g for g in gates if g != answer]))
    return out


def class_answers(students: int, seed: int) -> list[tuple[dict, str]]:
    """One answer per student and question, drawn from a realistic mix."""
    rng = random.Random(seed)
    items = []
    table = questions()
    for _ in range(students):
        for question, right, wrong in table:
            roll = rng.random()
            if roll < 0.55:
                answer = right[0] if rng.random() < 0.6 else rng.choice(right)
            elif roll < 0.80:
                answer = rng.choice(wrong)
            elif roll < 0.88 and question["kind"] in ("number", "integer"):
                answer = f"{rng.uniform(-20, 20):.3f}"  # a value nobody else typed
            elif roll < 0.94:
                answer = rng.choice(GARBAGE)
            elif roll < 0.97:
                answer = rng.choice(["", " "])
            else:
                answer = rng.choice(HOSTILE)
            items.append((question, answer))
    return items


def without_duplicates(items: list[tuple[dict, str]], seed: int) -> list[tuple[dict, str]]:
    """The same class, but every answer spelled differently (caching cannot help)."""
    rng = random.Random(seed)
    out = []
    for n, (question, answer) in enumerate(items):
        kind = question["kind"]
        if kind in ("number", "integer") or not answer.strip():
            answer = f"{rng.uniform(-50, 50):.9f}"
        elif kind == "expression":
            answer = f"{answer} + 0*{n}" if rng.random() < 0.5 else f"({answer})*{1 + n / 1e6}"
        else:  # vectors and choices: same content, different surrounding spaces
            answer = " " * (n // 50 % 50) + answer + " " * (n % 50)
        out.append((question, answer))
    return out


def clear_caches() -> None:
    api._compiled.clear()


def naive(items: list[tuple[dict, str]]) -> list:
    """Baseline: every answer on its own, nothing cached, SymPy calls one by one."""
    verdicts = []
    for question, answer in items:
        result = grade(compile_question(question), answer)
        if isinstance(result, Pending):
            result = result.finish(shared_sandbox().run([result.call])[0])
        verdicts.append(result)
    return verdicts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    items = class_answers(args.students, args.seed)
    distinct = len({(q["id"], a) for q, a in items})
    kinds = sorted({q["kind"] for q, _ in items})
    print(f"{len(items)} answers ({args.students} students x {len(items) // args.students}"
          f" questions; kinds: {', '.join(kinds)}), {distinct} distinct pairs")  # fmt: skip

    clear_caches()
    start = time.perf_counter()
    fast = check_many(items)
    total = time.perf_counter() - start

    start = time.perf_counter()
    slow = naive(items)
    baseline = time.perf_counter() - start
    assert fast == slow, "check_many disagrees with the one-by-one baseline"

    unique = without_duplicates(items, args.seed)
    clear_caches()
    start = time.perf_counter()
    check_many(unique)
    no_duplicates = time.perf_counter() - start
    unique_count = len({(q["id"], a) for q, a in unique})

    worst, worst_pair = 0.0, None
    for question, answer in {(id(q), a): (q, a) for q, a in items}.values():
        start = time.perf_counter()
        check_question(question, answer)
        elapsed = time.perf_counter() - start
        if elapsed > worst:
            worst, worst_pair = elapsed, (question["id"], answer)

    correct = sum(v.correct for v in fast)
    invalid = sum(not v.valid for v in fast)
    print(f"verdicts: {correct} correct, {len(fast) - correct - invalid} wrong, {invalid} invalid")
    print(
        f"check_many : {total:7.3f} s total, {total / len(items) * 1e3:7.3f} ms/answer"
        f"  (target <= {TARGET_SECONDS:.0f} s: {'PASS' if total <= TARGET_SECONDS else 'FAIL'})"
    )
    print(
        f"baseline   : {baseline:7.3f} s total, {baseline / len(items) * 1e3:7.3f} ms/answer"
        f"  (no caches; check_many is {baseline / total:.1f}x faster)"
    )
    print(f"no repeats : {no_duplicates:7.3f} s total, {no_duplicates / len(unique) * 1e3:7.3f}"
          f" ms/answer  ({unique_count} distinct pairs: what caching saves)")  # fmt: skip
    shown = worst_pair[1] if len(worst_pair[1]) <= 40 else worst_pair[1][:37] + "..."
    print(f"worst single answer: {worst * 1e3:.1f} ms ({worst_pair[0]}: {shown!r})")
    return 0 if total <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
