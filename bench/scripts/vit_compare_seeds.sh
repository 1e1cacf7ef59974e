#!/usr/bin/env bash
# Issue 5's study: ./posenc compare-pe for several seeds (same data order and budget per seed across encodings),
# then the median over seeds per encoding, as Markdown tables: the end results, then convergence (vit_curves.py).
#   bench/scripts/vit_compare_seeds.sh [OUT_DIR] [extra compare-pe flags]
# Environment: SEEDS (default "0 1 2"), THREADS (2), POSENC (the launcher, default ./posenc: point it at a
# frozen copy to keep rebuilding the working tree during a long study from touching a running JVM).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-bench/results/vit-compare}"; shift || true
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; start $(date -u +%FT%TZ); uptime: $(uptime)"
for seed in ${SEEDS:-0 1 2}; do
  ${POSENC:-./posenc} --threads "${THREADS:-2}" compare-pe --seed "$seed" --out "$out/seed-$seed" "$@" | tr '\r' '\n' | grep -v ' ETA '
  echo "seed $seed done $(date -u +%FT%TZ); uptime: $(uptime)"
done
python3 - "$out" <<'PY'
import csv, glob, statistics, sys
runs = [list(csv.DictReader(open(f))) for f in sorted(glob.glob(sys.argv[1] + "/seed-*/results.csv"))]
print(f"\nmedian over {len(runs)} seeds (min–max in brackets)\n")
print("| encoding | test accuracy | unseen-size accuracy | steps to 85 % | steps/s |")
print("|---|---:|---:|---:|---:|")
def cell(values, fmt):
    if not values: return "n/a"
    return f"{fmt(statistics.median(values))} [{fmt(min(values))}–{fmt(max(values))}]"
for i, row in enumerate(runs[0]):
    rows = [r[i] for r in runs]
    acc = [float(r["test_accuracy"]) for r in rows]
    unseen = [float(r["unseen_accuracy"]) for r in rows if r["unseen_accuracy"][:1].isdigit()]
    reach = [int(r["steps_to_85"]) for r in rows if r["steps_to_85"]]
    sps = [float(r["steps_per_second"]) for r in rows]
    pct = lambda v: f"{100 * v:.2f} %"
    print(f"| {row['encoding']} | {cell(acc, pct)} | "
          f"{cell(unseen, pct) if unseen else 'n/a: cannot extrapolate'} | "
          f"{cell(reach, str) if len(reach) == len(rows) else f'reached in {len(reach)} of {len(rows)} seeds'} | "
          f"{cell(sps, lambda v: f'{v:.2f}')} |")
PY
echo
bench/scripts/vit_curves.py "=$out"
