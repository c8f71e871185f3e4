"""Float forward pass: ours vs PyTorch CPU, float64 and float32, in the same run (issue 15).

nn.LSTM with PyTorch's weights, batch 256, T = 100, input 64, hidden 128. Runs are
interleaved (torch64, ours64, torch32, ours32, then again, who goes first rotating) so a
neighbour's load hits all four alike; the figures are medians of --runs (default 9, at
least 7) runs, in wall time and in this process's CPU time (which a busy neighbour
inflates less: time spent waiting for the core is not counted).

Run:  python benchmarks/bench_forward.py [--threads N] [--runs N]     (needs torch)

Both libraries get the same number of threads (default 1): the BLAS variables are set
here before NumPy loads, and torch.set_num_threads. On this 2-core shared machine a
second thread mostly measures the neighbours.

GFLOP/s count the gate products only, 2·T·B·4m·(n + m + 1) (bias as one more column);
the elementwise work (~2% of the FLOPs) is left out, as usual. They are set against one
core's peak: FLOPs per cycle of its widest vector unit (two FMA pipes, as on Haswell and
later Intel, and AMD Zen 2 to 5) times the clock. /proc/cpuinfo often reports the nominal
clock under a hypervisor while the core boosts past it, so where a C compiler is at hand
the clock is measured (a chain of dependent integer adds, one cycle each). Beside it, the
practical peak: a 2048² dgemm/sgemm measured here with the same BLAS.

OPENBLAS_CORETYPE: where the environment pins OpenBLAS to an older kernel (this machine
sets Haswell, i.e. AVX2 only, for old OpenBLAS builds), NumPy's products are slower than
the CPU allows while torch (MKL) is not pinned. The script reports the kernel in use;
to measure the CPU's own kernel, unset both variables for this command alone:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_forward.py
(never change them for tests or CI).
"""

from __future__ import annotations

import os  # noqa: I001 (thread variables must be set before NumPy loads)
import statistics
import sys
import time

THREADS = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
RUNS = max(7, int(sys.argv[sys.argv.index("--runs") + 1])) if "--runs" in sys.argv else 9
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = THREADS  # before NumPy loads its BLAS

import ctypes  # noqa: E402
import glob  # noqa: E402

import numpy as np  # noqa: E402

from lstm_sym.numeric.run import run  # noqa: E402
from lstm_sym.numeric.weights import model_from_torch  # noqa: E402

BATCH, T, N, M = 256, 100, 64, 128
FLOPS = 2 * T * BATCH * 4 * M * (N + M + 1)


def cpu() -> tuple[str, set[str], float]:
    """Model name, flags and the clock (GHz) /proc/cpuinfo reports for the first core."""
    info: dict[str, str] = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            if not line.strip():
                break
            key, _, value = line.partition(":")
            info[key.strip()] = value.strip()
    return info.get("model name", "?"), set(info.get("flags", "").split()), \
        float(info.get("cpu MHz", "0")) / 1000


CLOCK_C = r"""
#include <stdio.h>
#include <time.h>
int main(void) {
    struct timespec a, b; long n = 200000000L, x = 0; double best = 0;
    for (int r = 0; r < 5; r++) {  /* CPU time of this thread: a busy neighbour does not count */
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
        for (long i = 0; i < n; i++)
            __asm__ volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0" : "+r"(x));
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
        double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) * 1e-9;
        if (4.0 * n / s > best) best = 4.0 * n / s;
    }
    printf("%f\n", best / 1e9);
    return 0;
}
"""


def measured_clock() -> float | None:
    """GHz from a chain of dependent adds (x86-64, needs cc); None where that cannot run."""
    import shutil
    import subprocess
    import tempfile
    if shutil.which("cc") is None or os.uname().machine != "x86_64":
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "clock.c"), os.path.join(tmp, "clock")
        with open(src, "w") as f:
            f.write(CLOCK_C)
        try:
            subprocess.run(["cc", "-O1", "-o", exe, src], check=True, capture_output=True)
            return float(subprocess.run([exe], check=True, capture_output=True, text=True).stdout)
        except (subprocess.CalledProcessError, ValueError):
            return None


def flops_per_cycle(flags: set[str], double: bool) -> int:
    """Two FMA pipes × lanes × 2 FLOPs (a multiply and an add)."""
    bits = 512 if "avx512f" in flags else 256 if {"avx2", "fma"} <= flags else 128
    return 2 * (bits // (64 if double else 32)) * 2


def openblas_kernel() -> str:
    """The kernel OpenBLAS picked at load (e.g. Haswell, SkylakeX), if it says."""
    here = os.path.dirname(np.__file__)
    for path in glob.glob(os.path.join(here, "..", "numpy.libs", "*openblas*")) + \
            glob.glob(os.path.join(here, "..", "scipy_openblas*", "lib", "*.so*")):
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                     "openblas_get_corename64_", "openblas_get_corename"):
            fn = getattr(lib, name, None)
            if fn is not None:
                fn.restype = ctypes.c_char_p
                return fn().decode()
    return "unknown"


