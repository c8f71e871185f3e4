"""The float32 path: single precision throughout, within float32 rounding of float64 and of
PyTorch's float32, and its errors named."""

import json

import numpy as np
import pytest
from conftest import load_reference
from test_numeric import CASES, _random_model

from lstm_sym.cli import main
from lstm_sym.errors import UserError
from lstm_sym.numeric.examples import example
from lstm_sym.numeric.run import run
from lstm_sym.numeric.weights import model_from_torch

# float32 keeps 24 bits: a relative step of 6e-8 per operation; a few steps of a small
# cell stay far inside 1e-5 of float64 (and a slip to float64 anywhere would not matter).
F32_TOL = {"rtol": 1e-5, "atol": 1e-6}


def _big_lstm(seed=0, batch=8, steps=30, n=5, m=7):
    rng = np.random.default_rng(seed)
    state = {"weight_ih_l0": rng.uniform(-0.5, 0.5, (4 * m, n)).tolist(),
             "weight_hh_l0": rng.uniform(-0.5, 0.5, (4 * m, m)).tolist(),
             "bias_ih_l0": rng.uniform(-0.5, 0.5, 4 * m).tolist(),
             "bias_hh_l0": rng.uniform(-0.5, 0.5, 4 * m).tolist()}
    return model_from_torch(state, "lstm"), rng.uniform(-2, 2, (batch, steps, n))


@pytest.mark.parametrize("kind, options", CASES, ids=[f"{k}{o}" for k, o in CASES])
def test_float32_trace_equals_float64_within_float32_rounding(kind, options):
    model, xs = _random_model(kind, 1, **options)
    f64 = run(model, xs, mode="float")
    f32 = run(model, xs, mode="float", dtype="float32")
    assert f32.dtype == "float32" and f64.dtype == "float64"
    np.testing.assert_allclose(f32.outputs, f64.outputs, **F32_TOL)
    # Every value of every step is single precision: nothing slipped back to float64.
    for env in f32.layers[0].steps:
        for name in model.cell.equations:
            assert env[name.name].dtype == np.float32, name.name
    # ...and it is not float64 in disguise: single rounding shows somewhere.
    assert not np.array_equal(f32.outputs.astype(np.float64), f64.outputs)


def test_float32_long_batch_stays_close_to_float64():
    model, xs = _big_lstm()
    f64 = run(model, xs, mode="float", keep=False).outputs
    f32 = run(model, xs.astype(np.float32), mode="float", dtype="float32", keep=False).outputs
    assert f32.dtype == np.float32
    np.testing.assert_allclose(f32, f64, rtol=0, atol=2e-6)


@pytest.mark.parametrize("case", load_reference("torch_traces.json")[:8],
                         ids=lambda c: c["name"])
def test_float32_matches_torch_fixtures_within_float32_rounding(case):
    # The committed float64 PyTorch outputs (tests/reference) as the independent source.
    kind = case["module"].replace("Cell", "").lower()
    options = {"nonlinearity": case["config"]["nonlinearity"]} if case["config"]["nonlinearity"] else {}
    model = model_from_torch(case["state_dict"], kind, **options)
    tr = run(model, case["inputs"], mode="float", h0=case["h0"], c0=case.get("c0"), dtype="float32")
    np.testing.assert_allclose(tr.outputs, np.array(case["outputs"]), **F32_TOL)


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_float32_matches_torch_float32_live(kind):
    torch = pytest.importorskip("torch")
    torch.manual_seed(5)
    module = getattr(torch.nn, kind)(6, 9, num_layers=2, batch_first=True)
    x = torch.randn(4, 25, 6)
    with torch.no_grad():
        ref = module(x)[0].numpy()
    state = {k: v.double().tolist() for k, v in module.state_dict().items()}
    ours = run(model_from_torch(state, kind.lower()), x.numpy(), mode="float", dtype="float32")
    assert ours.outputs.dtype == np.float32
    np.testing.assert_allclose(ours.outputs, ref, rtol=0, atol=2e-6)


def test_dtype_errors_are_named():
    ex = example("lecture-worked")
    with pytest.raises(UserError, match="--dtype: expected one of float64, float32"):
        run(ex.model, ex.inputs, dtype="float16")
    with pytest.raises(UserError, match="--dtype float32: only float traces"):
        run(ex.model, ex.inputs, mode="exact", dtype="float32")
    with pytest.raises(UserError, match="--inputs: a number is too large for float32"):
        run(ex.model, [[1e39, 0, 0]], dtype="float32")
    assert run(ex.model, [[1e39, 0, 0]]).outputs.dtype == np.float64  # fine in float64


def test_trace_cli_dtype(capsys, tmp_path):
    assert main(["trace", "--example", "lecture-worked", "--dtype", "float32",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["mode"], data["dtype"]) == ("float", "float32")
    ex = example("lecture-worked")
    want = run(ex.model, ex.inputs, dtype="float32").outputs[0, :, 0]
    # The JSON holds each float32 as its shortest decimal, which reads back as the same float32.
    assert [np.float32(row["y"][0]) for row in data["steps"]] == list(want)
    assert main(["trace", "--example", "lecture-worked", "--gates", "float"]) == 0
    assert "(float gates, float64)" in capsys.readouterr().out


def test_trace_cli_dtype_with_exact_gates_is_one_line(capsys):
    assert main(["trace", "--example", "lecture-worked", "--gates", "ideal",
                 "--dtype", "float32"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--dtype float32" in err and "Traceback" not in err
