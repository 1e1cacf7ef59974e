#!/usr/bin/env bash
# Issue 5's cross-check: the same ViT study levers in PyTorch (bench/pytorch/vit.py --train-epochs), three seeds,
# so that an effect seen in posenc can be told apart from a posenc artefact.
#   bench/scripts/vit_pytorch_levers.sh [EPOCHS]       Environment: SEEDS ("0 1 2"), THREADS (1), TRAIN_LIMIT (10000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
epochs="${1:-1}"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; start $(date -u +%FT%TZ); uptime: $(uptime)"
runs=("embed1d PAPER 0.02" "lff PAPER 0.02" "lff UNIT 0.02" "lff-only PAPER 0.02" "lff-only UNIT 0.02"
      "embed1d PAPER 0.65")
[[ -n "${RUNS:-}" ]] && IFS=, read -ra runs <<< "$RUNS"
for seed in ${SEEDS:-0 1 2}; do
  for run in "${runs[@]}"; do
    set -- $run
    env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/pytorch/vit.py --threads "${THREADS:-1}" --pe "$1" \
      --lff-amplitude "$2" --table-std "$3" --seed "$seed" --train-epochs "$epochs" \
      --train-limit "${TRAIN_LIMIT:-10000}"
  done
done
echo "end $(date -u +%FT%TZ)"
