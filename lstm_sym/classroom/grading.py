"""Grade a class: answer keys, an answers table, verdicts, per-student totals.

The answer key is one key.json that every student answered, or a folder of per-student
keys (``lstm-sym worksheet --students`` writes one folder per id, each with key.json;
the folder is searched recursively, hidden staging folders skipped). Student ids are
matched ignoring case, as the roster does.

Every input row ends up graded or rejected with its line and the reason (unknown
student, unknown question, missing field, duplicate answer, unreadable CSV). Each
student is graded on the questions the table asks about (its question columns, or every
question id in a readable row) that their key has; an answer that is missing is graded
as empty, so graded.csv is the full grid and totals are comparable.

>>> key = {"questions": [{"id": "q1", "kind": "integer", "answer": "40",
...                       "misconceptions": []}]}
>>> keys = KeySet("key.json", shared=key)
>>> from lstm_sym.classroom.csvio import parse_table, answer_rows
>>> sheet = answer_rows(parse_table("student,question,answer\\ns1,q1,4*10\\ns2,q1,41\\n",
...                                 "a.csv"), keys.question_ids())
>>> result = grade_sheet(sheet, keys)
>>> [(t.student, t.score, t.max) for t in result.totals]
[('s1', 1.0, 1), ('s2', 0.0, 1)]
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lstm_sym.checker import Verdict, check_many
from lstm_sym.checker.api import clean_text
from lstm_sym.classroom.csvio import AnswerSheet, Rejection
from lstm_sym.errors import UserError

KEY_FILE = "key.json"
# Key fields the checker does not read; the prompt differs between students whose
# question is otherwise the same.
UNCHECKED_FIELDS = ("prompt", "family", "worked")
# A spreadsheet runs a cell starting with one of these as a formula ("CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")

Key = dict[str, Any]
Progress = Callable[[int, int], None]


# --- keys ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeySet:
    """One key every student answered (`shared`), or one key per student id.

    >>> k = {"student": {"id": "S1", "name": "Ada"}, "questions": [{"id": "q"}]}
    >>> ks = KeySet("keys/", by_student={"s1": k})
    >>> ks.lookup("s1")["student"]["name"], ks.lookup("s2")
    ('Ada', None)
    """

    source: str
    shared: Key | None = None
    by_student: Mapping[str, Key] = field(default_factory=dict)  # casefolded id -> key

    @property
    def per_student(self) -> bool:
        return self.shared is None

    def lookup(self, student: str) -> Key | None:
        """The key a student answered (None: no key for this id)."""
        return self.shared if self.shared is not None else self.by_student.get(student.casefold())

    def all_keys(self) -> list[Key]:
        return [self.shared] if self.shared is not None else list(self.by_student.values())

    def question_ids(self) -> set[str]:
        return {q["id"] for key in self.all_keys() for q in key["questions"]}

    def question_order(self) -> list[str]:
        """Question ids in key order (the first key's, then any others')."""
        order: dict[str, None] = {}
        for key in self.all_keys():
            for q in key["questions"]:
                order.setdefault(q["id"])
        return list(order)

    def language(self) -> str:
        """The keys' language (their prompts and misconception sentences)."""
        lang = self.all_keys()[0].get("exercise", {}).get("lang", "en")
        return lang if lang in ("en", "zh") else "en"


def find_key_files(folder: Path) -> list[Path]:
    """Every key.json under `folder`, sorted; hidden (staging) folders are skipped.
    A class folder keeps its keys in ``teacher/`` (``teacher/<id>/key.json``); when
    that folder holds keys, only those count.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for sub in ("s2", "s1", ".s3.tmp-x"):
    ...     (d / sub).mkdir(); _ = (d / sub / "key.json").write_text("{}")
    >>> [p.parent.name for p in find_key_files(d)]
    ['s1', 's2']
    >>> (d / "teacher" / "s4").mkdir(parents=True)
    >>> _ = (d / "teacher" / "s4" / "key.json").write_text("{}")
    >>> [str(p.relative_to(d)) for p in find_key_files(d)]
    ['teacher/s4/key.json']
    """
    def keys_under(root: Path) -> list[Path]:
        found = [p for p in root.rglob(KEY_FILE)
                 if not any(part.startswith(".") for part in p.relative_to(root).parts)]
        return sorted(found, key=lambda p: p.relative_to(root).parts)

    teacher = folder / "teacher"
    return (teacher.is_dir() and keys_under(teacher)) or keys_under(folder)


