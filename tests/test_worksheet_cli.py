"""`lstm-sym worksheet` end to end: files, folders, rosters, errors, no TeX, same bytes.

Most tests feed the command the hand-built sample worksheet (fast, independent of
the exercises package); the last ones run the real exercises when they are there.
"""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from test_render_sample import sample_worksheet

import lstm_sym.cli.class_handouts as class_handouts
import lstm_sym.cli.worksheet as command
from lstm_sym.cli.app import main
from lstm_sym.handouts.pdf import compile_pdf

NASTY = "O'Brien & {\\input{/etc/passwd}} 100%_$#^~"
HAS_TEX = all(shutil.which(p) for p in ("latexmk", "pdflatex", "xelatex", "pdftotext"))


@functools.lru_cache(maxsize=1)
def _lecture_key() -> dict:
    from lstm_sym.exercises import build_set

    return build_set().key()


def _sample_variants(args, students):
    key = _lecture_key()
    if students is None:
        yield command.Variant(None, sample_worksheet(args.lang, seed=args.seed), key)
        return
    for student in students:
        yield command.Variant(student, sample_worksheet(args.lang, student, seed=args.seed),
                              {**key, "student": {"id": student.id, "name": student.name}})


def _sample_member(spec, student, attempt):
    """A class member on the sample worksheet; the student id keeps members distinct."""
    (variant,) = _sample_variants(argparse.Namespace(lang=spec.lang, seed=spec.seed), [student])
    return variant, (("student", student.id),)


@pytest.fixture
def sample(monkeypatch):
    """The command on the sample worksheet (a real key of the lecture's numbers); a class
    run's workers are forked, so they see the patched member too."""
    monkeypatch.setattr(command, "variants", _sample_variants)
    monkeypatch.setattr(class_handouts, "member", _sample_member)


