#!/usr/bin/env python
"""Generate torch_worksheets.json: the per-step values PyTorch computes for the cells the
worksheet tests trace from a state_dict (a GRU with two hidden units and an LSTM with two).

Run from anywhere:  python tests/reference/gen_torch_worksheets.py
Writes torch_worksheets.json next to this script. Needs torch; the test suite only reads
the JSON (and re-runs PyTorch live where it is installed). Everything is float64; each
case seeds torch with its own seed, so the output is reproducible.

Per step the script records PyTorch's documented quantities, computed from the module's
own parameters, and asserts that its step-by-step values reproduce the module's output
and final states to 1e-12:

  GRU:  r_pre = W_ir x + b_ir + W_hr h + b_hr, r = sigmoid(r_pre)
        z_pre = W_iz x + b_iz + W_hz h + b_hz, z = sigmoid(z_pre)
        n_pre = W_in x + b_in + r * (W_hn h + b_hn), n = tanh(n_pre)
        h' = (1 - z) * n + z * h
  LSTM: i_pre, f_pre, g_pre, o_pre = W_i* x + b_i* + W_h* h + b_h*
        i, f, o = sigmoid(.), g = tanh(g_pre), c' = f * c + i * g, h' = o * tanh(c')
"""
from __future__ import annotations

import json
from pathlib import Path

try:
    import torch
    from torch import nn
except ImportError:  # a fixture generator, never imported by the suite (tests/conftest.py)
    raise SystemExit("this script needs PyTorch: pip install torch==2.13.0") from None

OUT = Path(__file__).resolve().parent / "torch_worksheets.json"
DTYPE = torch.float64
TOL = 1e-12

# name, module, input_size, hidden_size, T, with initial states
CASES = [
    ("gru_i3_h2", "GRU", 3, 2, 4, True),
    ("lstm_i3_h2", "LSTM", 3, 2, 4, True),
    ("gru_i2_h1", "GRU", 2, 1, 3, False),
]


def _rows(t: torch.Tensor) -> list:
    return t.detach().tolist()


def gru_steps(mod: nn.GRU, x: torch.Tensor, h: torch.Tensor) -> tuple[list, torch.Tensor]:
    w_ih, w_hh = mod.weight_ih_l0, mod.weight_hh_l0
    b_ih, b_hh = mod.bias_ih_l0, mod.bias_hh_l0
    H = mod.hidden_size
    steps = []
    for xt in x:
        gi, gh = w_ih @ xt + b_ih, w_hh @ h + b_hh
        r_pre, z_pre = gi[:H] + gh[:H], gi[H:2 * H] + gh[H:2 * H]
        r, z = torch.sigmoid(r_pre), torch.sigmoid(z_pre)
        n_pre = gi[2 * H:] + r * gh[2 * H:]
        n = torch.tanh(n_pre)
        h = (1 - z) * n + z * h
        steps.append({"r_pre": r_pre, "z_pre": z_pre, "r": r, "z": z, "n_pre": n_pre, "n": n,
                      "h": h})
    return [{k: _rows(v) for k, v in s.items()} for s in steps], h


def lstm_steps(mod: nn.LSTM, x: torch.Tensor, h: torch.Tensor, c: torch.Tensor):
    w_ih, w_hh = mod.weight_ih_l0, mod.weight_hh_l0
    b_ih, b_hh = mod.bias_ih_l0, mod.bias_hh_l0
    H = mod.hidden_size
    steps = []
    for xt in x:
        pre = (w_ih @ xt + b_ih) + (w_hh @ h + b_hh)
        i_pre, f_pre, g_pre, o_pre = pre[:H], pre[H:2 * H], pre[2 * H:3 * H], pre[3 * H:]
        i, f, g, o = torch.sigmoid(i_pre), torch.sigmoid(f_pre), torch.tanh(g_pre), \
            torch.sigmoid(o_pre)
        c = f * c + i * g
        h = o * torch.tanh(c)
        steps.append({"i_pre": i_pre, "f_pre": f_pre, "g_pre": g_pre, "o_pre": o_pre, "i": i,
                      "f": f, "g": g, "o": o, "c": c, "h": h})
    return [{k: _rows(v) for k, v in s.items()} for s in steps], h, c


def case(index: int, name: str, module: str, n: int, m: int, steps: int, states: bool) -> dict:
    torch.manual_seed(2000 + index)
    mod = getattr(nn, module)(n, m, batch_first=True).to(DTYPE)
    with torch.no_grad():
        for prm in mod.parameters():
            prm.uniform_(-1, 1)
    x = torch.rand(steps, n, dtype=DTYPE) * 4 - 2
    h0 = torch.rand(m, dtype=DTYPE) * 2 - 1 if states else torch.zeros(m, dtype=DTYPE)
    c0 = torch.rand(m, dtype=DTYPE) * 2 - 1 if states else torch.zeros(m, dtype=DTYPE)
    with torch.no_grad():
        if module == "GRU":
            out, h_n = mod(x[None], h0[None, None])
            rows, h = gru_steps(mod, x, h0)
            finals = {"h": h}
        else:
            out, (h_n, c_n) = mod(x[None], (h0[None, None], c0[None, None]))
            rows, h, c = lstm_steps(mod, x, h0, c0)
            finals = {"h": h, "c": c}
            assert torch.allclose(c, c_n[0, 0], atol=TOL, rtol=0)
    assert torch.allclose(h, h_n[0, 0], atol=TOL, rtol=0)
    mine = torch.tensor([r["h"] for r in rows], dtype=DTYPE)
    assert torch.allclose(mine, out[0], atol=TOL, rtol=0)
    data = {"name": name, "module": module, "seed": 2000 + index,
            "config": {"input_size": n, "hidden_size": m},
            "state_dict": {k: _rows(v) for k, v in mod.state_dict().items()},
            "inputs": _rows(x), "steps": rows, "final": {k: _rows(v) for k, v in finals.items()}}
    if states:
        data["h0"] = _rows(h0)
        if module == "LSTM":
            data["c0"] = _rows(c0)
    return data


def main() -> None:
    cases = [case(i, *spec) for i, spec in enumerate(CASES)]
    lines = ",\n".join(json.dumps(c) for c in cases)
    OUT.write_text("[\n" + lines + "\n]\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(cases)} cases, torch {torch.__version__})")


if __name__ == "__main__":
    main()
