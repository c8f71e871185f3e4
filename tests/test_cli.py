"""End to end through the command line: outputs, and one-line errors for bad input."""

import json
import subprocess
import sys

import pytest

from lstm_sym.cli.app import main


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and "lstm-sym" in capsys.readouterr().out
    for cmd in ("equations", "params", "trace", "grad", "check"):
        with pytest.raises(SystemExit):
            main([cmd, "--help"])
        assert "usage:" in capsys.readouterr().out


def test_equations_json_contract(capsys):
    code, out, _ = run_cli(capsys, "equations", "--cell", "gru", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["cell"] == "gru"
    assert all({"name", "lhs", "rhs", "latex"} <= set(e) for e in data["equations"])


def test_params_json_contract(capsys):
    code, out, _ = run_cli(capsys, "params", "--cell", "lstm", "--input", "3", "--hidden", "1",
                           "--convention", "pytorch", "--format", "json")
    data = json.loads(out)
    assert data["total"] == 24  # PyTorch's nn.LSTM(3, 1): 4·(3 + 1 + 2)
    assert set(data["symbols"].values()) <= {"input", "hidden", "layers", "proj"}
    assert all({"name", "shape", "count"} <= set(t) for t in data["tensors"])


def test_trace_json_contract(capsys):
    code, out, _ = run_cli(capsys, "trace", "--example", "lecture-worked", "--gates", "ideal",
                           "--format", "json")
    steps = json.loads(out)["steps"]
    assert [s["c"] for s in steps] == [[3], [7], [7], [7], [0]]
    assert [s["y"] for s in steps] == [[0], [0], [0], [7], [0]]
    assert {"t", "x", "z", "z_i", "z_f", "z_o", "i", "f", "o", "c", "y"} <= set(steps[0])


def test_trace_and_grad_from_files(capsys, tmp_path):
    weights = tmp_path / "w.json"
    weights.write_text(json.dumps({"weight_ih_l0": [[0.1], [0.2], [0.3]],
                                   "weight_hh_l0": [[0.5], [-0.4], [0.2]],
                                   "bias_ih_l0": [0.0, 0.1, 0.2], "bias_hh_l0": [0.3, 0.0, 0.1]}))
    inputs = tmp_path / "x.json"
    inputs.write_text("[[1], [2], [-1]]")
    code, out, _ = run_cli(capsys, "trace", "--weights", str(weights), "--inputs", str(inputs),
                           "--gates", "float", "--format", "json")
    assert code == 0 and len(json.loads(out)["steps"]) == 3
    code, out, _ = run_cli(capsys, "grad", "--weights", str(weights), "--inputs", str(inputs),
                           "--gates", "float", "--format", "json")
    grads = json.loads(out)["gradients"]
    assert set(grads) >= {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                          "inputs", "h0"}


BAD = [
    (["params", "--cell", "nope"], "--cell"),
    (["params", "--hidden", "-3", "--input", "2"], "--hidden"),
    (["params", "--hidden", "2.5", "--input", "2"], "--hidden"),
    (["params", "--cell", "gru", "--proj", "2"], "--proj"),
    (["params", "--cell", "lstm", "--input", "3", "--hidden", "2", "--proj", "4"], "--proj"),
    (["params", "--input", "3"], "--hidden"),
    (["equations", "--format", "latex", "--cell", "rnn", "--g", "tanh"], "--g"),
    (["equations", "--standalone"], "--standalone"),
    (["trace", "--example", "nope"], "--example"),
    (["trace", "--weights", "/nonexistent.json", "--inputs", "/nonexistent2.json"], "--weights"),
    (["grad", "--steps", "3"], "--steps"),
    (["check", "--answer", "7"], "--key"),
    (["check", "--expected", "7", "--answer", "7", "--tol", "abs=x"], "--tol"),
]


@pytest.mark.parametrize("argv, option", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_one_line_naming_the_option(capsys, argv, option):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert option in err and "Traceback" not in err


def test_bad_file_contents_name_the_file(capsys, tmp_path):
    inputs = tmp_path / "x.json"
    inputs.write_text("[[1, 2, NaN]]")
    weights = tmp_path / "w.json"
    weights.write_text(json.dumps({"cell": {"cell": "lecture"}, "params": {
        k: [[1, 0, 0]] if k.startswith("W") else [0]
        for k in ("W_z", "b_z", "W_i", "b_i", "W_f", "b_f", "W_o", "b_o")}}))
    code, _, err = run_cli(capsys, "trace", "--weights", str(weights), "--inputs", str(inputs))
    assert code == 2 and "--inputs" in err and "finite" in err


def test_module_entry_point():
    result = subprocess.run([sys.executable, "-m", "lstm_sym", "params", "--cell", "rnn"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "m**2 + m*n + m" in result.stdout