def load_keys(path: str | Path, option: str = "--key") -> KeySet:
    """A key.json (everyone answers it) or a folder of per-student keys.

    A folder with a single key that names no student is treated like that one file.
    """
    from lstm_sym.key import read_key

    path = Path(path)
    if not path.exists():
        raise UserError(f"{option}: {str(path)!r} does not exist")
    if path.is_file():
        return KeySet(str(path), shared=read_key(path))
    files = find_key_files(path)
    if not files:
        raise UserError(f"{option}: no {KEY_FILE} under {str(path)!r} (expected the folder "
                        "'lstm-sym worksheet --students' writes)")
    keys = [(f, read_key(f)) for f in files]
    if len(keys) == 1 and "student" not in keys[0][1]:
        return KeySet(str(files[0]), shared=keys[0][1])
    by_student: dict[str, Key] = {}
    where: dict[str, Path] = {}
    for file, key in keys:
        student = key.get("student")
        if not student:
            raise UserError(f"{file}: no student id; a folder of keys must hold per-student "
                            "keys ('lstm-sym worksheet --students')")
        sid = student["id"].strip()
        if sid.casefold() in by_student:
            raise UserError(f"{file}: student id {sid!r} also has {where[sid.casefold()]}")
        by_student[sid.casefold()], where[sid.casefold()] = key, file
    return KeySet(str(path), by_student=by_student)


# --- grading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradedAnswer:
    """One answer with its verdict; `line` is None for an answer that was not given."""

    student: str
    question: str
    answer: str
    verdict: Verdict
    line: int | None


@dataclass(frozen=True)
class StudentTotal:
    """A gradebook row.

    >>> StudentTotal("s1", "Ada", 13.5, 20).percent
    67.5
    """

    student: str
    name: str
    score: float
    max: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.score / self.max if self.max else None


@dataclass
class GradingResult:
    """Everything a run produced, in a deterministic order (student id, then key order)."""

    keys: KeySet
    form: str
    questions: list[str]
    graded: list[GradedAnswer]
    totals: list[StudentTotal]
    rejected: list[Rejection]
    notes: list[str]

    def question(self, student: str, qid: str) -> Key:
        """The key entry a student answered for a question id."""
        key = self.keys.lookup(student)
        assert key is not None
        return next(q for q in key["questions"] if q["id"] == qid)


def natural_key(text: str) -> tuple:
    """Sort ids as people expect: s2 before s10.

    >>> sorted(["s10", "s2", "S1"], key=natural_key)
    ['S1', 's2', 's10']
    """
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", text.casefold()) if part) + (text,)


@dataclass
class _Student:
    id: str
    name: str
    key: Key | None
    answers: dict[str, tuple[str, int]] = field(default_factory=dict)  # qid -> (text, line)


def _roster(keys: KeySet) -> dict[str, _Student]:
    """Per-student keys: every student with a key is in the gradebook, answers or not."""
    return {fold: _Student(key["student"]["id"].strip(), key["student"].get("name", ""), key)
            for fold, key in keys.by_student.items()}


def _accept(sheet: AnswerSheet, keys: KeySet) -> tuple[dict[str, _Student], list[Rejection]]:
    """Sort each answer row into a student's answers, or a rejection with its reason."""
    students = _roster(keys)
    rejected = list(sheet.rejected)
    rejected_lines: set[int] = set()  # wide rows rejected once for the whole row
    ids_of: dict[int, set[str]] = {}  # id(key) -> its question ids
    for row in sheet.answers:
        fold = row.student.casefold()
        key = keys.lookup(row.student)
        if key is None:
            if row.line not in rejected_lines:
                rejected_lines.add(row.line)
                question = "" if sheet.form == "wide" else row.question
                rejected.append(Rejection(row.line, row.student, question,
                                          f"unknown student {row.student!r} (no {KEY_FILE} for "
                                          "this id)"))
            continue
        student = students.setdefault(fold, _Student(row.student, "", key))
        if not student.name and row.name:
            student.name = row.name
        if id(key) not in ids_of:
            ids_of[id(key)] = {q["id"] for q in key["questions"]}
        if row.question not in ids_of[id(key)]:
            if row.text.strip() or sheet.form == "long":
                owner = f"{student.id}'s key" if keys.per_student else "the key"
                rejected.append(Rejection(row.line, row.student, row.question,
                                          f"unknown question {row.question!r} (not in {owner})"))
            continue
        if row.question in student.answers:
            first = student.answers[row.question][1]
            rejected.append(Rejection(row.line, row.student, row.question,
                                      f"duplicate answer to {row.question!r} (first on line "
                                      f"{first})"))
            continue
        student.answers[row.question] = (row.text, row.line)
    rejected.sort(key=lambda r: r.line)
    return students, rejected


