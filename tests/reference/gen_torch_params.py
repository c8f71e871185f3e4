#!/usr/bin/env python
"""Generate torch_params.json: PyTorch parameter counts and tensor shapes.

Run from anywhere:  python tests/reference/gen_torch_params.py
Writes torch_params.json next to this script.  Needs torch; the test suite
itself only reads the JSON.

Output: a JSON list, one entry per configuration:
  {"name", "module", "input_size", "hidden_size", "num_layers", "bidirectional",
   "proj_size", "bias", "nonlinearity", "total", "tensors": [{"name", "shape"}]}
"total" is sum(p.numel() for p in module.parameters()); "tensors" is
named_parameters() in PyTorch's order.
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path

try:
    import torch
    from torch import nn
except ImportError:  # a fixture generator, never imported by the suite (tests/conftest.py)
    raise SystemExit("this script needs PyTorch: pip install torch==2.13.0") from None

OUT = Path(__file__).resolve().parent / "torch_params.json"

SEQ = {"LSTM": nn.LSTM, "GRU": nn.GRU, "RNN": nn.RNN}
CELL = {"LSTMCell": nn.LSTMCell, "GRUCell": nn.GRUCell, "RNNCell": nn.RNNCell}


def configs():
    """Yield (module, input, hidden, layers, bidir, proj, bias, nonlinearity)."""
    seen = set()

    def add(module, i, h, layers=1, bidir=False, proj=0, bias=True, nl=None):
        if module in ("RNN", "RNNCell") and nl is None:
            nl = "tanh"
        key = (module, i, h, layers, bidir, proj, bias, nl)
        if key not in seen:
            seen.add(key)
            out.append(key)

    out: list[tuple] = []
    # The lecture's case first.
    add("LSTM", 3, 1)
    # Full grid over layers x direction x bias at a small size, every sequence module.
    for module in SEQ:
        for layers, bidir, bias in itertools.product((1, 2, 3), (False, True), (True, False)):
            add(module, 3, 10, layers, bidir, 0, bias)
    # Tiny and typical sizes, default options plus a few deep/bidirectional ones.
    for module in SEQ:
        for i, h in ((1, 1), (1, 3), (10, 64), (64, 128), (128, 256), (256, 128)):
            add(module, i, h)
        add(module, 64, 128, 2, True, 0, True)
        add(module, 128, 256, 3, False, 0, False)
    # RNN with relu (same parameters as tanh; recorded for completeness).
    add("RNN", 3, 10, 1, False, 0, True, "relu")
    add("RNN", 10, 64, 2, True, 0, True, "relu")
    # LSTM with projections (proj_size < hidden_size).
    for layers, bidir, bias in itertools.product((1, 2, 3), (False, True), (True, False)):
        add("LSTM", 10, 20, layers, bidir, 5, bias)
    add("LSTM", 3, 3, 1, False, 1)
    add("LSTM", 3, 3, 2, True, 2, False)
    add("LSTM", 1, 3, 1, False, 1)
    add("LSTM", 64, 128, 1, False, 64)
    add("LSTM", 64, 128, 2, True, 32)
    add("LSTM", 128, 256, 3, False, 128, False)
    add("LSTM", 256, 128, 1, True, 127)
    # Cells.
    for module in CELL:
        for (i, h), bias in itertools.product(((3, 1), (1, 1), (3, 10), (64, 128), (256, 128)),
                                              (True, False)):
            add(module, i, h, 1, False, 0, bias)
    add("RNNCell", 3, 10, 1, False, 0, True, "relu")
    return out


def build(module, i, h, layers, bidir, proj, bias, nl):
    if module in SEQ:
        kw = dict(num_layers=layers, bidirectional=bidir, bias=bias)
        if module == "LSTM":
            kw["proj_size"] = proj
        if module == "RNN":
            kw["nonlinearity"] = nl
        return SEQ[module](i, h, **kw)
    assert layers == 1 and not bidir and proj == 0
    kw = dict(bias=bias)
    if module == "RNNCell":
        kw["nonlinearity"] = nl
    return CELL[module](i, h, **kw)


def entry(cfg):
    module, i, h, layers, bidir, proj, bias, nl = cfg
    m = build(*cfg)
    tensors = [{"name": n, "shape": list(p.shape)} for n, p in m.named_parameters()]
    total = sum(p.numel() for p in m.parameters())
    assert total == sum(_prod(t["shape"]) for t in tensors)
    name = f"{module}-i{i}-h{h}-L{layers}-{'bi' if bidir else 'uni'}-p{proj}-{'bias' if bias else 'nobias'}"
    if nl is not None:
        name += f"-{nl}"
    return {
        "name": name,
        "module": module,
        "input_size": i,
        "hidden_size": h,
        "num_layers": layers,
        "bidirectional": bidir,
        "proj_size": proj,
        "bias": bias,
        "nonlinearity": nl,
        "total": total,
        "tensors": tensors,
    }


def _prod(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def main():
    torch.manual_seed(0)  # counts do not depend on values; seeded for reproducibility anyway
    entries = [entry(c) for c in configs()]
    names = [e["name"] for e in entries]
    assert len(names) == len(set(names)), "duplicate config names"
    text = "[\n" + ",\n".join(json.dumps(e) for e in entries) + "\n]\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(entries)} configurations, {len(text)} bytes)")


if __name__ == "__main__":
    main()
