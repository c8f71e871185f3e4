"""Check a student's answer: against a key.json question, or against an expected value.

Answers are read by a whitelist parser (never eval): plain math such as 7, 3/4,
−10, 4m(n+m+1), σ(90)·7, or LaTeX such as \\frac{7}{1+e^{-(100x_3-10)}}.
Exit 0 whenever a verdict was reached (right, wrong or unreadable).

Examples:
  lstm-sym check --key output/key.json --question trace.t2.c --answer 7
  lstm-sym check --expected "4*m*(n+m+1)" --vars m,n --answer "4m^2+4mn+4m"
  lstm-sym check --expected 0.75 --kind number --tol rel=0.01 --answer 3/4 --format json
"""

from __future__ import annotations

import argparse
import json

from lstm_sym.errors import UserError
from lstm_sym.key import KINDS

HELP = "check an answer (number, expression, vector, choice) and name the mistake"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    src = parser.add_argument_group("what to check against (one of)")
    src.add_argument("--key", metavar="FILE|DIR",
                     help="a key.json written by 'lstm-sym worksheet', or the folder of "
                     "per-student keys that 'worksheet --students' writes (with --student)")
    src.add_argument("--question", metavar="ID", help="with --key: the question id")
    src.add_argument("--student", metavar="ID", help="with a folder of keys: whose key")
    src.add_argument("--expected", metavar="EXPR", help="the expected answer, given directly")
    parser.add_argument("--answer", required=True, metavar="TEXT", help="the student's answer")
    parser.add_argument("--kind", choices=KINDS, default=None,
                        help="with --expected: what kind of answer (default expression, or "
                        "number when EXPR has no variables)")
    parser.add_argument("--vars", default="", metavar="A,B",
                        help="with --expected: variables the answer may use, e.g. x1,x2,x3")
    parser.add_argument("--tol", default=None, metavar="SPEC",
                        help="with --expected: tolerance, e.g. abs=0.01, rel=1e-3, sigfigs=3 "
                        "(comma-separated)")
    parser.add_argument("--lang", choices=("en", "zh"), default=None,
                        help="feedback language (default: the key's, else en)")
    parser.add_argument("--format", choices=("text", "json"), default="text")


def _tolerance(spec: str | None) -> dict | None:
    if spec is None:
        return None
    out: dict = {}
    for part in spec.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in ("abs", "rel", "sigfigs") or not value:
            raise UserError(f"--tol: expected abs=…, rel=… or sigfigs=…, got {part!r}")
        try:
            out[name] = int(value) if name == "sigfigs" else float(value)
        except ValueError:
            raise UserError(f"--tol: {name} needs a number, got {value!r}") from None
        if out[name] < 0 or (name == "sigfigs" and out[name] == 0):
            raise UserError(f"--tol: {name} must be positive, got {value!r}")
    return out


def _find_question(path: str, qid: str, student: str | None) -> tuple[dict, str]:
    """The question `qid` of the key at `path` (a file, or a folder and a student id),
    with the key's language."""
    from lstm_sym.classroom.grading import load_keys

    keys = load_keys(path)
    if keys.per_student:
        if not student:
            raise UserError(f"--student: {path} holds per-student keys; say whose")
        key = keys.lookup(student)
        if key is None:
            raise UserError(f"--student: no key for {student!r} under {path}")
    else:
        if student and (keys.shared.get("student") or {}).get("id", student) != student:
            raise UserError(f"--student: {path} is {keys.shared['student']['id']}'s key")
        key = keys.shared
    for question in key["questions"]:
        if question["id"] == qid:
            return question, keys.language()
    ids = ", ".join(q["id"] for q in key["questions"][:8])
    raise UserError(f"--question: no question {qid!r} in {path} (it has {ids}, …)")


def run(args: argparse.Namespace) -> int:
    from lstm_sym.checker import check_expected, check_question

    if bool(args.key) == bool(args.expected):
        raise UserError("--key: give either --key with --question, or --expected")
    if args.key:
        if not args.question:
            raise UserError("--question: needed with --key")
        if args.vars or args.tol or args.kind:
            raise UserError("--vars/--tol/--kind: only with --expected (the key sets them)")
        question, key_lang = _find_question(args.key, args.question, args.student)
        verdict = check_question(question, args.answer, lang=args.lang or key_lang)
    else:
        if args.question or args.student:
            raise UserError("--question/--student: only with --key")
        variables = [v.strip() for v in args.vars.split(",") if v.strip()]
        kind = args.kind or ("expression" if variables else "number")
        verdict = check_expected(args.expected, args.answer, kind=kind, variables=variables,
                                 tolerance=_tolerance(args.tol), lang=args.lang or "en")
    if args.format == "json":
        print(json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2))
    else:
        mark = ("✓ correct" if verdict.correct else "✗ wrong") if verdict.valid else \
            "? cannot read"
        print(f"{mark} (score {verdict.score:g}): {verdict.feedback}")
        if verdict.parsed:
            print(f"read as: {verdict.parsed}")
        if verdict.misconception:
            print(f"mistake: {verdict.misconception}")
    return 0
