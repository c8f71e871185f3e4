"""Live cross-checks against PyTorch, where it is installed (CI installs it).

The committed fixtures (tests/reference) cover the same ground without torch; these
draw fresh random configurations so a fixture cannot hide a mismatch.
"""

import numpy as np
import pytest

from lstm_sym.model.params import NetworkSpec, count_params
from lstm_sym.numeric.run import gradients, run
from lstm_sym.numeric.weights import model_from_torch, to_torch_names

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("seed", range(12))
def test_parameter_counts_live(seed):
    rng = np.random.default_rng(seed)
    kind = ["LSTM", "GRU", "RNN"][seed % 3]
    n, m = int(rng.integers(1, 40)), int(rng.integers(2, 40))
    layers, bidir, bias = int(rng.integers(1, 4)), bool(rng.integers(2)), bool(rng.integers(2))
    proj = int(rng.integers(1, m)) if kind == "LSTM" and rng.integers(2) else 0
    kwargs = {"proj_size": proj} if kind == "LSTM" else {}
    module = getattr(torch.nn, kind)(n, m, num_layers=layers, bidirectional=bidir, bias=bias,
                                     **kwargs)
    expected = sum(p.numel() for p in module.parameters())
    spec = NetworkSpec(kind.lower(), bias="double" if bias else "none", layers=layers,
                       bidirectional=bidir, proj=proj > 0)
    assert count_params(spec, input_size=n, hidden=m, proj_size=proj or None).total == expected


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_float_trace_and_gradients_live(kind):
    torch.manual_seed(11)
    module = getattr(torch.nn, kind)(4, 3, batch_first=True).double()
    x = torch.randn(2, 7, 4, dtype=torch.float64, requires_grad=True)
    out, _ = module(x)
    upstream = torch.randn_like(out)
    (out * upstream).sum().backward()
    state = {k: v.detach().tolist() for k, v in module.state_dict().items()}
    model = model_from_torch(state, kind.lower())
    ours = run(model, x.detach().numpy(), mode="float").outputs
    np.testing.assert_allclose(ours, out.detach().numpy(), atol=1e-12)
    g = gradients(model, x.detach().numpy(), upstream=upstream.numpy(), mode="float")
    for key, value in to_torch_names(model.cell, g.params[0], 0).items():
        np.testing.assert_allclose(value, dict(module.named_parameters())[key].grad.numpy(),
                                   atol=1e-10, err_msg=key)
    np.testing.assert_allclose(g.inputs, x.grad.numpy(), atol=1e-10)
