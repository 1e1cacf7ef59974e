# Phase table from Phases.java's collapsed stacks: each sample goes to the innermost frame matching a phase.
import sys, re, math, collections, gzip
PH = [  # (phase, regex on a frame), innermost match wins
 ("fwd FFT (dif)", r"FftInPlace\.dif"), ("inv FFT (dit)", r"FftInPlace\.dit"),
 ("realPost", r"FftInPlace\.realPost"), ("realPre", r"FftInPlace\.realPre"),
 ("pointwise X*spec", r"ToeplitzCpu\.multiply(Lanes|ScalarLanes)|ToeplitzInPlace\.inverseProduct"),
 ("b grad cross", r"ToeplitzInPlace\.cross|ToeplitzCpu\.crossLanes|Lanes\.sums"),
 ("pack", r"ToeplitzCpu\.pack"), ("unpack", r"ToeplitzCpu\.unpackChunk"),
 ("narrow 65th col", r"ToeplitzNarrow"),
 ("weight spectra/addWeightGrad", r"ToeplitzCpu\.(columnSpectrum|addWeightGrad)|ToeplitzInPlace\.byPosition|FftCpu\.real(Forward|Inverse)"),
 ("rpe O(nmd) loops", r"RpeKernelAttention\.(outer|contract|contractBack|outerBack)\b|RpeKernelAttention\.(outer|contract)"),
 ("rpe serial (w, wRev, db)", r"RpeKernelAttention\.(apply|lambda)"),
 ("feature maps", r"KernelFeatures"), ("ratio", r"KernelRatio"),
 ("tape alloc/zero", r"StepMemory|TensorMemory|Tape\.alloc"),
 ("inputs (rng)", r"Rng\.|AttentionScaling\.measure"),
 ("idle/park", r"park|Unsafe_Park|futex|LockSupport|ForkJoinPool\.awaitWork"),
 ("JIT/GC/VM", r"CompileBroker|C2Compiler|GCTaskThread|G1|VMThread|Compile::"),
]
def load(f):
    c = collections.Counter(); tot = 0
    for line in (gzip.open(f, "rt") if f.endswith(".gz") else open(f)):
        stack, k = line.rsplit(' ', 1); k = int(k); fr = stack.split(';'); tot += k
        ph = "other"
        for frame in reversed(fr):
            hit = next((p for p, r in PH if re.search(r, frame)), None)
            if hit: ph = hit; break
        c[ph] += k
    return c, tot
ns = [int(x) for x in sys.argv[2:]]; runs = {}
for line in open(sys.argv[1] + "/log.txt"):
    m = re.match(r"n=(\d+) runs=(\d+)", line)
    if m: runs[int(m.group(1))] = int(m.group(2))
data = {n: load(f"{sys.argv[1]}/{n}.collapsed.gz") for n in ns}
phases = [p for p, _ in PH] + ["other"]
print("ms of CPU per run (1 ms samples / runs); then ratio to n/2 (n log n ideal 2n: %s)" % " ".join("%.2f" % (2*math.log2(2*n)/math.log2(n)) for n in ns[1:]))
print("%-30s" % "phase" + "".join("%9d" % n for n in ns) + "".join("%8s" % ("x%dk" % (n // 1024)) for n in ns[1:]))
for p in phases + ["ALL"]:
    v = [(data[n][1] if p == "ALL" else data[n][0][p]) / runs[n] for n in ns]
    if max(v) < 1: continue
    print("%-30s" % p + "".join("%9.1f" % x for x in v) + "".join("%8.2f" % (v[i] / v[i-1] if v[i-1] > 0 else float('nan')) for i in range(1, len(v))))
