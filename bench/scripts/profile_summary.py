#!/usr/bin/env python3
"""Summarises an async-profiler collapsed-stack file (one 'frame;frame;... count' per line): the share of
samples by leaf frame (self time) and by the posenc method nearest the leaf (where the time goes, in our code).
   profile_summary.py FILE.collapsed [TOP]"""
import collections, sys

path, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 25
leaf, ours, total = collections.Counter(), collections.Counter(), 0
for line in open(path):
    stack, _, n = line.rstrip().rpartition(' ')
    n = int(n); total += n
    frames = stack.split(';')
    leaf[frames[-1]] += n
    mine = [f for f in frames if 'dev/posenc' in f or 'dev.posenc' in f]
    ours[mine[-1] if mine else '(outside posenc) ' + frames[-1]] += n
for title, c in (('self time by leaf frame', leaf), ('by innermost posenc frame', ours)):
    print(f'== {title} ({total} samples)')
    for f, n in c.most_common(top):
        print(f'{100 * n / total:6.1f} %  {f[-110:]}')
