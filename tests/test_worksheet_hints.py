"""`worksheet --hints` prints each question's hints from the key; without it, none."""

import json

from lstm_sym.cli.app import main


def _sheet(tmp_path, *extra):
    out = tmp_path / "o"
    assert main(["worksheet", "--format", "md,tex", "--out", str(out), *extra]) == 0
    return out


def test_hints_come_from_the_key_and_only_on_request(tmp_path):
    plain = _sheet(tmp_path / "a")
    hinted = _sheet(tmp_path / "b", "--hints")
    key = json.loads((hinted / "key.json").read_text())
    memory = next(q for q in key["questions"] if q["id"] == "memory.c")
    first = memory["hints"][0]
    md = (hinted / "worksheet.md").read_text()
    assert "*Hints:*" in md and "*Hints for the table:*" in md
    # The hint's words (escaped for Markdown) are on the sheet, in the key's order.
    assert first.split(";")[0].replace("_", "\\_") in md
    assert "Hints" not in (plain / "worksheet.md").read_text()
    assert "Hints" in (hinted / "worksheet.tex").read_text()
    # The table's hints are listed once per hint, not once per step.
    trace_first = next(q for q in key["questions"] if q["id"] == "trace.t2.z")["hints"][0]
    assert md.count(trace_first) == 1


def test_hints_in_chinese(tmp_path):
    md = (_sheet(tmp_path, "--hints", "--lang", "zh") / "worksheet.md").read_text()
    assert "*提示：*" in md and "*填表提示：*" in md
