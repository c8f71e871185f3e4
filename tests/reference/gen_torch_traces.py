#!/usr/bin/env python
"""Generate torch_traces.json: forward traces and autograd gradients from PyTorch.

Run from anywhere:  python tests/reference/gen_torch_traces.py
Writes torch_traces.json next to this script.  Needs torch; the test suite
itself only reads the JSON.  Everything is float64; each case seeds torch with
its own seed, so the output is reproducible and adding a case does not change
the others.

Every case is stored in one uniform layout (see README.md): sequences are
batch-first, [batch][T][features]; initial/final states are
[layers][batch][features].  Cell cases (LSTMCell/GRUCell/RNNCell, one step) use
the same layout with T = 1 and layers = 1.

"internals" are computed by an independent step-by-step re-implementation of
PyTorch's documented equations (below) and the script asserts that it
reproduces the module's outputs, h_n and c_n to 1e-12.

  LSTM:  i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)
         f = sigmoid(W_if x + b_if + W_hf h + b_hf)
         g = tanh   (W_ig x + b_ig + W_hg h + b_hg)
         o = sigmoid(W_io x + b_io + W_ho h + b_ho)
         c' = f * c + i * g ;  h' = o * tanh(c')   [; h' = W_hr h' if proj_size > 0]
         (weight_ih rows are stacked [i; f; g; o])
  GRU:   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
         z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
         n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
         h' = (1 - z) * n + z * h
         (weight_ih rows are stacked [r; z; n])
  RNN:   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)   (or relu)
"""
from __future__ import annotations

import json
from pathlib import Path

try:
    import torch
    from torch import nn
except ImportError:  # a fixture generator, never imported by the suite (tests/conftest.py)
    raise SystemExit("this script needs PyTorch: pip install torch==2.13.0") from None

OUT = Path(__file__).resolve().parent / "torch_traces.json"
DTYPE = torch.float64
TOL = 1e-12
BATCH = 2

# name, module, input_size, hidden_size, num_layers, bias, proj_size, nonlinearity, T, zero_state
CASES = [
    ("lstm_lecture_i3_h1", "LSTM", 3, 1, 1, True, 0, None, 4, False),
    ("lstm_l1_bias", "LSTM", 3, 2, 1, True, 0, None, 5, False),
    ("lstm_l1_nobias", "LSTM", 4, 3, 1, False, 0, None, 4, False),
    ("lstm_l1_zero_state", "LSTM", 3, 2, 1, True, 0, None, 4, True),
    ("lstm_l2_bias", "LSTM", 3, 3, 2, True, 0, None, 5, False),
    ("lstm_l2_nobias", "LSTM", 4, 2, 2, False, 0, None, 4, False),
    ("lstm_l1_proj", "LSTM", 4, 3, 1, True, 2, None, 5, False),
    ("gru_l1_bias", "GRU", 3, 3, 1, True, 0, None, 6, False),
    ("gru_l1_nobias", "GRU", 4, 2, 1, False, 0, None, 4, False),
    ("rnn_tanh_l1_bias", "RNN", 3, 3, 1, True, 0, "tanh", 6, False),
    ("rnn_tanh_l1_nobias", "RNN", 4, 2, 1, False, 0, "tanh", 4, False),
    ("rnn_relu_l1_bias", "RNN", 3, 2, 1, True, 0, "relu", 5, False),
    ("lstmcell_bias", "LSTMCell", 3, 2, 1, True, 0, None, 1, False),
    ("lstmcell_nobias", "LSTMCell", 4, 3, 1, False, 0, None, 1, False),
    ("grucell_bias", "GRUCell", 3, 3, 1, True, 0, None, 1, False),
    ("rnncell_tanh_bias", "RNNCell", 4, 2, 1, True, 0, "tanh", 1, False),
]


