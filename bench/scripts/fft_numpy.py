#!/usr/bin/env python3
"""numpy's FFT on the sizes of FftBench: one real forward transform of n = 2^10 ... 2^16 (float32 input, as
posenc's; numpy computes in float64 internally and returns complex128), and 1024 rows of 256 (rfft along the
last axis). Prints median and spread (min, max) of repeated timings in microseconds, and GFLOP/s with the
same convention as FftBench: 2.5*n*log2(n) per real transform.

Run: python3 bench/scripts/fft_numpy.py  (single-threaded: numpy's pocketfft uses one thread)."""
import math
import platform
import statistics
import timeit

import numpy as np


def measure(fn, min_time=0.2, repeats=15):
    number = 1
    while timeit.timeit(fn, number=number) < min_time / 10:
        number *= 2
    times = [t / number * 1e6 for t in timeit.repeat(fn, number=number, repeat=repeats)]
    return statistics.median(times), min(times), max(times)


def main():
    rng = np.random.default_rng(1)
    print(f"numpy {np.__version__}, python {platform.python_version()}")
    print(f"{'case':>16} {'median us':>10} {'min':>9} {'max':>9} {'GFLOP/s':>8}")
    for e in range(10, 17):
        n = 1 << e
        x = rng.standard_normal(n).astype(np.float32)
        med, lo, hi = measure(lambda: np.fft.rfft(x))
        print(f"{'real n=' + str(n):>16} {med:10.2f} {lo:9.2f} {hi:9.2f} {2.5 * n * e / med / 1e3:8.2f}")
    rows = rng.standard_normal((1024, 256)).astype(np.float32)
    med, lo, hi = measure(lambda: np.fft.rfft(rows, axis=1))
    print(f"{'rows 1024x256':>16} {med:10.2f} {lo:9.2f} {hi:9.2f} {1024 * 2.5 * 256 * 8 / med / 1e3:8.2f}")


if __name__ == "__main__":
    main()
