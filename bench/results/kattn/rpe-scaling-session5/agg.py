import sys, collections, re
def load(f):
    self_ = collections.Counter(); incl = collections.Counter(); tot = 0; thr = collections.Counter()
    for line in open(f):
        stack, n = line.rsplit(' ', 1); n = int(n); frames = stack.split(';'); tot += n
        leaf = frames[-1]; self_[leaf] += n
        seen = set()
        for fr in frames:
            if fr not in seen: incl[fr] += n; seen.add(fr)
    return self_, incl, tot
a = load(sys.argv[1]); b = load(sys.argv[2])
print("total samples", a[2], b[2], "ratio %.2f" % (b[2]/a[2]))
def short(s): return re.sub(r'dev/posenc/', '', s)[:90]
print("\nSELF top")
for k, v in (a[0] + b[0]).most_common(25): print("%6d %6d %5.2f  %s" % (a[0][k], b[0][k], b[0][k]/max(1,a[0][k]), short(k)))
print("\nINCLUSIVE selected")
keys = [k for k in (a[1]+b[1]) if re.search(r'(ToeplitzCpu|FftCpu|FftStages|RpeKernelAttention|ToeplitzNarrow|KernelRatio|StepMemory|Tape\.|KernelFeatures|Parallel)', k)]
for k in sorted(keys, key=lambda k: -(a[1][k]+b[1][k]))[:45]: print("%6d %6d %5.2f  %s" % (a[1][k], b[1][k], b[1][k]/max(1,a[1][k]), short(k)))
