"""Traces and gradients: the lecture's numbers, exact vs float, finite differences, bad input."""

import json

import mpmath
import numpy as np
import pytest

from lstm_sym.errors import UserError
from lstm_sym.numeric.examples import example
from lstm_sym.numeric.run import gradients, run
from lstm_sym.numeric.weights import load_model, model_from_params


def _series(trace, name):
    return [trace.layers[0].steps[t][name][0, 0] for t in range(len(trace.layers[0].steps))]


def test_lecture_memory_puzzle_in_ideal_mode():
    # The lecture: memory 0 3 3 7 7 7 0 6 6, output 0 0 0 0 0 7 0 0 6.
    ex = example("lecture-memory")
    tr = run(ex.model, ex.inputs, mode="ideal")
    assert _series(tr, "c_new") == [0, 3, 3, 7, 7, 7, 0, 6, 6]
    assert list(tr.outputs[0, :, 0]) == [0, 0, 0, 0, 0, 7, 0, 0, 6]


def test_lecture_worked_example_in_ideal_mode():
    ex = example("lecture-worked")
    tr = run(ex.model, ex.inputs, mode="ideal")
    assert _series(tr, "c_new") == [3, 7, 7, 7, 0]
    assert list(tr.outputs[0, :, 0]) == [0, 0, 0, 7, 0]
    # Step 1 as the lecture works it: z = 3, z_i = 1·100 − 10 = 90, z_f = 110, z_o = −10.
    step = tr.step_values(0)
    assert (step["z"], step["z_i"], step["z_f"], step["z_o"]) == ([3], [90], [110], [-10])


def test_exact_sigmoid_is_not_one():
    ex = example("lecture-worked")
    tr = run(ex.model, ex.inputs, mode="exact", dps=60)
    with mpmath.workdps(60):
        i1 = tr.step_values(0)["i"][0]
        # σ(90) = 1 − e^-90/(1 + e^-90) ≈ 1 − 8.19e-40, computed here independently.
        gap = (1 - i1) - mpmath.exp(-90) / (1 + mpmath.exp(-90))
        assert abs(gap) < mpmath.mpf(10) ** -58  # 60 digits of a number near 1
        assert 1 - i1 > mpmath.mpf("8.1e-40")


def _random_model(kind, seed, **options):
    rng = np.random.default_rng(seed)
    from lstm_sym.model.cells import build_cell
    from lstm_sym.model.notation import m, n, p
    cell = build_cell(kind, **options)
    sizes = {n: 3, m: 2, p: 1}
    params = {prm.name: rng.uniform(-1, 1, [int(d.subs(sizes)) if hasattr(d, "subs") else d
                                            for d in prm.shape]).tolist()
              for prm in cell.params}
    opts = {"cell": kind, **options}
    return model_from_params(opts, [params]), rng.uniform(-2, 2, (4, 3)).tolist()


CASES = [("lstm", {}), ("lstm", {"peephole": "diagonal"}), ("lstm", {"peephole": "lecture"}),
         ("lstm", {"proj": True}), ("gru", {"gru_form": "before"}), ("gru", {"bias": "double"}),
         ("rnn", {}), ("lecture", {"g": "tanh", "h": "tanh"})]


@pytest.mark.parametrize("kind, options", CASES, ids=[f"{k}{o}" for k, o in CASES])
def test_exact_and_float_traces_agree(kind, options):
    model, xs = _random_model(kind, 1, **options)
    fl = run(model, xs, mode="float").outputs.astype(float)
    ex = run(model, xs, mode="exact").outputs
    np.testing.assert_allclose(fl, np.array(ex, dtype=float), atol=1e-13)


@pytest.mark.parametrize("kind, options", CASES, ids=[f"{k}{o}" for k, o in CASES])
def test_gradients_match_central_finite_differences(kind, options):
    model, xs = _random_model(kind, 2, **options)
    grads = gradients(model, xs, mode="exact", dps=40)
    h = mpmath.mpf("1e-15")
    with mpmath.workdps(40):
        for name, value in model.layers[0].items():
            arr = np.array(value, dtype=object)
            idx = (arr.shape[0] - 1, arr.shape[1] - 1) if arr.ndim == 2 else (arr.shape[0] - 1,)

            def loss(delta, arr=arr, idx=idx, name=name):
                bumped = arr.copy()
                bumped[idx] = mpmath.mpf(repr(bumped[idx])) + delta
                layer = {**model.layers[0], name: bumped}
                m2 = type(model)(model.cell, [layer], model.sizes, model.cell_options)
                return run(m2, xs, mode="exact", dps=40).outputs.sum()

            fd = (loss(h) - loss(-h)) / (2 * h)
            got = grads.params[0][name][idx if arr.ndim == 2 else (idx[0], 0)]
            assert abs(fd - got) < mpmath.mpf("1e-20"), name


def test_float_batch_equals_one_at_a_time():
    model, _ = _random_model("lstm", 3)
    rng = np.random.default_rng(4)
    batch = rng.uniform(-1, 1, (5, 6, 3))
    together = run(model, batch, mode="float").outputs
    for b in range(5):
        alone = run(model, batch[b], mode="float").outputs[0]
        np.testing.assert_allclose(together[b], alone, atol=1e-15)


@pytest.mark.parametrize("inputs, message", [
    ([], "empty"),
    ([[1, 2]], "3 numbers"),
    ([[1, 2, float("nan")]], "finite"),
    ([[1, "a", 3]], "not a number"),
    ([[1, 2, 3], [1, 2]], "different lengths|3 numbers"),
])
def test_bad_inputs_are_named(inputs, message):
    ex = example("lecture-worked")
    with pytest.raises(UserError, match=message):
        run(ex.model, inputs, mode="float")


def test_bad_weights_files_are_named(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"cell": {"cell": "rnn"},
                                "params": {"W": [[1, 2]], "U": [[1, 2]], "b": [0]}}))
    with pytest.raises(UserError, match=r"w\.json.*U has shape 1×2"):
        load_model(path)
    path.write_text(json.dumps({"cell": {"cell": "rnn"}, "params": {"W": [[1]]}}))
    with pytest.raises(UserError, match="missing parameter U"):
        load_model(path)
    path.write_text("{not json")
    with pytest.raises(UserError, match="not valid JSON"):
        load_model(path)
    path.write_text(json.dumps({"weight_ih_l0": [[1, 2]], "weight_hh_l0": [[1]],
                                "bias_ih_l0": [1], "bias_hh_l0": [1], "extra": 1}))
    with pytest.raises(UserError, match="unknown key 'extra'"):
        load_model(path)
