"""Float64 forward pass: ours vs PyTorch CPU in the same run (issue 3, benchmark a).

batch 256, T = 100, input 64, hidden 128, nn.LSTM with PyTorch's weights.
Run: python benchmarks/bench_forward.py [--threads N]   (needs torch; prints ours/torch)

Both libraries get the same number of BLAS/intra-op threads (default 1: on a shared
2-core machine a second thread mostly measures the neighbours' load).
"""

from __future__ import annotations

import os  # noqa: I001 (thread variables must be set before NumPy loads)
import statistics
import sys
import time

THREADS = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = THREADS  # before NumPy loads its BLAS

import numpy as np  # noqa: E402

from lstm_sym.numeric.run import run  # noqa: E402
from lstm_sym.numeric.weights import model_from_torch  # noqa: E402

BATCH, T, N, M = 256, 100, 64, 128


def best_of(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> int:
    try:
        import torch
    except ImportError:
        print("torch is not installed: pip install torch==2.13.0", file=sys.stderr)
        return 1
    torch.set_num_threads(int(THREADS))
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(N, M, batch_first=True).double()
    x = torch.randn(BATCH, T, N, dtype=torch.float64)
    state = {k: v.tolist() for k, v in lstm.state_dict().items()}
    model = model_from_torch(state, "lstm")
    xn = x.numpy()

    with torch.no_grad():
        ref = lstm(x)[0].numpy()
    ours = run(model, xn, mode="float", keep=False).outputs
    assert np.allclose(ours, ref, atol=1e-12), "outputs differ from torch"

    def torch_run():
        with torch.no_grad():
            lstm(x)

    def ours_run():
        run(model, xn, mode="float", keep=False)

    torch_run(), ours_run()  # warm up
    t_best, t_med = best_of(torch_run)
    o_best, o_med = best_of(ours_run)
    print(f"threads: torch {torch.get_num_threads()}")
    print(f"torch nn.LSTM float64   best {t_best * 1e3:8.1f} ms   median {t_med * 1e3:8.1f} ms")
    print(f"lstm_sym float          best {o_best * 1e3:8.1f} ms   median {o_med * 1e3:8.1f} ms")
    print(f"ratio ours/torch (best) {o_best / t_best:.2f}x   (target <= 1.2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