def gemm_peak(dtype) -> float:
    """GFLOP/s of a 2048² matrix product: what this BLAS reaches on one core."""
    a = np.random.default_rng(0).standard_normal((2048, 2048)).astype(dtype)
    a @ a
    best = min(_timed2(lambda: a @ a)[1] for _ in range(3))  # CPU time: load-proof
    return 2 * 2048 ** 3 / best / 1e9


def _timed(fn) -> float:
    return _timed2(fn)[0]


def _timed2(fn) -> tuple[float, float]:
    """Wall and CPU seconds of one call."""
    wall, cpu_time = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu_time


def main() -> int:
    try:
        import torch
    except ImportError:
        print("torch is not installed: pip install torch==2.13.0", file=sys.stderr)
        return 1
    torch.set_num_threads(int(THREADS))
    torch.manual_seed(0)
    lstm64 = torch.nn.LSTM(N, M, batch_first=True).double()
    lstm32 = torch.nn.LSTM(N, M, batch_first=True)
    lstm32.load_state_dict({k: v.float() for k, v in lstm64.state_dict().items()})
    x64 = torch.randn(BATCH, T, N, dtype=torch.float64)
    x32 = x64.float()
    model = model_from_torch({k: v.tolist() for k, v in lstm64.state_dict().items()}, "lstm")
    xn64, xn32 = x64.numpy(), x32.numpy()

    with torch.no_grad():
        ref64, ref32 = lstm64(x64)[0].numpy(), lstm32(x32)[0].numpy()
    ours64 = run(model, xn64, keep=False).outputs
    ours32 = run(model, xn32, keep=False, dtype="float32").outputs
    assert ours32.dtype == np.float32
    err64, err32 = np.abs(ours64 - ref64).max(), np.abs(ours32 - ref32).max()
    assert err64 < 1e-12 and err32 < 1e-5, (err64, err32)

    def torch_run(lstm, x):
        with torch.no_grad():
            lstm(x)

    cases = {
        "torch nn.LSTM float64": lambda: torch_run(lstm64, x64),
        "lstm_sym float64": lambda: run(model, xn64, keep=False),
        "torch nn.LSTM float32": lambda: torch_run(lstm32, x32),
        "lstm_sym float32": lambda: run(model, xn32, keep=False, dtype="float32"),
    }
    for fn in cases.values():
        fn()  # warm up
    times: dict[str, list[float]] = {k: [] for k in cases}
    cpu_times: dict[str, list[float]] = {k: [] for k in cases}
    names = list(cases)
    for r in range(RUNS):
        for name in names[r % 4:] + names[:r % 4]:  # rotate who goes first
            wall, cpu_time = _timed2(cases[name])
            times[name].append(wall)
            cpu_times[name].append(cpu_time)
    med = {k: statistics.median(v) for k, v in times.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpu_times.items()}

    model_name, flags, reported = cpu()
    ghz = measured_clock() or reported
    load = os.getloadavg()
    peak = {d: flops_per_cycle(flags, d == "float64") * ghz for d in ("float64", "float32")}
    practical = {"float64": gemm_peak(np.float64), "float32": gemm_peak(np.float32)}
    print(f"CPU: {model_name}, {'AVX-512' if 'avx512f' in flags else 'AVX2'}, "
          f"{reported:.2f} GHz reported, {ghz:.2f} GHz {'measured' if ghz != reported else 'used'}; "
          f"{os.cpu_count()} cores, threads used: {THREADS} (torch {torch.get_num_threads()})")
    print(f"OpenBLAS kernel: {openblas_kernel()} (OPENBLAS_CORETYPE="
          f"{os.environ.get('OPENBLAS_CORETYPE', 'unset')}); load average at the end: "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"work: batch {BATCH}, T {T}, input {N}, hidden {M}: {FLOPS / 1e9:.2f} GFLOP per forward"
          f" (gate products); medians of {RUNS} interleaved runs, max |ours − torch| "
          f"float64 {err64:.1e}, float32 {err32:.1e}")
    for dtype in ("float64", "float32"):
        print(f"\n{dtype}: one core's peak {peak[dtype]:.0f} GFLOP/s "
              f"({flops_per_cycle(flags, dtype == 'float64')} FLOPs/cycle × {ghz:.2f} GHz), "
              f"practical (2048² gemm, this BLAS) {practical[dtype]:.0f} GFLOP/s")
        for name in (f"torch nn.LSTM {dtype}", f"lstm_sym {dtype}"):
            rate = FLOPS / cpu_med[name] / 1e9
            print(f"  {name:22s} wall median {med[name] * 1e3:7.1f} ms (min {min(times[name]) * 1e3:6.1f})"
                  f"  CPU median {cpu_med[name] * 1e3:7.1f} ms  {rate:6.1f} GFLOP/s = "
                  f"{rate / peak[dtype]:4.0%} of peak, {rate / practical[dtype]:4.0%} of practical")
        ratio = med[f"lstm_sym {dtype}"] / med[f"torch nn.LSTM {dtype}"]
        cpu_ratio = cpu_med[f"lstm_sym {dtype}"] / cpu_med[f"torch nn.LSTM {dtype}"]
        target = 1.0 if dtype == "float64" else 1.5
        print(f"  ratio ours/torch: wall medians {ratio:.2f}x, CPU-time medians {cpu_ratio:.2f}x "
              f"(target <= {target}x): {'met' if max(ratio, cpu_ratio) <= target else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
