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
    # one check cell per open question, in the sheet's order (table boxes first)
    asked = [c.split("  # ")[0] for c in code_cells(nb)[1:]]
    assert sorted(asked) == sorted(f'check("{qid}", ...)' for qid in open_ids)
    assert len(asked) == len(open_ids)
    choice = next(q for q in key["questions"] if q["kind"] == "choice" and not q["worked"])
    assert any(c.startswith(f'check("{choice["id"]}", ...)  # one of "{choice["choices"][0]}"')
               for c in code_cells(nb))
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


@pytest.fixture
def kernel_env(monkeypatch):
    """The kernel imports this checkout (its PYTHONPATH is inherited)."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))


def _run(path: Path, answers: dict[str, str]) -> dict[str, str]:
    """Execute the notebook with some answers filled in; each question's text output."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        for qid, answer in answers.items():
            if cell.cell_type == "code" and cell.source.startswith(f'check("{qid}", ...)'):
                cell.source = cell.source.replace(", ...)", f", {answer})", 1)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    out = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("check("):
            qid = cell.source.split('"')[1]
            out[qid] = "\n".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
    return out


def test_notebook_runs_unanswered_then_says_correct_and_names_a_mistake(tmp_path, kernel_env):
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


def test_a_chinese_roster_notebook_runs(tmp_path, kernel_env):
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


def test_the_diagram_is_an_svg_drawn_from_the_sheets_mermaid(tmp_path):
    import base64
    import re

    from lstm_sym.handouts.flowchart import parse

    path = write_notebook(tmp_path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    pictures = [c for c in nb["cells"] if c.get("attachments")]
    assert len(pictures) == 1 and "attachment:diagram.svg" in "".join(pictures[0]["source"])
    svg = base64.b64decode(pictures[0]["attachments"]["diagram.svg"]["image/svg+xml"])
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    # Every box and edge of the Markdown sheet's Mermaid chart is in the drawing's layout.
    assert main(["worksheet", "--format", "md", "--out", str(tmp_path / "md")]) == 0
    sheet = (tmp_path / "md" / "worksheet.md").read_text(encoding="utf-8")
    chart = parse(re.search(r"```mermaid\n(.*?)```", sheet, re.DOTALL).group(1))
    assert {"z", "g", "c", "mf", "y"} <= set(chart.nodes) and len(chart.edges) == 14
    assert chart.nodes["c"].shape == "memory" and any(e.dashed for e in chart.edges)


def test_flowchart_layers_follow_the_arrows():
    from lstm_sym.handouts.flowchart import layout, parse

    chart = parse('flowchart BT\n  a["in"] --> b(("f"))\n  b --> c[["mem"]]\n'
                  '  c --> d(("×"))\n  d -.-> c\n  e["side"] --> d')
    layout(chart)
    rank = {n: chart.nodes[n].rank for n in "abcde"}
    assert rank["a"] < rank["b"] < rank["c"] < rank["d"]  # the loop d → c is drawn back
    assert rank["e"] == rank["d"] - 1  # a source sits next to what it feeds
    assert chart.nodes["d"].y < chart.nodes["a"].y  # bottom to top
    with pytest.raises(ValueError):
        parse("sequenceDiagram\n  a->>b: hi")


def test_api_results_display_as_tables_in_a_kernel(kernel_env):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    from nbformat.v4 import new_code_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell(
        'import lstm_sym\nlstm_sym.trace(example="lecture-worked", gates="ideal")')])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    data = nb.cells[0].outputs[0]["data"]
    assert data["text/html"].startswith('<table class="lstm-sym"><caption>lecture trace (ideal')
    assert data["text/html"].count("<tr>") == 6
    assert len(data["text/plain"]) < 120
    nbformat.validate(nb)


@pytest.mark.parametrize("cell", ["gru", "lstm", "rnn"])
def test_notebooks_for_every_cell_have_a_cell_per_open_question(tmp_path, cell):
    path = write_notebook(tmp_path, "--cell", cell, "--seed", "3", "--lang", "zh")
    nb = json.loads(path.read_text(encoding="utf-8"))
    key = json.loads((tmp_path / "key.json").read_text(encoding="utf-8"))
    asked = [c.split('"')[1] for c in code_cells(nb)[1:]]
    assert sorted(asked) == sorted(q["id"] for q in key["questions"] if not q["worked"])
    assert key["exercise"]["cell"]["cell"] == cell


def test_a_gru_notebook_checks_answers_and_names_mistakes(tmp_path, kernel_env):
    path = write_notebook(tmp_path, "--cell", "gru", "--seed", "3")
    key = json.loads((tmp_path / "key.json").read_text(encoding="utf-8"))
    open_trace = [q for q in key["questions"] if not q["worked"] and q["id"].startswith("trace.")]
    right = open_trace[0]
    wrong = next(q for q in open_trace[1:] if q["misconceptions"])
    mistake = wrong["misconceptions"][0]
    outputs = _run(path, {right["id"]: json.dumps(right["answer"]),
                          wrong["id"]: json.dumps(mistake["answer"])})
    assert "✓ correct" in outputs[right["id"]]
    assert "✗ wrong" in outputs[wrong["id"]] and mistake["id"] in outputs[wrong["id"]]


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_no_answer_cell_shows_its_answer_as_the_example(seed):
    import re

    from lstm_sym.exercises import build_set
    from lstm_sym.handouts.notebook import check_source

    for q in build_set(seed=seed).key()["questions"]:
        comment = check_source(q, "en").split("  # ", 1)[1]
        example = re.search(r"e\.g\. (.*?)\)?$", comment)
        if example is None:
            continue
        shown = "".join(example.group(1).strip('"').split())
        right = {"".join(str(a).split()) for a in [q["answer"], q.get("exact") or "",
                                                   *q.get("accept", [])]}
        assert shown not in right, (q["id"], comment)
