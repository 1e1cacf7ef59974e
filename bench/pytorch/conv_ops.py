#!/usr/bin/python3
"""PyTorch's timings of the DARTS toy's convolution-family ops, the peer of ConvBench (./posenc bench conv).

Run with Debian's interpreter (torch 1.13, CPU) from the repository root, OpenBLAS variables unset:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/pytorch/conv_ops.py [--threads 2]
    ... conv_ops.py --threads 1 --cpu     (thread CPU time: the figure that survives a loaded machine)
Same shapes as ConvBench: batch 64, (C, side) = (8, 14) and (16, 7), float32, NCHW. forward: the op alone;
backward: torch.autograd.grad of the op's output with a fixed dOut for its inputs (x, and w for convolutions),
the graph kept from one forward. Prints one line per op, shape and pass: the median and the spread (min..max)
of 15 repeats of a timed loop, in microseconds per call.
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F


def timed(fn, min_seconds=0.2, clock=time.perf_counter):
    for _ in range(5):
        fn()
    n = 1
    while True:
        t0 = clock()
        for _ in range(n):
            fn()
        dt = clock() - t0
        if dt > min_seconds:
            return dt / n * 1e6, n
        n *= 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--cpu", action="store_true",
                    help="time the calling thread's CPU time (time.thread_time) instead of the wall clock: with "
                         "--threads 1 all the work runs on that thread, and a loaded machine inflates it less")
    args = ap.parse_args()
    if args.cpu and args.threads != 1:
        ap.error(f"--cpu: expected --threads 1 (other threads' CPU time is not counted), got --threads {args.threads}")
    clock = time.thread_time if args.cpu else time.perf_counter
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(5)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, mkldnn {torch.backends.mkldnn.is_available()}")
    for c, s in ((8, 14), (16, 7)):
        x = torch.randn(64, c, s, s, generator=gen)
        d_out = torch.randn(64, c, s, s, generator=gen)
        ops = {
            "conv3x3": (torch.randn(c, c, 3, 3, generator=gen), lambda x_, w_: F.conv2d(x_, w_, padding=1)),
            "dw3x3": (torch.randn(c, 1, 3, 3, generator=gen), lambda x_, w_: F.conv2d(x_, w_, padding=1, groups=c)),
            "dw3x3d2": (torch.randn(c, 1, 3, 3, generator=gen),
                        lambda x_, w_: F.conv2d(x_, w_, padding=2, dilation=2, groups=c)),
            "conv1x1": (torch.randn(c, c, 1, 1, generator=gen), lambda x_, w_: F.conv2d(x_, w_)),
            "avgpool": (None, lambda x_, w_: F.avg_pool2d(x_, 3, 1, 1, count_include_pad=False)),
            "maxpool": (None, lambda x_, w_: F.max_pool2d(x_, 3, 1, 1)),
            "batchnorm": (None, lambda x_, w_: F.batch_norm(x_, None, None, training=True, eps=1e-5)),
        }
        for name, (w, f) in ops.items():
            with torch.no_grad():
                fwd = [timed(lambda: f(x, w), clock=clock)[0] for _ in range(args.repeats)]
            xg = x.clone().requires_grad_(True)
            wg = None if w is None else w.clone().requires_grad_(True)
            y = f(xg, wg)
            inputs = (xg,) if wg is None else (xg, wg)
            bwd = [timed(lambda: torch.autograd.grad(y, inputs, d_out, retain_graph=True), clock=clock)[0]
                   for _ in range(args.repeats)]
            for pass_name, t in (("forward", fwd), ("backward", bwd)):
                print(f"{name:10s} {c}x{s:<3d} {pass_name:8s} median {statistics.median(t):9.1f} us  "
                      f"spread {min(t):.1f}..{max(t):.1f}")


if __name__ == "__main__":
    main()
