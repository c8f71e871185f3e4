"""Grade a whole class from a CSV of answers: a verdict and feedback for every answer,
a gradebook an LMS can import, and a report of what went wrong.

KEY is one key.json that every student answered, or the folder 'lstm-sym worksheet
--students' wrote (one key.json per student; searched recursively). The answers are
long (columns student,question,answer) or wide (a student or id column and one
column per question id, as LMS and form exports give); the shape is detected.

Writes OUT (one row per student and question: student, question, answer, correct,
score, feedback, misconception, valid, line, carried), OUT's gradebook beside it
(graded.totals.csv: student, name, score, max, percent) and, with --report, a
Markdown report with an SVG histogram beside it. Every file is written whole
(temporary file, then rename); the same inputs give the same bytes.

Error carried forward: a trace or memory answer that is wrong against the key but follows
correctly from the student's own earlier answers (their c and h after the step before, their
values within the step) gets full credit, with "yes" in the carried column and feedback
naming the values it follows from; --no-carry switches this off.

Every input row is graded or listed on stderr (and in the report) with its line and
the reason. Exit 0 when every row was graded, 1 when some were not, 2 on a usage
or file error (nothing is written then).

Examples:
  lstm-sym grade --key output/key.json --answers answers.csv --out graded.csv
  lstm-sym grade --key class/ --answers moodle-export.csv --out graded.csv --report report.md
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lstm_sym.cli.paths import relative_path
from lstm_sym.errors import UserError

HELP = "grade a class's answers (CSV, long or wide) against key.json; gradebook and report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key", required=True, type=Path, metavar="KEY",
                        help="a key.json, or a folder of per-student keys (worksheet --students)")
    parser.add_argument("--answers", required=True, type=Path, metavar="CSV",
                        help="answers: student,question,answer rows, or one row per student "
                        "with a column per question id (UTF-8)")
    parser.add_argument("--out", required=True, type=Path, metavar="CSV",
                        help="graded answers; the gradebook goes beside it as NAME.totals.csv")
    parser.add_argument("--report", type=Path, metavar="MD",
                        help="also write a Markdown report (and NAME.scores.svg beside it)")
    parser.add_argument("--lang", choices=("en", "zh"), default=None,
                        help="language of feedback and report (default: the key's)")
    parser.add_argument("--no-carry", action="store_true",
                        help="judge every trace and memory answer against the key alone; by "
                        "default an answer that follows correctly from the student's own "
                        "earlier answers gets full credit, marked carried (error carried "
                        "forward)")


def _check_paths(args: argparse.Namespace, outputs: list[tuple[str, Path]]) -> None:
    """Refuse to overwrite an input, or to write two outputs to one file."""
    taken = {args.answers.resolve(): "--answers", args.key.resolve(): "--key"}
    for what, path in outputs:
        real = path.resolve()
        if real in taken:
            raise UserError(f"--out: the {what} {str(path)!r} would overwrite {taken[real]}")
        if path.is_dir():
            raise UserError(f"--out: the {what} {str(path)!r} is a folder")
        taken[real] = f"the {what}"


def run(args: argparse.Namespace) -> int:
    from lstm_sym.atomic import write_bytes
    from lstm_sym.classroom.grading import describe_rejection, grade_files, graded_csv, totals_csv, totals_path
    from lstm_sym.classroom.report import format_report, histogram_svg, svg_path_for
    from lstm_sym.cli.progress import ProgressBar
    from lstm_sym.i18n import msg

    totals_file = totals_path(args.out)
    outputs = [("graded file", args.out), ("gradebook", totals_file)]
    if args.report:
        outputs += [("report", args.report), ("histogram", svg_path_for(args.report))]
    _check_paths(args, outputs)

    result = grade_files(args.key, args.answers, lang=args.lang,
                         progress=ProgressBar("answers"), carry=not args.no_carry)
    lang = args.lang or result.keys.language()
    source = str(args.answers)
    for note in result.notes:
        print(f"lstm-sym grade: note: {note}", file=sys.stderr)
    for rejection in result.rejected:
        print(f"lstm-sym grade: {describe_rejection(source, rejection)}", file=sys.stderr)

    # Everything is formatted before anything is written: a failure leaves old files whole.
    files: list[tuple[Path, bytes]] = [(args.out, graded_csv(result).encode("utf-8")),
                                       (totals_file, totals_csv(result).encode("utf-8"))]
    if args.report:
        svg = svg_path_for(args.report)
        percents = [t.percent for t in result.totals if t.percent is not None]
        report = format_report(result, args.answers.name, svg.name, lang)
        files += [(args.report, report.encode("utf-8")), (svg, histogram_svg(percents, lang))]
    for path, data in files:
        write_bytes(path, data)

    print(msg("en", "grading.cli.graded", answers=len(result.graded),
              students=len(result.totals), form=result.form), file=sys.stderr)
    if result.rejected:
        print(msg("en", "grading.cli.rejected", count=len(result.rejected)), file=sys.stderr)
    print(msg("en", "ui.cli.wrote", path=relative_path(args.out)), file=sys.stderr)
    print(msg("en", "grading.cli.wrote_totals", path=relative_path(totals_file)), file=sys.stderr)
    if args.report:
        for path in (args.report, svg_path_for(args.report)):
            print(msg("en", "ui.cli.wrote", path=relative_path(path)), file=sys.stderr)
    return 1 if result.rejected else 0
