"""Check a student's answer: against a key.json question, or against an expected value.

Answers are read by a whitelist parser (never eval): plain math such as 7, 3/4,
−10, 4m(n+m+1), σ(90)·7, or LaTeX such as \\frac{7}{1+e^{-(100x_3-10)}}.
Exit 0 whenever a verdict was reached (right, wrong or unreadable).

With --key, --hint N shows the question's N-th hint (from 1; the first points to the rule,
the last nearly gives the method), and --given QID=VALUE (repeatable) gives your earlier
answers: a trace or memory answer that follows correctly from them counts as right
("error carried forward"), as 'lstm-sym grade' does for a whole class.

Examples:
  lstm-sym check --key output/key.json --question trace.t2.c --answer 7
  lstm-sym check --key output/key.json --question trace.t3.c --answer 8 --given trace.t2.c=8
  lstm-sym check --key output/key.json --question trace.t3.c --hint 1
  lstm-sym check --expected "4*m*(n+m+1)" --vars m,n --answer "4m^2+4mn+4m"
  lstm-sym check --expected 0.75 --kind number --tol rel=0.01 --answer 3/4 --format json
  lstm-sym check --expected -x+1 --vars x --answer -x+1
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata

from lstm_sym.errors import UserError
from lstm_sym.key import KINDS

HELP = "check an answer (number, expression, vector, choice) and name the mistake"
TOLERANCES = ("abs", "rel", "sigfigs", "sigfigs-strict")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    src = parser.add_argument_group("what to check against (one of)")
    src.add_argument("--key", metavar="FILE|DIR",
                     help="a key.json written by 'lstm-sym worksheet', or the folder of "
                     "per-student keys that 'worksheet --students' writes (with --student)")
    src.add_argument("--question", metavar="ID", help="with --key: the question id")
    src.add_argument("--student", metavar="ID", help="with a folder of keys: whose key")
    src.add_argument("--expected", metavar="EXPR", help="the expected answer, given directly")
    parser.add_argument("--answer", metavar="TEXT",
                        help="the student's answer (it may start with '-': --answer -x)")
    parser.add_argument("--hint", type=int, metavar="N",
                        help="with --key: show the question's N-th hint (from 1)")
    parser.add_argument("--given", action="append", default=[], metavar="QID=VALUE",
                        help="with --key: one of your earlier answers, e.g. trace.t2.c=8 "
                        "(repeatable); later trace and memory answers are judged from them")
    parser.add_argument("--kind", choices=KINDS, default=None,
                        help="with --expected: what kind of answer (default: expression when "
                        "--vars is given, else number)")
    parser.add_argument("--vars", default="", metavar="A,B",
                        help="with --expected: variables the answer may use, e.g. x1,x2,x3")
    parser.add_argument("--tol", default=None, metavar="SPEC",
                        help="with --expected: tolerance, e.g. abs=0.01, rel=1e-3, sigfigs=3 "
                        "(the value to 3 significant figures) or sigfigs-strict=3 (also "
                        "written with 3, as STACK's NumSigFigs); comma-separated")
    parser.add_argument("--lang", choices=("en", "zh"), default=None,
                        help="feedback language (default: the key's, else en)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    # An answer or an expected expression may start with "-" (-x, -x+1): argparse then reads
    # any such word as a value. Option names are matched before this rule, so they still work.
    parser._negative_number_matcher = re.compile(r"^-.+$")  # noqa: SLF001 - argparse hook


def _tolerance(spec: str | None) -> dict | None:
    if spec is None:
        return None
    out: dict = {}
    for part in spec.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in TOLERANCES or not value:
            raise UserError("--tol: expected abs=…, rel=…, sigfigs=… or sigfigs-strict=…, "
                            f"got {part!r}")
        field = "sigfigs" if name.startswith("sigfigs") else name
        try:
            out[field] = int(value) if field == "sigfigs" else float(value)
        except ValueError:
            raise UserError(f"--tol: {name} needs a number, got {value!r}") from None
        if out[field] < 0 or (field == "sigfigs" and out[field] == 0):
            raise UserError(f"--tol: {name} must be positive, got {value!r}")
        if name == "sigfigs-strict":
            out["sigfigs_strict"] = True
    return out


def shown(text: str) -> str:
    r"""`text` safe for a terminal: control characters and invisible format marks (bidi
    overrides, zero-width characters) are written as escapes.

    >>> print(shown("7" + chr(0x202E) + "01" + chr(27) + "[2J"))
    7\u202e01\x1b[2J
    """
    out = []
    for char in text:
        if char != "\n" and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _write(text: str) -> None:
    """Print as UTF-8 even where the terminal's encoding cannot show every character."""
    try:
        print(text)
    except UnicodeEncodeError:
        sys.stdout.flush()
        sys.stdout.buffer.write((text + "\n").encode("utf-8"))
        sys.stdout.buffer.flush()


def _givens(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        qid, sep, value = pair.partition("=")
        if not sep or not qid.strip():
            raise UserError(f"--given: expected QID=VALUE such as trace.t2.c=8, got {pair!r}")
        out[qid.strip()] = value
    return out


def _hints(question: dict, key: dict, lang: str) -> list[str]:
    """The question's hints; keys written before hints existed get them computed."""
    if question.get("hints"):
        return list(question["hints"])
    from lstm_sym.exercises.hints import question_hints
    from lstm_sym.exercises.variant import make_model

    exercise = key.get("exercise") or {}
    cell = make_model(exercise["cell"], exercise["weights"]).cell
    return question_hints(question, cell, lang)


def _find_question(path: str, qid: str, student: str | None) -> tuple[dict, str]:
    """The question `qid` of the key at `path` (a file, or a folder and a student id),
    with the key's language (lstm_sym.api.checks uses it too)."""
    question, _, lang = _find_in_key(path, qid, student)
    return question, lang


def _find_in_key(path: str, qid: str, student: str | None) -> tuple[dict, dict, str]:
    """The question `qid`, the whole key it is in, and the key's language."""
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
            return question, key, keys.language()
    ids = ", ".join(q["id"] for q in key["questions"][:8])
    raise UserError(f"--question: no question {qid!r} in {path} (it has {ids}, …)")


def _verdict_with_key(args: argparse.Namespace, question: dict, key: dict, lang: str):
    from lstm_sym.checker import check_question
    from lstm_sym.checker.carry import carry_targets

    verdict = check_question(question, args.answer, lang=lang)
    givens = _givens(args.given)
    unknown = sorted(set(givens) - {q["id"] for q in key["questions"]})
    if unknown:
        raise UserError(f"--given: no question {unknown[0]!r} in the key")
    if givens and verdict.valid and not verdict.correct:
        carried = carry_targets(key, args.question, {**givens, args.question: args.answer})
        if carried is not None:
            again = check_question(question, args.answer, lang=lang, carried=carried)
            verdict = again if again.carried else verdict
    return verdict


def run(args: argparse.Namespace) -> int:
    from lstm_sym.checker import check_expected
    from lstm_sym.checker.feedback import message

    if bool(args.key) == bool(args.expected):
        raise UserError("--key: give either --key with --question, or --expected")
    if args.answer is None and args.hint is None:
        raise UserError("--answer: needed (or --hint N with --key)")
    hints: list[str] = []
    if args.key:
        if not args.question:
            raise UserError("--question: needed with --key")
        if args.vars or args.tol or args.kind:
            raise UserError("--vars/--tol/--kind: only with --expected (the key sets them)")
        question, key, key_lang = _find_in_key(args.key, args.question, args.student)
        lang = args.lang or key_lang
        hints = _hints(question, key, lang)
        if args.hint is not None and not 1 <= args.hint <= len(hints):
            raise UserError(f"--hint: this question has hints 1 to {len(hints)}, "
                            f"not {args.hint}")
        verdict = (_verdict_with_key(args, question, key, lang) if args.answer is not None
                   else None)
    else:
        if args.question or args.student or args.given or args.hint is not None:
            raise UserError("--question/--student/--given/--hint: only with --key")
        lang = args.lang or "en"
        variables = [v.strip() for v in args.vars.split(",") if v.strip()]
        kind = args.kind or ("expression" if variables else "number")
        verdict = check_expected(args.expected, args.answer, kind=kind, variables=variables,
                                 tolerance=_tolerance(args.tol), lang=lang)
    hint = hints[args.hint - 1] if args.hint is not None else None
    if args.format == "json":
        out = verdict.to_dict() if verdict is not None else {}
        if hint is not None:
            out.update(hint=hint, hint_number=args.hint, hints=len(hints))
        _write(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if verdict is not None:
        mark = ("✓ correct" if verdict.correct else "✗ wrong") if verdict.valid else \
            "? cannot read"
        _write(shown(f"{mark} (score {verdict.score:g}): {verdict.feedback}"))
        if verdict.parsed:
            _write(shown(f"read as: {verdict.parsed}"))
        if verdict.misconception:
            _write(shown(f"mistake: {verdict.misconception}"))
        if verdict.carried:
            _write("carried: yes")
        if not verdict.correct and hints and hint is None:
            _write(message("hint_available", lang))
    if hint is not None:
        _write(shown(f"hint {args.hint} of {len(hints)}: {hint}"))
    return 0