def _assigned(sheet: AnswerSheet, keys: KeySet) -> list[str]:
    """The questions the table asks about, in key order."""
    asked = set(sheet.questions)
    return [qid for qid in keys.question_order() if qid in asked]


def grade_sheet(sheet: AnswerSheet, keys: KeySet, *, lang: str | None = None,
                progress: Progress | None = None, carry: bool = True) -> GradingResult:
    """Check every answer of the sheet against the keys (see the module example).

    With `carry` (the default), a wrong trace or memory answer that follows correctly from
    the student's own earlier answers gets full credit, marked carried
    (:mod:`lstm_sym.checker.carry`)."""
    lang = lang or keys.language()
    students, rejected = _accept(sheet, keys)
    questions = _assigned(sheet, keys)
    ordered = sorted(students.values(), key=lambda s: natural_key(s.id))
    jobs: list[tuple[_Student, str, str, int | None]] = []
    for student in ordered:
        assert student.key is not None
        entries = {q["id"] for q in student.key["questions"]}
        for qid in questions:
            if qid in entries:
                text, line = student.answers.get(qid, ("", None))
                jobs.append((student, qid, text, line))
    verdicts = _check(jobs, lang, progress)
    if carry:
        verdicts = _carry_forward(jobs, verdicts, lang)
    graded = [GradedAnswer(s.id, qid, text, verdict, line)
              for (s, qid, text, line), verdict in zip(jobs, verdicts)]
    totals = _totals(ordered, graded)
    return GradingResult(keys, sheet.form, questions, graded, totals, rejected,
                         list(sheet.notes))


def _check(jobs: list[tuple[_Student, str, str, int | None]], lang: str,
           progress: Progress | None) -> list[Verdict]:
    """Verdicts in job order, checked one question id at a time.

    With per-student keys every student's question is a different dict, and compiling
    it is most of the work. Without its prompt (which the checker never reads) the
    same question often has the same content for many students; one check_many call
    per question id compiles each distinct content once and reports progress.
    """
    by_question: dict[str, list[int]] = {}
    for index, (_, qid, _, _) in enumerate(jobs):
        by_question.setdefault(qid, []).append(index)
    entries: dict[int, dict[str, Key]] = {}  # id(key) -> its questions by id
    verdicts: list[Verdict | None] = [None] * len(jobs)
    done = 0
    for qid, indices in by_question.items():
        shared: dict[str, Key] = {}  # checked content -> one dict, so it is compiled once
        items = []
        for index in indices:
            student, _, text, _ = jobs[index]
            key = student.key
            assert key is not None
            if id(key) not in entries:
                entries[id(key)] = {q["id"]: q for q in key["questions"]}
            question = entries[id(key)][qid]
            content = {k: v for k, v in question.items() if k not in UNCHECKED_FIELDS}
            items.append((shared.setdefault(_content_key(content), content), text))
        for index, verdict in zip(indices, check_many(items, lang)):
            verdicts[index] = verdict
        done += len(indices)
        if progress is not None:
            progress(done, len(jobs))
    return verdicts  # type: ignore[return-value]  # every slot is filled above


def _carry_forward(jobs: list[tuple[_Student, str, str, int | None]], verdicts: list[Verdict],
                   lang: str) -> list[Verdict]:
    """Regrade the wrong trace and memory answers against the values recomputed from each
    student's own earlier answers (only those: a right answer stays right, uncarried)."""
    from lstm_sym.checker.carry import RUNS, carry_targets, could_follow

    # Only a student with a wrong (readable) answer in a family can have a later answer
    # that follows from it: the others' values are the key's, within its tolerance.
    slipped: dict[tuple[int, str], int] = {}
    for (student, qid, _, _), verdict in zip(jobs, verdicts):
        if verdict.valid and not verdict.correct:
            family = (id(student), qid.partition(".")[0])
            slipped[family] = slipped.get(family, 0) + 1
    redo: list[int] = []
    items: list[tuple] = []
    for index, ((student, qid, text, _), verdict) in enumerate(zip(jobs, verdicts)):
        family = qid.partition(".")[0]
        if verdict.correct or not verdict.valid or family not in RUNS:
            continue
        if slipped.get((id(student), family), 0) < (1 if family == "memory" else 2):
            continue  # this answer is the family's only slip (a trace answer's own)
        answers = {q: a for q, (a, _) in student.answers.items()}
        try:
            carried = carry_targets(student.key, qid, answers)
            if carried is None or not could_follow(question_of(student.key, qid), text, carried):
                continue
        except Exception:  # noqa: BLE001 - never stop the class: grade without carrying
            continue
        redo.append(index)
        items.append((question_of(student.key, qid), text, carried))
    out = list(verdicts)
    for index, verdict in zip(redo, check_many(items, lang)):
        if verdict.carried:
            out[index] = verdict
    return out


