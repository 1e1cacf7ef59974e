#!/usr/bin/env bash
# Issue 13's op-family table: posenc's JMH benches (LayerNormBench, SoftmaxBench, AttentionBench, GeluBench,
# AdamBench, CrossEntropyBench; each checks its kernels against their scalar twins before timing) and their PyTorch
# peers (bench/pytorch/op_families.py: the same ops on the same shapes), on 2 and 1 threads, in one run so that
# both see the same machine load. Writes into OUTDIR: jmh.json, jmh.txt, pytorch.json, pytorch.txt and
# op_families.md (settings and the table of µs per call and PyTorch/posenc ratios). About 4–5 minutes.
#   bench/scripts/op_families.sh OUTDIR      Environment: THREADS ("2 1"), PYTORCH_TIME (1.0 s per case),
#                                            BENCHES (the six JMH classes above, space-separated).
set -euo pipefail
out="${1:?usage: bench/scripts/op_families.sh OUTDIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
threads="${THREADS:-2 1}" benches="${BENCHES:-LayerNormBench SoftmaxBench AttentionBench GeluBench AdamBench CrossEntropyBench}"
jmh=(-f 1 -wi 2 -w 500ms -i 3 -r 500ms -p "threads=${threads// /,}")
torch_args=(--threads $threads --time "${PYTORCH_TIME:-1.0}")
start="$(date -u +%FT%TZ)" load_before="$(uptime)"
# shellcheck disable=SC2086  # $benches and $threads are lists of words
./posenc bench $benches "${jmh[@]}" \
    --json "$out/jmh.json" | tee "$out/jmh.txt"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/pytorch/op_families.py "${torch_args[@]}" \
    --json "$out/pytorch.json" | tee "$out/pytorch.txt"
/usr/bin/python3 - "$out" "$start" "$load_before" "$(uptime)" "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores" \
    "./posenc bench $benches ${jmh[*]}" "bench/pytorch/op_families.py ${torch_args[*]}" <<'PY'
import json, os, sys
out, start, before, after, cpu, jmh_cmd, torch_cmd = sys.argv[1:]
jmh = json.load(open(os.path.join(out, "jmh.json")))
torch = {(r["name"], r["params"]["shape"], r["params"]["threads"]): r for r in json.load(open(os.path.join(out, "pytorch.json")))}
# PyTorch 1.13 has no fused CPU attention: the fused rows are compared with its materialised route.
peer_of = {"AttentionBench.fusedForward": "AttentionBench.materializedForward",
           "AttentionBench.fusedBackward": "AttentionBench.materializedBackward"}
lines = ["# Op families: posenc (JMH) vs PyTorch, same run", "",
         f"- start {start}, {cpu}",
         f"- load before: `{before.strip()}`; after: `{after.strip()}`",
         f"- posenc: `{jmh_cmd}` (AverageTime, µs per call; median of the measurement iterations, [min, max])",
         f"- PyTorch: `{torch_cmd}` (median of 5 rounds, [min, max]), OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset",
         "- ratio = PyTorch µs / posenc µs (> 1: posenc is faster). Shapes: bench/src/main/java/dev/posenc/bench/OpShape.java.",
         "", "| op | shape | threads | posenc µs | PyTorch µs | ratio |", "|---|---|---|---|---|---|"]
order = lambda r: (r["name"], r["params"]["shape"] != "vit", -int(r["params"]["threads"]))
for r in sorted(jmh, key=order):
    shape, threads = r["params"]["shape"], r["params"]["threads"]
    peer_name = peer_of.get(r["name"], r["name"])
    p = torch.get((peer_name, shape, threads))
    cell = lambda x: f"{x['median']:.1f} [{x['min']:.1f}, {x['max']:.1f}]"
    label = r["name"] + (" (PyTorch: materialised)" if peer_name != r["name"] else "")
    ratio = f"{p['median'] / r['median']:.2f}×" if p else "–"
    lines.append(f"| {label} | {shape} | {threads} | {cell(r)} | {cell(p) if p else '–'} | {ratio} |")
target = os.path.join(out, "op_families.md")
with open(target + ".tmp", "w") as f:
    f.write("\n".join(lines) + "\n")
os.replace(target + ".tmp", target)
print("\n".join(lines))
PY
