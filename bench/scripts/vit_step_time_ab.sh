#!/usr/bin/env bash
# A/B of a kernel change on the ViT training step: a frozen launcher of the old build (BEFORE, e.g. a copy of
# models/target/posenc.jar behind a one-line java -jar script), this working tree's ./posenc, and PyTorch, alternated
# in each of 5 rounds so that all three see the same machine. Issue 5 used it for the own exp (before: 2483202).
#   BEFORE=/path/to/old-launcher bench/scripts/vit_step_time_ab.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
before="${BEFORE:?set BEFORE to a launcher of the old build}"
echo "start $(date -u +%FT%TZ); uptime: $(uptime)"
run_java() { "$1" --threads 2 train-vit --pe lff --epochs 1 --train-limit 3840 --test-limit 250 --eval-every 1000 \
  --out "$(mktemp -d)" 2>&1 | tr '\r' '\n' | grep -o '([0-9.]* after' | tail -1 | tr -d '(' | cut -d' ' -f1; }
for r in 1 2 3 4 5; do
  a="$(run_java "$before")"
  b="$(run_java ./posenc)"
  t="$(env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/pytorch/vit.py --threads 2 --pe lff --steps 30 --warmup 5 \
        | grep -o '[0-9.]* steps/s' | tail -1 | cut -d' ' -f1)"
  echo "round $r: before $a, after $b, PyTorch $t steps/s; uptime: $(uptime)"
done
echo "end $(date -u +%FT%TZ)"
