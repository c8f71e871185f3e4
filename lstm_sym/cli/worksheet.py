"""Write handouts: the worksheet (questions, worked steps, room to answer), the
solutions (every step worked) and key.json, as Markdown, LaTeX and PDF.

With no options it writes the lecture's own worksheet under output/. With
--students it writes one folder per student id holding only what that student is
given (the worksheet), and the teacher's files under OUT/teacher/: each student's
key.json and solutions in OUT/teacher/<id>/, and class.json, the record of the
class seed. PDFs of a class are two print-ready files, OUT/teacher/class-worksheets.pdf
and class-solutions.pdf (each student from an odd page, their name and id on every
page); PDFs per student (for an LMS) only with --per-student-pdf. The class seed is
drawn at random unless --seed is given; rerunning with the recorded --seed
reproduces the class byte for byte.

Examples:
  lstm-sym worksheet                                   # the lecture's sheet in output/
  lstm-sym worksheet --seed 7 --lang zh --out sheets/
  lstm-sym worksheet --students roster.csv --format md,pdf --out class/
  lstm-sym worksheet --templates my-course/            # e.g. my-course/latex/worksheet.tex.j2
  lstm-sym worksheet --cell gru --hidden 2 --seed 3    # a clean random GRU
  lstm-sym worksheet --cell gru --weights my_gru.json --inputs seq.json   # your own weights
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from lstm_sym.atomic import write_text
from lstm_sym.cli.class_handouts import ClassSpec, class_pdfs, make_class, write_class
from lstm_sym.cli.common import add_cell_options, positive_int
from lstm_sym.cli.handout_files import (  # noqa: F401 (Plan, Variant… are this command's API)
    KEY_FILE,
    NOTEBOOK_FILE,
    TEACHER_FOLDER,
    Folders,
    Outcome,
    Plan,
    Variant,
    latex_assets,
    student_files,
    write_single,
    write_sources,
    write_student,
)
from lstm_sym.cli.paths import relative_path
from lstm_sym.cli.progress import ProgressBar  # noqa: F401 (the one bar of every command)
from lstm_sym.errors import UserError
from lstm_sym.handouts.content import Student, build_worksheet
from lstm_sym.handouts.pdf import LatexError, install_command, missing_program
from lstm_sym.i18n import LANGS, msg

HELP = "write worksheets, solutions and key.json (Markdown, LaTeX, PDF); one variant per student"
FORMATS = ("md", "tex", "pdf", "ipynb")
EDITIONS = ("worksheet", "solutions")
DEFAULT_FORMATS = ("md", "tex", "pdf")  # pdf only when TeX is installed, unless asked for
CLASS_RECORD = "class.json"
CLASS_SCHEMA = "lstm_sym.class/1"
SEED_BITS = 48  # a class seed a student cannot guess, short enough to type back


def _comma_list(choices: Sequence[str], what: str):
    def parse(text: str) -> tuple[str, ...]:
        items = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
        bad = [p for p in items if p not in choices]
        if bad or not items:
            raise argparse.ArgumentTypeError(
                f"expected {what} from {', '.join(choices)} separated by commas, got {text!r}")
        return items
    return parse


def _worked(text: str) -> tuple[int, ...]:
    try:
        steps = tuple(int(p) for p in text.split(",") if p.strip())
    except ValueError:
        steps = ()
    if not steps or min(steps) < 1:
        raise argparse.ArgumentTypeError(f"expected step numbers such as 1,4, got {text!r}")
    return steps


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--example", default="lecture-worked",
                        help="the example the sheet is built on (default: %(default)s)")
    parser.add_argument("--worked", type=_worked, default=None, metavar="STEPS",
                        help="time steps worked on the student sheet (default: 1,4 for the "
                        "lecture's example as the lecture does, else 1)")
    add_cell_options(parser, default_cell=None)
    src = parser.add_argument_group("weights and inputs (default: clean random weights)")
    src.add_argument("--input", type=positive_int, default=3, metavar="N",
                     help="input size of a random cell (default: %(default)s)")
    src.add_argument("--hidden", type=positive_int, default=1, metavar="M",
                     help="hidden units of a random cell (default: %(default)s)")
    src.add_argument("--weights", metavar="FILE",
                     help="your weights: our weights JSON or a PyTorch state_dict saved as JSON "
                     "(read as `trace` reads them); needs --inputs")
    src.add_argument("--inputs", metavar="FILE",
                     help="JSON: the sequence to trace, a list of time steps of numbers")
    src.add_argument("--h0", metavar="FILE", help="JSON initial h (default zeros)")
    src.add_argument("--c0", metavar="FILE", help="JSON initial c (default zeros)")
    parser.add_argument("--seed", type=_seed, default=None, metavar="N",
                        help="a randomized variant (default: the lecture's own numbers); "
                        "with --students, the seed of the whole class")
    parser.add_argument("--students", type=Path, default=None, metavar="ROSTER.CSV",
                        help="CSV with columns id,name: one folder per student id")
    parser.add_argument("--format", type=_comma_list(FORMATS, "formats"), default=None,
                        metavar="md,tex,pdf,ipynb", help="formats to write (default: md,tex,pdf; "
                        "pdf when TeX is installed); ipynb: a practice notebook that checks "
                        "answers (it carries the key: with --students it goes to OUT/teacher/<id>/)")
    parser.add_argument("--lang", choices=LANGS, default="en", help="language of the sheets")
    parser.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                        help="output folder (default: %(default)s)")
    parser.add_argument("--templates", type=Path, default=None, metavar="DIR",
                        help="your templates, searched first by name (e.g. "
                        "DIR/latex/worksheet.tex.j2); see templates/README.md")
    parser.add_argument("--edition", type=_comma_list(EDITIONS, "editions"), default=EDITIONS,
                        metavar="worksheet,solutions", help="editions to write (default: both)")
    parser.add_argument("--hints", action="store_true",
                        help="print each question's hints (from the key) under it; the trace table "
                        "gets one list of hints per quantity")
    parser.add_argument("--per-student-pdf", action="store_true",
                        help="with --students and pdf: also one PDF per student in its folder "
                        "(besides the class PDFs in OUT/teacher/)")


# --- what a variant is made of ----------------------------------------------------

CELL_OPTION_DEFAULTS = {"peephole": "none", "gru_form": "after", "bias": None,
                        "convention": "lecture", "g": None, "h": None}


def cell_options(args: argparse.Namespace) -> dict[str, Any] | None:
    """The cell a random variant is drawn for (None: the lecture's memory cell), from the
    options the user gave; the cell model checks that they fit the cell."""
    kind = getattr(args, "cell", None) or "lecture"
    given = {k: getattr(args, k, d) for k, d in CELL_OPTION_DEFAULTS.items()}
    given = {k: v for k, v in given.items() if v != CELL_OPTION_DEFAULTS[k]}
    if kind == "ffn":
        raise UserError("--cell ffn: a feed-forward layer has no steps to trace; choose "
                        "lecture, lstm, gru or rnn")
    if kind == "gru":
        given.setdefault("gru_form", args.gru_form)
    if kind == "lecture" and not given and (args.input, args.hidden) == (3, 1):
        return None
    if kind == "lecture":
        raise UserError("--cell lecture: the lecture's memory cell has its own sizes and "
                        "activations; choose --cell lstm for others")
    from lstm_sym.numeric.weights import cell_from_options

    options = {"cell": kind, **given}
    cell_from_options(options, "--cell")  # one line naming the option that does not fit
    return options


def with_default_worked(args: argparse.Namespace) -> argparse.Namespace:
    """--worked as given, else 1,4 for the lecture's example (as the lecture works it) and 1
    for any other cell or sequence (a one-step sequence: none)."""
    if getattr(args, "worked", None) is not None:
        return args
    lecture = not (getattr(args, "weights", None) or getattr(args, "inputs", None)
                   or cell_options(args))
    return argparse.Namespace(**{**vars(args), "worked": (1, 4) if lecture else None})


def cell_flags(args: argparse.Namespace) -> str:
    """The cell options of a run as command-line flags (for the class record's command).

    >>> cell_flags(argparse.Namespace(cell="gru", input=3, hidden=2, gru_form="after",
    ...                               peephole="none", bias=None, convention="lecture",
    ...                               g=None, h=None))
    ' --cell gru --input 3 --hidden 2 --gru-form after'
    """
    options = cell_options(args)
    if not options:
        return ""
    flags = [f"--cell {options['cell']}", f"--input {args.input}", f"--hidden {args.hidden}"]
    flags += [f"--{k.replace('_', '-')} {v}" for k, v in options.items() if k != "cell"]
    return " " + " ".join(flags)


def _own_weights(args: argparse.Namespace, students: list[Student] | None):
    """The exercise set on the teacher's --weights and --inputs, read as `trace` reads them."""
    from types import SimpleNamespace

    from lstm_sym.exercises.exercise_set import from_weights
    from lstm_sym.numeric.trace_report import load_run_inputs

    if students is not None:
        raise UserError("--students: one set of --weights gives every student the same "
                        "answers; draw random weights with --seed instead")
    if args.seed is not None:
        raise UserError("--seed: the answers come from --weights; leave out --seed")
    if not args.weights or not args.inputs:
        raise UserError("--weights: needs --inputs (and --inputs needs --weights)")
    source = load_run_inputs(SimpleNamespace(example=None, weights=args.weights,
                                             inputs=args.inputs, h0=args.h0, c0=args.c0,
                                             cell=args.cell))
    return from_weights(source.model, source.inputs, source.h0, source.c0,
                                  args.worked)


def variants(args: argparse.Namespace, students: list[Student] | None) -> Iterator[Variant]:
    """The variants to write, built by the exercises package."""
    from lstm_sym import exercises

    if getattr(args, "weights", None) or getattr(args, "inputs", None):
        sets = [(None, _own_weights(args, students))]
    elif getattr(args, "h0", None) or getattr(args, "c0", None):
        raise UserError("--h0/--c0: initial states go with --weights and --inputs")
    else:
        options = cell_options(args)
        sizes = {"inputs": args.input, "hidden": args.hidden} if options else {}
        if students is None:
            sets = [(None, exercises.build_set(example=args.example, worked=args.worked,
                                               seed=args.seed, cell_options=options, **sizes))]
        else:  # run() has drawn or taken the class seed
            by_id = exercises.class_variants(args.seed, students, example=args.example,
                                             worked=args.worked, cell_options=options,
                                             **sizes)
            sets = [(s, by_id[s.id]) for s in students]
    for student, exset in sets:
        ws = build_worksheet(exset, lang=args.lang)
        if student is not None and ws.student is None:
            ws = replace(ws, student=student)
        yield Variant(student, ws, exset.key(lang=args.lang))


# --- the command ------------------------------------------------------------------

def _plan(args: argparse.Namespace) -> Plan:
    if args.templates is not None and not args.templates.is_dir():
        raise UserError(f"--templates: {str(args.templates)!r} is not a folder")
    formats = args.format or DEFAULT_FORMATS
    return Plan(tuple(formats), tuple(args.edition), args.templates, "pdf" in formats,
                latex_assets(args.templates), hints=bool(getattr(args, "hints", False)))


def _no_tex_note(engines: set[str]) -> str | None:
    """One line naming what to install, when an engine these PDFs need is missing."""
    program = missing_program(engines)
    if program is None:
        return None
    return msg("en", "ui.cli.no_tex", program=program, command=install_command(engines))


def _failure_line(failures: list[LatexError]) -> str:
    first = failures[0]
    tex = relative_path(first.log.with_suffix(".tex")) if first.log else first.tex_name
    log = relative_path(first.log) if first.log else "none"
    key = "ui.cli.pdf_failed" if len(failures) == 1 else "ui.cli.pdf_failed_more"
    return msg("en", key, tex=tex, error=first.first_error, log=log, count=len(failures))


def draw_class_seed() -> int:
    """A fresh class seed from the operating system's randomness (not reproducible by
    design: the teacher finds it in OUT/teacher/class.json and in every key).

    >>> draw_class_seed() != draw_class_seed()
    True
    """
    return secrets.randbits(SEED_BITS)


def class_record(args: argparse.Namespace, students: Sequence[Student]) -> dict[str, Any]:
    """What OUT/teacher/class.json records: everything that decides the class's
    variants, and the command that writes the same files again. No date, so a rerun
    writes the same bytes.

    >>> ns = argparse.Namespace(seed=5, example="lecture-worked", worked=(1, 4), lang="en",
    ...                         students=Path("r.csv"))
    >>> class_record(ns, [Student("s1", "Ada")])["reproduce"]
    'lstm-sym worksheet --students r.csv --seed 5 --example lecture-worked --worked 1,4 --lang en'
    """
    chosen = list(args.worked) if args.worked is not None else [1]
    worked = ",".join(str(t) for t in chosen)
    cell = cell_flags(args) if hasattr(args, "cell") else ""
    return {
        "schema": CLASS_SCHEMA, "seed": args.seed, "example": args.example,
        "worked": chosen, "lang": args.lang,
        "students": [{"id": s.id, "name": s.name} for s in students],
        "reproduce": (f"lstm-sym worksheet --students {args.students} --seed {args.seed} "
                      f"--example {args.example}{cell} --worked {worked} --lang {args.lang}"),
    }


def _check_ids(students: Sequence[Student]) -> None:
    for student in students:
        if student.id.casefold() == TEACHER_FOLDER:
            raise UserError(f"--students: student id {student.id!r} is reserved for the "
                            f"teacher's folder OUT/{TEACHER_FOLDER}/; rename it in the roster")


def settle_options(args: argparse.Namespace) -> tuple[argparse.Namespace, list[Student] | None]:
    """The options with defaults filled in (a class's seed drawn) and the roster, every
    mistake reported before any work."""
    from lstm_sym.classroom.roster import read_roster

    students = read_roster(args.students) if args.students is not None else None
    args = with_default_worked(args)
    _plan(args)  # option mistakes first, before any work
    if students is not None:
        _check_ids(students)
        args = argparse.Namespace(**{**vars(args), "seed": args.seed if args.seed is not None
                                     else draw_class_seed()})
    return args, students


def prepare(args: argparse.Namespace) -> tuple[argparse.Namespace, list[Student] | None,
                                                list[Variant]]:
    """Everything a run writes, computed in memory: the options (with the class seed
    drawn), the roster and the variants. `lstm_sym.worksheet()` stops here."""
    args, students = settle_options(args)
    return args, students, list(variants(args, students))


def _out_folder(args: argparse.Namespace) -> Path:
    out: Path = args.out
    if out.exists() and not out.is_dir():
        raise UserError(f"--out: {str(out)!r} exists and is not a folder")
    return out


def _class_record_first(args: argparse.Namespace, students: Sequence[Student]) -> Path:
    record = args.out / TEACHER_FOLDER / CLASS_RECORD  # first: keys never exist without it
    write_text(record, json.dumps(class_record(args, students), ensure_ascii=False,
                                  indent=2) + "\n")
    return record


def _class_done(args: argparse.Namespace, students: Sequence[Student], outcome: Outcome,
                plan: Plan, record: Path) -> Outcome:
    if plan.pdf:
        outcome.add(class_pdfs(outcome, students, args.out / TEACHER_FOLDER, plan))
    key = "ui.cli.wrote_students" if student_files(plan) else "ui.cli.wrote_students_teacher"
    print(msg("en", key, count=len(students), path=relative_path(args.out),
              teacher=relative_path(args.out / TEACHER_FOLDER), seed=args.seed,
              record=relative_path(record)), file=sys.stderr)
    return outcome


def _status(args: argparse.Namespace, outcome: Outcome) -> int:
    status = 0
    if outcome.missing:
        print(f"lstm-sym worksheet: {_no_tex_note(outcome.missing)}", file=sys.stderr)
        status = 1 if args.format and "pdf" in args.format else 0  # asked for by name
    if outcome.failures:
        print(f"lstm-sym worksheet: error: {_failure_line(outcome.failures)}", file=sys.stderr)
        status = 1
    return status


def write_all(args: argparse.Namespace, students: list[Student] | None,
              all_variants: list[Variant]) -> int:
    """Write what :func:`prepare` computed under ``args.out``; returns the exit status."""
    plan = _plan(args)
    out = _out_folder(args)
    if students is None:
        outcome = write_single(all_variants[0], out, plan)
        for path in outcome.written:
            print(msg("en", "ui.cli.wrote", path=relative_path(path)), file=sys.stderr)
    else:
        record = _class_record_first(args, students)
        outcome = write_class(all_variants, out, replace(plan, per_student_pdf=args.per_student_pdf))
        outcome = _class_done(args, students, outcome, plan, record)
    return _status(args, outcome)


def class_spec(args: argparse.Namespace) -> ClassSpec:
    """What every student's variant is drawn from (the options :func:`variants` reads)."""
    if getattr(args, "weights", None) or getattr(args, "inputs", None):
        _own_weights(args, [])  # the one-line refusal: a class never shares one set of weights
    if getattr(args, "h0", None) or getattr(args, "c0", None):
        raise UserError("--h0/--c0: initial states go with --weights and --inputs")
    options = cell_options(args)
    sizes = {"inputs": args.input, "hidden": args.hidden} if options else {}
    plan = replace(_plan(args), per_student_pdf=args.per_student_pdf)
    return ClassSpec(args.seed, args.example, args.worked, options, sizes, args.lang,
                     args.out, plan)


def write_class_run(args: argparse.Namespace, students: list[Student]) -> int:
    """A class drawn and written on every core (the command's path for --students)."""
    spec = class_spec(args)
    _out_folder(args)
    from lstm_sym.exercises.exercise_set import check_roster

    check_roster(students)
    record = _class_record_first(args, students)
    outcome = make_class(spec, students)
    return _status(args, _class_done(args, students, outcome, spec.plan, record))


def run(args: argparse.Namespace) -> int:
    args, students = settle_options(args)
    if students is not None:
        return write_class_run(args, students)
    return write_all(args, None, list(variants(args, None)))