def build(module, i, h, layers, bias, proj, nl):
    if module == "LSTM":
        return nn.LSTM(i, h, num_layers=layers, bias=bias, proj_size=proj, batch_first=True)
    if module == "GRU":
        return nn.GRU(i, h, num_layers=layers, bias=bias, batch_first=True)
    if module == "RNN":
        return nn.RNN(i, h, num_layers=layers, bias=bias, nonlinearity=nl, batch_first=True)
    if module == "LSTMCell":
        return nn.LSTMCell(i, h, bias=bias)
    if module == "GRUCell":
        return nn.GRUCell(i, h, bias=bias)
    if module == "RNNCell":
        return nn.RNNCell(i, h, bias=bias, nonlinearity=nl)
    raise ValueError(module)


def layer_params(sd, module, layer):
    """(W_ih, W_hh, b_ih, b_hh, W_hr) for one layer; biases are zeros when absent."""
    sfx = "" if module.endswith("Cell") else f"_l{layer}"
    w_ih = sd["weight_ih" + sfx]
    w_hh = sd["weight_hh" + sfx]
    b_ih = sd.get("bias_ih" + sfx, torch.zeros(w_ih.shape[0], dtype=DTYPE))
    b_hh = sd.get("bias_hh" + sfx, torch.zeros(w_hh.shape[0], dtype=DTYPE))
    w_hr = sd.get("weight_hr" + sfx)
    return w_ih, w_hh, b_ih, b_hh, w_hr


def reference(module, sd, x, h0, c0, layers, nl):
    """Step-by-step forward pass. x: [B,T,I]; h0/c0: [L,B,*].

    Returns (outputs [B,T,out], h_n [L,B,*], c_n [L,B,H] or None, internals list).
    """
    kind = module.replace("Cell", "")
    seq = x
    h_n, c_n, internals = [], [], []
    for layer in range(layers):
        w_ih, w_hh, b_ih, b_hh, w_hr = layer_params(sd, module, layer)
        h = h0[layer]
        c = c0[layer] if c0 is not None else None
        rec: dict[str, list] = {}

        def push(**kw):
            for k, v in kw.items():
                rec.setdefault(k, []).append(v)

        for t in range(seq.shape[1]):
            xt = seq[:, t, :]
            gx = xt @ w_ih.T + b_ih
            gh = h @ w_hh.T + b_hh
            if kind == "LSTM":
                i_pre, f_pre, g_pre, o_pre = (gx + gh).chunk(4, dim=1)
                i, f, g, o = i_pre.sigmoid(), f_pre.sigmoid(), g_pre.tanh(), o_pre.sigmoid()
                c = f * c + i * g
                m = o * c.tanh()
                h = m @ w_hr.T if w_hr is not None else m
                push(i_pre=i_pre, f_pre=f_pre, g_pre=g_pre, o_pre=o_pre,
                     i=i, f=f, g=g, o=o, c=c, h=h)
                if w_hr is not None:
                    push(h_unproj=m)
            elif kind == "GRU":
                rx, zx, nx = gx.chunk(3, dim=1)
                rh, zh, nh = gh.chunk(3, dim=1)
                r_pre, z_pre = rx + rh, zx + zh
                r, z = r_pre.sigmoid(), z_pre.sigmoid()
                n_pre = nx + r * nh
                n = n_pre.tanh()
                h = (1 - z) * n + z * h
                push(r_pre=r_pre, z_pre=z_pre, n_x=nx, n_h=nh, n_pre=n_pre,
                     r=r, z=z, n=n, h=h)
            else:
                pre = gx + gh
                h = pre.tanh() if nl == "tanh" else pre.relu()
                push(pre=pre, h=h)
        internals.append({k: torch.stack(v, dim=1) for k, v in rec.items()})  # [B,T,*]
        seq = internals[-1]["h"]
        h_n.append(h)
        if c is not None:
            c_n.append(c)
    return seq, torch.stack(h_n), (torch.stack(c_n) if c_n else None), internals


