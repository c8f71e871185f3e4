"""Export answer keys to an LMS: Moodle XML questions to import into a course's bank.

KEY is one key.json (one category, one question per slot: a trace step is one cloze
question, numbers are numerical questions with the key's tolerance rounded outward,
choices multichoice, formulas shortanswer with their generated spellings) or a class's
keys as 'lstm-sym worksheet --students' wrote them (a category per question slot holding
every distinct variant, under a class category named by a short id of the roster and
seed). Every question carries the data it depends on (the cell's equations, weights,
inputs, sizes): add "a random question" from a slot's category to a quiz and Moodle
draws a RANDOM variant for each student, not that student's own, and every variant is
answerable and graded on its own. The worked solution is each question's general
feedback; math is written \\( … \\) for Moodle's MathJax filter. Worked questions
(solved on the sheet) are left out unless --worked. See docs/moodle.md.

Examples:
  lstm-sym export moodle --key output/key.json --out quiz.xml
  lstm-sym export moodle --key class/ --out bank.xml --worked
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lstm_sym.errors import UserError

HELP = "export key.json (or a class's keys) as Moodle XML: numerical, cloze, multichoice"
FORMATS = ("moodle",)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("format", choices=FORMATS, help="the LMS format (moodle: Moodle XML)")
    parser.add_argument("--key", required=True, type=Path, metavar="KEY",
                        help="a key.json, or a folder of per-student keys (worksheet --students)")
    parser.add_argument("--out", required=True, type=Path, metavar="XML",
                        help="the file to write, e.g. quiz.xml")
    parser.add_argument("--worked", action="store_true",
                        help="also export the worked questions (solved on the student's sheet)")


def run(args: argparse.Namespace) -> int:
    from lstm_sym.atomic import write_bytes
    from lstm_sym.classroom.grading import load_keys
    from lstm_sym.cli.paths import relative_path
    from lstm_sym.cli.progress import ProgressBar
    from lstm_sym.export.moodle import moodle_items
    from lstm_sym.export.moodle_xml import Category, quiz_xml
    from lstm_sym.i18n import msg

    if args.out.is_dir():
        raise UserError(f"--out: {str(args.out)!r} is a folder; give a file name such as "
                        "quiz.xml")
    if args.out.resolve() == args.key.resolve():
        raise UserError(f"--out: {str(args.out)!r} would overwrite --key")
    keys = load_keys(args.key)
    items = moodle_items(keys.all_keys(), worked=args.worked, progress=ProgressBar("keys"))
    questions = [i for i in items if not isinstance(i, Category)]
    if not questions:
        raise UserError(f"--key: {args.key} has no questions to export (all are worked "
                        "examples; add --worked)")
    write_bytes(args.out, quiz_xml(items))
    shortanswers = sum(1 for q in questions if q.qtype == "shortanswer")
    print(msg("en", "grading.cli.exported", path=relative_path(args.out),
              questions=len(questions), categories=len(items) - len(questions)),
          file=sys.stderr)
    if shortanswers:
        print(f"lstm-sym export: note: {shortanswers} formula question(s) are shortanswer: "
              "Moodle compares text, so only the generated spellings are accepted (for "
              "symbolic checking use 'lstm-sym grade', or Moodle's STACK or Formulas question "
              "types; see docs/moodle.md)", file=sys.stderr)
    return 0
