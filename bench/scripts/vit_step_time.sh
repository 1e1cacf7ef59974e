#!/usr/bin/env bash
# Issue 5's speed comparison: training steps per second of ./posenc train-vit and its PyTorch twin
# (bench/pytorch/vit.py: the same model, batch and thread count), alternated ROUNDS times in one run so that both
# see the same machine load; prints every round and the medians.
#   bench/scripts/vit_step_time.sh [PE]      Environment: ROUNDS (3), THREADS (2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
pe="${1:-lff}" threads="${THREADS:-2}" tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; start $(date -u +%FT%TZ); uptime: $(uptime)"
java=() torch=()
for round in $(seq 1 "${ROUNDS:-3}"); do
  # 30 steps of batch 128 (3840 images), steps/s counted after 5 warm-up steps on both sides
  j="$(./posenc --threads "$threads" train-vit --pe "$pe" --epochs 1 --train-limit 3840 --test-limit 250 \
        --eval-every 1000 --out "$tmp/java" 2>&1 | tr '\r' '\n' | grep -o '([0-9.]* after' | tail -1 | tr -d '(' | cut -d' ' -f1)"
  t="$(env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/pytorch/vit.py --threads "$threads" --pe "$pe" --steps 30 \
        --warmup 5 | grep -o '[0-9.]* steps/s' | tail -1 | cut -d' ' -f1)"
  echo "round $round: posenc $j steps/s, PyTorch $t steps/s; uptime: $(uptime)"
  java+=("$j") torch+=("$t")
done
python3 - "${java[*]}" "${torch[*]}" <<'PY'
import statistics, sys
j = [float(v) for v in sys.argv[1].split()]; t = [float(v) for v in sys.argv[2].split()]
print(f"median posenc {statistics.median(j):.2f} steps/s [{min(j):.2f}, {max(j):.2f}], "
      f"PyTorch {statistics.median(t):.2f} [{min(t):.2f}, {max(t):.2f}], "
      f"ratio of medians {statistics.median(j) / statistics.median(t):.2f}x, "
      f"per-round ratios {', '.join(f'{a / b:.2f}' for a, b in zip(j, t))}")
PY