def run_case(idx, name, module, i, hdim, layers, bias, proj, nl, T, zero_state):
    seed = 1000 + idx
    torch.manual_seed(seed)
    m = build(module, i, hdim, layers, bias, proj, nl).to(DTYPE)
    with torch.no_grad():
        for p in m.parameters():
            p.uniform_(-1.0, 1.0)
    is_cell = module.endswith("Cell")
    is_lstm = module.startswith("LSTM")
    out_size = proj if proj > 0 else hdim

    x = (torch.rand(BATCH, T, i, dtype=DTYPE) * 4 - 2).requires_grad_()  # uniform(-2, 2)
    if zero_state:
        h0 = torch.zeros(layers, BATCH, out_size, dtype=DTYPE)
        c0 = torch.zeros(layers, BATCH, hdim, dtype=DTYPE) if is_lstm else None
    else:
        h0 = torch.rand(layers, BATCH, out_size, dtype=DTYPE) * 2 - 1
        c0 = (torch.rand(layers, BATCH, hdim, dtype=DTYPE) * 2 - 1) if is_lstm else None
    h0.requires_grad_()
    if c0 is not None:
        c0.requires_grad_()
    G = torch.rand(BATCH, T, out_size, dtype=DTYPE) * 2 - 1

    # Forward through the PyTorch module.
    if is_cell:
        assert T == 1 and layers == 1
        if is_lstm:
            h1, c1 = m(x[:, 0, :], (h0[0], c0[0]))
            c_n = c1.unsqueeze(0)
        else:
            h1 = m(x[:, 0, :], h0[0])
            c_n = None
        out = h1.unsqueeze(1)
        h_n = h1.unsqueeze(0)
    elif is_lstm:
        out, (h_n, c_n) = m(x, (h0, c0))
    else:
        out, h_n = m(x, h0)
        c_n = None

    loss = (G * out).sum()
    loss.backward()

    sd = {k: v.detach() for k, v in m.state_dict().items()}

    # Independent re-implementation; must match to TOL.
    with torch.no_grad():
        r_out, r_hn, r_cn, internals = reference(
            module, sd, x.detach(), h0.detach(), None if c0 is None else c0.detach(), layers, nl)
    checks = [("outputs", r_out, out), ("h_n", r_hn, h_n)]
    if c_n is not None:
        checks.append(("c_n", r_cn, c_n))
    for label, a, b in checks:
        assert a.shape == b.shape, (name, label, a.shape, b.shape)
        err = (a - b.detach()).abs().max().item()
        assert err <= TOL, f"{name}: re-implementation {label} differs by {err}"

    grads = {k: p.grad.tolist() for k, p in m.named_parameters()}
    grads["inputs"] = x.grad.tolist()
    grads["h0"] = h0.grad.tolist()
    if c0 is not None:
        grads["c0"] = c0.grad.tolist()

    case = {
        "name": name,
        "module": module,
        "seed": seed,
        "batch_size": BATCH,
        "seq_len": T,
        "config": {
            "input_size": i,
            "hidden_size": hdim,
            "num_layers": layers,
            "bias": bias,
            "proj_size": proj,
            "nonlinearity": nl,
        },
        "state_dict": {k: v.tolist() for k, v in sd.items()},
        "inputs": x.detach().tolist(),
        "h0": h0.detach().tolist(),
    }
    if c0 is not None:
        case["c0"] = c0.detach().tolist()
    case["outputs"] = out.detach().tolist()
    case["h_n"] = h_n.detach().tolist()
    if c_n is not None:
        case["c_n"] = c_n.detach().tolist()
    case["internals"] = [{k: v.tolist() for k, v in layer.items()} for layer in internals]
    case["upstream"] = G.tolist()
    case["loss"] = loss.item()
    case["grads"] = grads
    return case


def main():
    torch.use_deterministic_algorithms(True)
    cases = [run_case(idx, *spec) for idx, spec in enumerate(CASES)]
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names))
    text = "[\n" + ",\n".join(json.dumps(c) for c in cases) + "\n]\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(cases)} cases, {len(text)} bytes)")


if __name__ == "__main__":
    main()
