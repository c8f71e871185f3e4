"""Practice notebooks: `worksheet --format ipynb` writes a valid nbformat 4 notebook that,
run by a Jupyter kernel, checks answers against its embedded key.

Validation and execution need nbformat/nbclient/ipykernel (CI's second run installs
them); writing a notebook does not.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lstm_sym.cli.app import main
from lstm_sym.handouts.notebook import unpack_key

ROOT = Path(__file__).resolve().parent.parent


def write_notebook(out: Path, *extra: str) -> Path:
    assert main(["worksheet", "--format", "ipynb", "--out", str(out), *extra]) == 0
    return out / "worksheet.ipynb"


def code_cells(nb: dict) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_notebook_has_a_check_cell_per_open_question_and_its_key(tmp_path):
    path = write_notebook(tmp_path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    key = json.loads((tmp_path / "key.json").read_text(encoding="utf-8"))
    open_ids = [q["id"] for q in key["questions"] if not q["worked"]]
    assert code_cells(nb)[1:] == [f'check("{qid}", ...)' for qid in open_ids]
    setup = code_cells(nb)[0]
    embedded = setup.split('KEY = "', 1)[1].split('"', 1)[0]
    assert unpack_key(embedded) == key
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "```mermaid" not in text and "not for graded work" in text
    assert write_notebook(tmp_path / "again").read_bytes() == path.read_bytes()  # same bytes


def test_notebook_is_valid_nbformat_4(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    for lang in ("en", "zh"):
        nb = nbformat.read(write_notebook(tmp_path / lang, "--lang", lang), as_version=4)
        nbformat.validate(nb)
        assert nb.nbformat == 4


def test_roster_notebooks_go_to_the_teacher_folder(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns1,Ada\ns2,Lin\n", encoding="utf-8")
    out = tmp_path / "class"
    assert main(["worksheet", "--students", str(roster), "--seed", "1", "--format", "md,ipynb",
                 "--out", str(out)]) == 0
    for sid in ("s1", "s2"):
        assert (out / "teacher" / sid / "worksheet.ipynb").is_file()
        assert not list((out / sid).glob("*.ipynb"))
        nb = json.loads((out / "teacher" / sid / "worksheet.ipynb").read_text(encoding="utf-8"))
        assert nb["metadata"]["lstm_sym"]["student"] == sid


def _run(path: Path, answers: dict[str, str]) -> dict[str, str]:
    """Execute the notebook with some answers filled in; each question's text output."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for qid, answer in answers.items():
            if cell.cell_type == "code" and cell.source == f'check("{qid}", ...)':
                cell.source = f'check("{qid}", {answer})'
    env_path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    os.environ["PYTHONPATH"] = env_path  # the kernel imports this checkout
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    out = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("check("):
            qid = cell.source.split('"')[1]
            out[qid] = "\n".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
    return out


def test_notebook_runs_unanswered_then_says_correct_and_names_a_mistake(tmp_path):
    path = write_notebook(tmp_path)
    key = json.loads((tmp_path / "key.json").read_text(encoding="utf-8"))
    t5c = next(q for q in key["questions"] if q["id"] == "trace.t5.c")
    mistake = t5c["misconceptions"][0]
    outputs = _run(path, {"trace.t2.c": json.dumps("7"), "trace.t5.c": mistake["answer"],
                          "params.lstm_total": "48"})
    assert "✓ correct" in outputs["trace.t2.c"] and "✓ correct" in outputs["params.lstm_total"]
    assert "✗ wrong" in outputs["trace.t5.c"] and mistake["id"] in outputs["trace.t5.c"]
    import html

    assert html.escape(mistake["feedback"]) in outputs["trace.t5.c"]
    unanswered = [qid for qid in outputs if qid not in ("trace.t2.c", "trace.t5.c",
                                                         "params.lstm_total")]
    assert unanswered and all("not answered yet" in outputs[q] for q in unanswered)


def test_a_chinese_roster_notebook_runs(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name\ns1,李雷\n", encoding="utf-8")
    assert main(["worksheet", "--students", str(roster), "--seed", "2", "--lang", "zh",
                 "--format", "ipynb", "--out", str(tmp_path / "c")]) == 0
    path = tmp_path / "c" / "teacher" / "s1" / "worksheet.ipynb"
    key = json.loads((path.parent / "key.json").read_text(encoding="utf-8"))
    q = next(q for q in key["questions"] if q["id"] == "trace.t2.c")
    outputs = _run(path, {"trace.t2.c": json.dumps(q["answer"])})
    assert "✓ 正确" in outputs["trace.t2.c"]
    assert all("尚未作答" in text for qid, text in outputs.items() if qid != "trace.t2.c")
