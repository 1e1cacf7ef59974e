#!/usr/bin/env python3
"""CPU milliseconds per step by innermost posenc frame, from an async-profiler collapsed-stack file of
ProfileStep.java (only the timed steps are profiled): every product kernel is one bucket ("matmul (all)").
   profile_per_step.py FILE.collapsed STEPS [INTERVAL_MS (0.5)] [TOP (30)]"""
import collections, sys
path, steps, interval = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]) if len(sys.argv)>3 else 0.5
c = collections.Counter(); tot=0
for line in open(path):
    stack, _, n = line.rstrip().rpartition(' '); n=int(n); tot+=n
    fr = stack.split(';')
    mine=[f for f in fr if 'dev/posenc' in f]
    if not mine: c['(outside) '+fr[-1][:60]]+=n; continue
    leaf=mine[-1]
    if 'Matmul' in leaf: key='matmul (all)'
    else: key=leaf.split('/')[-1]
    c[key]+=n
print(f'total {tot*interval/steps:.1f} ms CPU/step')
for k,n in c.most_common(int(sys.argv[4]) if len(sys.argv)>4 else 30): print(f'{n*interval/steps:8.2f} ms/step {100*n/tot:5.1f} %  {k}')
