#!/usr/bin/env python3
"""Turns `./posenc bench fma matmul fourier --json FILE` output into the Markdown tables of bench/RESULTS.md.

Derived numbers (llm.c's napkin maths): matmul GFLOP/s = 2·M·N·K / time; FMA peak GFLOP/s = calls/s ×
FLOP per call (12 chains × 2 FLOP × lanes × 2^16, lanes from --lanes); Fourier scores are positions/s.
Every figure is given as median [min, max] over the measurement iterations.
Usage: summarize_cpu.py RESULTS.json [--lanes 8]
"""
import argparse
import json


def span(r, f=lambda v: v):
    """median [low, high] after f; f may reverse the order (a time turned into a rate)."""
    lo, hi = sorted((f(r["min"]), f(r["max"])))
    return f"{f(r['median']):.1f} [{lo:.1f}, {hi:.1f}]"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--lanes", type=int, default=8, help="float lanes of SPECIES_PREFERRED on the machine")
    args = ap.parse_args()
    rows = json.load(open(args.results))

    fma = [r for r in rows if r["name"].startswith("FmaPeakBench")]
    if fma:
        per_call = 12 * 2 * args.lanes * (1 << 16) * 1e-9
        print("| FMA peak | GFLOP/s median [min, max] |\n|---|---|")
        for r in fma:
            print(f"| {r['name'].split('.')[1]} | {span(r, lambda v: v * per_call)} |")
        print()

    mm = [r for r in rows if r["name"].startswith("MatmulBench")]
    if mm:
        def gflops(r):
            m, n, k = (int(v) for v in r["params"]["mkn"].split("x"))
            return lambda ms: 2.0 * m * n * k / (ms * 1e-3) * 1e-9
        by = {(r["params"]["mkn"], r["params"]["threads"], r["params"]["impl"]): r for r in mm}
        shapes = sorted({k[0] for k in by}, key=lambda s: [int(v) for v in s.split("x")])
        print("| M×N×K | threads | posenc GFLOP/s | OpenBLAS GFLOP/s | posenc / OpenBLAS (medians) |")
        print("|---|---|---|---|---|")
        for s in shapes:
            for t in ("1", "2"):
                p, o = by.get((s, t, "posenc")), by.get((s, t, "openblas"))
                if not p or not o:
                    continue
                print(f"| {s} | {t} | {span(p, gflops(p))} | {span(o, gflops(o))} | "
                      f"{o['median'] / p['median']:.2f}× |")
        print()
        print("| M×N×K | posenc 2 threads / 1 thread | OpenBLAS 2 threads / 1 thread |\n|---|---|---|")
        for s in shapes:
            ratio = lambda impl: by[(s, "1", impl)]["median"] / by[(s, "2", impl)]["median"]
            print(f"| {s} | {ratio('posenc'):.2f}× | {ratio('openblas'):.2f}× |")
        print()

    fo = [r for r in rows if r["name"].startswith("FourierBench.")]
    if fo:
        by = {(r["name"].split(".")[1], r["params"].get("threads")): r for r in fo}
        print("| Fourier projection, N=65,536 M=2 K=128 | threads | Mpositions/s median [min, max] |")
        print("|---|---|---|")
        for (name, t), r in sorted(by.items()):
            print(f"| {name} | {t} | {span(r, lambda v: v / 1e6)} |")
        print()
        print("| fused / unfused (medians) | 1 thread | 2 threads |\n|---|---|---|")
        for fused, unfused in (("fusedForward", "unfusedForward"), ("fusedBackward", "unfusedBackward")):
            cells = []
            for t in ("1", "2"):
                f, u = by.get((fused, t)), by.get((unfused, t))
                cells.append(f"{f['median'] / u['median']:.2f}×" if f and u else "n/a")
            print(f"| {fused} / {unfused} | {cells[0]} | {cells[1]} |")
        print()

    sin = [r for r in rows if r["name"].startswith("SinBench")]
    if sin:
        print("| sin over 1M floats | Gfloats/s median [min, max] |\n|---|---|")
        for r in sin:
            print(f"| {r['name'].split('.')[1]} | {span(r, lambda v: v / 1e9)} |")


if __name__ == "__main__":
    main()
