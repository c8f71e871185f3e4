"""Float traces and gradients against PyTorch (committed fixtures from tests/reference)."""

import numpy as np
import pytest
from conftest import load_reference

from lstm_sym.numeric.run import gradients, run
from lstm_sym.numeric.weights import model_from_torch, to_torch_names

CASES = load_reference("torch_traces.json")


def _model(case):
    kind = case["module"].replace("Cell", "").lower()
    options = {}
    if case["config"].get("nonlinearity"):
        options["nonlinearity"] = case["config"]["nonlinearity"]
    return model_from_torch(case["state_dict"], kind, **options)


def _states(case, model):
    h0 = case["h0"]
    c0 = case.get("c0")
    return h0, c0


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_float_trace_matches_torch(case):
    model = _model(case)
    h0, c0 = _states(case, model)
    trace = run(model, case["inputs"], mode="float", h0=h0, c0=c0)
    np.testing.assert_allclose(trace.outputs, np.array(case["outputs"]), rtol=0, atol=1e-12)
    h_n = np.stack([f["h"].T for f in trace.final])
    np.testing.assert_allclose(h_n, np.array(case["h_n"]), rtol=0, atol=1e-12)
    if "c_n" in case:
        c_n = np.stack([f["c"].T for f in trace.final])
        np.testing.assert_allclose(c_n, np.array(case["c_n"]), rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_float_gradients_match_torch(case):
    model = _model(case)
    h0, c0 = _states(case, model)
    g = gradients(model, case["inputs"], upstream=case["upstream"], mode="float", h0=h0, c0=c0)
    assert abs(g.loss - case["loss"]) < 1e-10
    suffix = not case["module"].endswith("Cell")
    for layer, grads in enumerate(g.params):
        for key, value in to_torch_names(model.cell, grads, layer, suffix).items():
            np.testing.assert_allclose(value, np.array(case["grads"][key]), atol=1e-10,
                                       err_msg=key)
    np.testing.assert_allclose(g.inputs, np.array(case["grads"]["inputs"]), atol=1e-10)
    np.testing.assert_allclose(g.initial["h0"], np.array(case["grads"]["h0"]), atol=1e-10)
    if "c0" in case["grads"]:
        np.testing.assert_allclose(g.initial["c0"], np.array(case["grads"]["c0"]), atol=1e-10)