@pytest.fixture
def no_tex(monkeypatch, tmp_path):
    """A PATH without TeX (python itself is not needed on it)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_md_and_tex_without_tex_say_what_to_install(sample, no_tex, tmp_path, capsys):
    out = tmp_path / "output"
    assert main(["worksheet", "--out", str(out)]) == 0
    assert sorted(_files(out)) == ["key.json", "solutions.md", "solutions.tex", "trace.svg",
                                   "worksheet.md", "worksheet.tex"]
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith("wrote ") and line.endswith("worksheet.md") for line in err)
    note = [line for line in err if "PDFs not written" in line]
    assert len(note) == 1 and "apt-get install texlive-latex-base" in note[0]
    # Asked for by name, a missing PDF is a failure (after md and tex are written).
    assert main(["worksheet", "--out", str(out), "--format", "md,pdf"]) == 1


def test_same_seed_same_bytes_and_only_wanted_files(sample, no_tex, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert main(["worksheet", "--seed", "7", "--lang", "zh", "--format", "md",
                     "--edition", "worksheet", "--out", str(out)]) == 0
    assert _files(a) == _files(b)
    assert sorted(_files(a)) == ["key.json", "worksheet.md"]  # no plot in the student's edition
    assert "**练习**" in (a / "worksheet.md").read_text(encoding="utf-8")


def test_roster_writes_one_complete_folder_per_student(sample, no_tex, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text(f'id,name\ns001,Ada\ns002,李小龙\ns003,"{NASTY}"\n', encoding="utf-8")
    out = tmp_path / "class"
    assert main(["worksheet", "--students", str(roster), "--format", "md,tex",
                 "--out", str(out)]) == 0
    # no temp folders; the teacher's files apart
    assert sorted(p.name for p in out.iterdir()) == ["s001", "s002", "s003", "teacher"]
    assert sorted(p.name for p in (out / "teacher").iterdir()) == ["class.json", "s001", "s002",
                                                                  "s003"]
    for sid in ("s001", "s002", "s003"):
        # a student's folder holds only what the student is given
        assert sorted(_files(out / sid)) == ["worksheet.md", "worksheet.tex"]
        assert sorted(_files(out / "teacher" / sid)) == ["key.json", "solutions.md",
                                                         "solutions.tex", "trace.svg"]
        key = json.loads((out / "teacher" / sid / "key.json").read_text())
        assert key["student"]["id"] == sid
    assert "**Name:** 李小龙" in (out / "s002" / "worksheet.md").read_text(encoding="utf-8")
    assert "\\{\\textbackslash{}input\\{" in (out / "s003" / "worksheet.tex").read_text()
    err = capsys.readouterr().err
    assert "wrote 3 student folders" in err and "class.json" in err
    # A second run replaces the folders whole.
    (out / "s001" / "stale.txt").write_text("old")
    (out / "teacher" / "s001" / "stale.txt").write_text("old")
    assert main(["worksheet", "--students", str(roster), "--format", "md",
                 "--out", str(out)]) == 0
    assert sorted(_files(out / "s001")) == ["worksheet.md"]
    assert sorted(_files(out / "teacher" / "s001")) == ["key.json", "solutions.md", "trace.svg"]


def _class_run(roster: Path, out: Path, *extra: str) -> dict[str, bytes]:
    assert main(["worksheet", "--students", str(roster), "--format", "md,tex",
                 "--out", str(out), *extra]) == 0
    return _files(out)


def test_class_seed_is_secret_recorded_and_reproducible(no_tex, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns1,Ada\ns2,李小龙\n", encoding="utf-8")
    first = _class_run(roster, tmp_path / "a")
    second = _class_run(roster, tmp_path / "b")
    record = json.loads(first["teacher/class.json"])
    # drawn at random: two runs without --seed give two classes
    assert record["seed"] != json.loads(second["teacher/class.json"])["seed"]
    assert first["teacher/s1/key.json"] != second["teacher/s1/key.json"]
    # recorded in every key, never on what a student receives
    seed = str(record["seed"])
    for sid in ("s1", "s2"):
        assert json.loads(first[f"teacher/{sid}/key.json"])["exercise"]["seed"] == record["seed"]
        for name in ("worksheet.md", "worksheet.tex"):
            assert seed not in first[f"{sid}/{name}"].decode("utf-8")
    assert [s["id"] for s in record["students"]] == ["s1", "s2"]
    # the recorded seed reproduces the class byte for byte
    again = _class_run(roster, tmp_path / "c", "--seed", seed)
    assert again == first
    assert f"class seed {seed}" in capsys.readouterr().err


def test_grade_and_export_find_the_teachers_keys(sample, no_tex, tmp_path):
    from lstm_sym.classroom.grading import load_keys

    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns001,Ada\ns002,Bo\n")
    out = tmp_path / "class"
    _class_run(roster, out, "--seed", "4")
    keys = load_keys(out)
    assert keys.per_student and keys.lookup("s002")["student"]["name"] == "Bo"


def test_the_teacher_folder_name_is_not_a_student_id(sample, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns001,Ada\nTeacher,Bo\n")
    out = tmp_path / "class"
    assert main(["worksheet", "--students", str(roster), "--out", str(out)]) == 2
    assert "student id 'Teacher' is reserved" in capsys.readouterr().err
    assert not out.exists()


def test_a_bad_roster_writes_nothing(sample, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns001,Ada\ns001,Bo\n")
    out = tmp_path / "class"
    assert main(["worksheet", "--students", str(roster), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"lstm-sym worksheet: error: {roster} line 3: duplicate id 's001' "
                   "(first on line 2)")
    assert not out.exists()


def test_a_failure_midway_leaves_no_half_folder(sample, no_tex, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns001,Ada\ns002,Bo\n")
    mine = tmp_path / "course" / "markdown"
    mine.mkdir(parents=True)  # a template that breaks on Bo's sheet only
    (mine / "diagram.md.j2").write_text(
        '((* if ws.student.name == "Bo" *))((( no_such_value )))((* endif *))\n')
    out = tmp_path / "class"
    assert main(["worksheet", "--students", str(roster), "--format", "md", "--out", str(out),
                 "--templates", str(tmp_path / "course")]) == 2
    assert "--templates: 'no_such_value' is undefined" in capsys.readouterr().err
    # s002 never appears half-written, neither its sheet nor its key
    assert sorted(p.name for p in out.iterdir()) == ["s001", "teacher"]
    assert sorted(p.name for p in (out / "teacher").iterdir()) == ["class.json", "s001"]


@pytest.mark.parametrize("argv, message", [
    (["--format", "md,docx"], "--format: expected formats from md, tex, pdf"),
    (["--edition", "answers"], "--edition: expected editions from worksheet, solutions"),
    (["--worked", "0,4"], "--worked: expected step numbers such as 1,4"),
    (["--seed", "-3"], "--seed: expected a non-negative integer"),
    (["--templates", "/no/such/dir"], "--templates: '/no/such/dir' is not a folder"),
    (["--students", "/no/such.csv"], "--students: cannot read '/no/such.csv'"),
])
def test_option_mistakes_are_one_line(sample, tmp_path, capsys, argv, message):
    try:
        code = main(["worksheet", "--out", str(tmp_path / "o"), *argv])
    except SystemExit as exit_:  # argparse's own errors
        code = exit_.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_user_templates_reach_every_file(sample, no_tex, tmp_path):
    mine = tmp_path / "course"
    (mine / "markdown").mkdir(parents=True)
    (mine / "markdown" / "worksheet.md.j2").write_text(
        '((* extends "builtin/markdown/worksheet.md.j2" *))\n'
        "((* block header *))**CS 101** ((( super() )))((* endblock *))\n")
    out = tmp_path / "o"
    assert main(["worksheet", "--templates", str(mine), "--format", "md", "--out",
                 str(out)]) == 0
    assert (out / "worksheet.md").read_text().startswith("**CS 101** # ")


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
def test_pdf_with_a_course_header_and_logo(sample, tmp_path):
    mine = tmp_path / "course" / "latex"
    mine.mkdir(parents=True)
    compile_pdf("\\documentclass[tikz]{standalone}\\begin{document}\\tikz\\fill[red] "
                "circle (1);\\end{document}\n", mine / "logo.pdf")
    (mine / "worksheet.tex.j2").write_text(
        '((* extends "builtin/latex/worksheet.tex.j2" *))\n'
        "((* block course *))\\includegraphics[height=1cm]{logo.pdf}\\hfill "
        "Recurrent Networks 101\\par((* endblock *))\n")
    out = tmp_path / "o"
    assert main(["worksheet", "--format", "pdf", "--edition", "worksheet",
                 "--templates", str(tmp_path / "course"), "--out", str(out)]) == 0
    assert sorted(_files(out)) == ["key.json", "worksheet.pdf"]
    text = subprocess.run(["pdftotext", str(out / "worksheet.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Recurrent Networks 101" in text


@pytest.mark.skipif(not HAS_TEX, reason="TeX is not installed")
def test_a_latex_error_names_the_file_and_keeps_the_log(sample, tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad" / "latex"
    bad.mkdir(parents=True)
    (bad / "worksheet.tex.j2").write_text(
        '((* extends "builtin/latex/worksheet.tex.j2" *))\n'
        "((* block course *))\\nosuchmacro((* endblock *))\n")
    monkeypatch.chdir(tmp_path)
    assert main(["worksheet", "--templates", "bad", "--edition", "worksheet",
                 "--out", "o"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        "lstm-sym worksheet: error: LaTeX failed on o/worksheet.tex: "
        "! Undefined control sequence. (log: o/worksheet.log)")
    assert sorted(_files(tmp_path / "o")) == ["key.json", "worksheet.log", "worksheet.md",
                                              "worksheet.tex"]


# --- the real exercises ------------------------------------------------------------

def test_default_run_writes_the_lecture_sheet(no_tex, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["worksheet"]) == 0
    files = _files(tmp_path / "output")
    assert {"worksheet.md", "solutions.md", "worksheet.tex", "solutions.tex", "key.json",
            "trace.svg"} <= set(files)
    key = json.loads(files["key.json"])
    assert key["schema"] == "lstm_sym.key/1"
    assert b"```mermaid" in files["worksheet.md"] and b"](trace.svg)" in files["solutions.md"]


def test_real_roster_variants_differ_and_repeat(no_tex, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns1,Ada\ns2,李小龙\n", encoding="utf-8")
    runs = []
    for name in ("a", "b"):
        assert main(["worksheet", "--students", str(roster), "--seed", "3", "--format",
                     "md,tex", "--out", str(tmp_path / name)]) == 0
        runs.append(_files(tmp_path / name))
    assert runs[0] == runs[1]
    assert runs[0]["teacher/s1/key.json"] != runs[0]["teacher/s2/key.json"]


def test_a_pdf_only_class_makes_no_empty_student_folders(sample, no_tex, tmp_path, capsys):
    # Without md/tex or --per-student-pdf a student's folder would stay empty: their sheet
    # is in the class PDF. (TeX is missing here, so the command also says what to install.)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns001,Ada\ns002,Bo\n")
    out = tmp_path / "class"
    assert main(["worksheet", "--students", str(roster), "--format", "pdf", "--out", str(out)]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["teacher"]
    assert sorted(p.name for p in (out / "teacher").iterdir()) == ["class.json", "s001", "s002"]
    err = capsys.readouterr().err
    assert "no student folders" in err and "PDFs not written" in err


def test_a_class_redraws_a_student_whose_answers_another_has(sample, no_tex, tmp_path, monkeypatch):
    # Every first draw "collides": the first student in id order keeps attempt 0, the
    # others are drawn again (attempt 1) and their rejected folders leave no trace.
    calls = []

    def member(spec, student, attempt):
        calls.append((student.id, attempt))
        variant, prints = _sample_member(spec, student, attempt)
        return variant, (("first draw",) if attempt == 0 else prints)

    monkeypatch.setattr(class_handouts, "member", member)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns2,Bo\ns1,Ada\ns3,Cy\n")
    out = tmp_path / "class"
    assert main(["worksheet", "--students", str(roster), "--format", "md", "--out", str(out)]) == 0
    redrawn = sorted(sid for sid, attempt in calls if attempt == 1)
    assert redrawn == ["s2", "s3"]  # s1 comes first in id order and keeps its first draw
    assert sorted(p.name for p in out.iterdir()) == ["s1", "s2", "s3", "teacher"]
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]