def question_of(key: Key, qid: str) -> Key:
    """The entry of `key` for question `qid`."""
    return next(q for q in key["questions"] if q["id"] == qid)


def _content_key(content: Key) -> str:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)


def _totals(students: list[_Student], graded: list[GradedAnswer]) -> list[StudentTotal]:
    score: dict[str, float] = {s.id: 0.0 for s in students}
    count: dict[str, int] = {s.id: 0 for s in students}
    for answer in graded:
        score[answer.student] += answer.verdict.score
        count[answer.student] += 1
    return [StudentTotal(s.id, s.name, score[s.id], count[s.id]) for s in students]


def grade_files(key_path: str | Path, answers_path: str | Path, *, lang: str | None = None,
                progress: Progress | None = None, carry: bool = True) -> GradingResult:
    """Read the keys and the answers table, and grade."""
    from lstm_sym.classroom.csvio import answer_rows, read_table

    keys = load_keys(key_path)
    table = read_table(answers_path)
    sheet = answer_rows(table, keys.question_ids())
    if not sheet.answers and not sheet.rejected:
        raise UserError(f"{answers_path}: no answers (only a header line)")
    return grade_sheet(sheet, keys, lang=lang, progress=progress, carry=carry)


# --- output files -------------------------------------------------------------------------


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: formula starts get a leading apostrophe,
    plain numbers such as -10 stay as they are.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-10"), spreadsheet_safe("-x")
    ("'=HYPERLINK(1)", '-10', "'-x")
    """
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def format_number(value: float) -> str:
    """Scores without float noise: at most 4 decimals, no trailing zeros.

    >>> format_number(13.0), format_number(2/3), format_number(0.5)
    ('13', '0.6667', '0.5')
    """
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _csv_text(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    # A byte-order mark so that Excel opens UTF-8 (names in any script) correctly;
    # LMS importers (Moodle's csv_import_reader) strip it.
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


GRADED_COLUMNS = ("student", "question", "answer", "correct", "score", "feedback",
                  "misconception", "valid", "line", "carried")
TOTALS_COLUMNS = ("student", "name", "score", "max", "percent")


def graded_csv(result: GradingResult) -> str:
    """graded.csv: one row per (student, question) graded.

    >>> keys = KeySet("k", shared={"questions": [{"id": "q", "kind": "integer", "answer": "7"}]})
    >>> from lstm_sym.classroom.csvio import AnswerSheet, AnswerRow
    >>> sheet = AnswerSheet("long", [AnswerRow(2, "s1", "q", "7")], questions=["q"])
    >>> text = graded_csv(grade_sheet(sheet, keys))
    >>> text.startswith("\\ufeff"), text.count("\\r\\n")
    (True, 2)
    >>> print(text[1:].replace("\\r\\n", "\\n"), end="")
    student,question,answer,correct,score,feedback,misconception,valid,line,carried
    s1,q,7,yes,1,Correct.,,yes,2,
    """
    rows = ([a.student, a.question, clean_text(a.answer), "yes" if a.verdict.correct else "no",
             format_number(a.verdict.score), a.verdict.feedback, a.verdict.misconception or "",
             "yes" if a.verdict.valid else "no", "" if a.line is None else str(a.line),
             "yes" if a.verdict.carried else ""]
            for a in result.graded)
    return _csv_text(GRADED_COLUMNS, rows)


def totals_csv(result: GradingResult) -> str:
    """The gradebook: student id, name, total score, max, percent (one decimal)."""
    rows = ([t.student, t.name, format_number(t.score), str(t.max),
             "" if t.percent is None else f"{t.percent:.1f}"] for t in result.totals)
    return _csv_text(TOTALS_COLUMNS, rows)


def totals_path(out: str | Path) -> Path:
    """The gradebook's file name beside graded.csv.

    >>> totals_path("out/graded.csv").as_posix(), totals_path("grades").as_posix()
    ('out/graded.totals.csv', 'grades.totals.csv')
    """
    out = Path(out)
    return out.with_name(f"{out.stem if out.suffix else out.name}.totals.csv")


def describe_rejection(source: str, rejection: Rejection) -> str:
    """One stderr line for a rejected row.

    >>> describe_rejection("a.csv", Rejection(7, "s9", "q1", "unknown student 's9'"))
    "a.csv line 7: not graded (s9, q1): unknown student 's9'"
    """
    who = ", ".join(x for x in (rejection.student, rejection.question) if x)
    return f"{source} line {rejection.line}: not graded{f' ({who})' if who else ''}: " \
           f"{rejection.reason}"
