#!/usr/bin/env python3
"""Shares of a step's CPU samples by where they land, from async-profiler collapsed stacks of StepBench
(only stacks through StepBench.step: with more than one thread, the workers' stacks lack the caller, so profile
with 1 thread, or read the shares as the calling thread's). Buckets are checked in order; the first match wins.
   profile_step_shares.py FILE.collapsed..."""
import collections, sys

BUCKETS = [  # (label, substring of a frame)
    ("register tiles (microkernel)", "MatmulMicrokernel.tile"),
    ("pack A", "MatmulBlocked.packA"),
    ("pack B", "MatmulBlocked.packPanel"),
    ("C tile add/store", "MatmulBlocked.addTile"),
    ("C tile add/store", "MatmulBlocked.storeTile"),
    ("other matmul (scalar path, driver)", "MatmulCpu"),
    ("first step: tape slab and overflow allocation (one-time)", "Tape.reset"),
    ("first step: tape slab and overflow allocation (one-time)", "allocateNativeSegment"),
    ("step memory zero-fill", "StepMemory"),
    ("gradient zero (parameter store)", "zeroGrad"),
    ("Adam", "AdamCpu"),
    ("Fourier features / sin, cos", "FourierCpu"),
    ("Fourier features / sin, cos", "SinCos"),
    ("activations", "ActivationCpu"),
    ("element-wise", "ElementwiseCpu"),
    ("reductions (bias grad)", "ReduceCpu"),
    ("loss", "LossCpu"),
    ("thread hand-off", "Parallel.forEach"),
]
for path in sys.argv[1:]:
    c, total = collections.Counter(), 0
    for line in open(path):
        stack, _, n = line.rstrip().rpartition(' ')
        if 'StepBench.step' not in stack: continue
        n = int(n); total += n
        label = next((l for l, f in BUCKETS if f in stack), "other")
        c[label] += n
    print(f"== {path}: {total} samples in StepBench.step")
    for l, n in c.most_common(): print(f"{100 * n / total:6.1f} %  {l}")
