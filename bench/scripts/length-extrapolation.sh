#!/usr/bin/env bash
# CAPE's length-extrapolation comparison (issue 12): reverse, trained on n ≤ 32, tested at 32, 64, 128, five absolute
# position encodings over three seeds. Writes out/length/{results.csv,results.md,length.png}.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec ./posenc train-seq --task reverse --pe none,sine1d,embed1d,cape1d,lff --seeds 0,1,2 \
    --dim 64 --heads 4 --layers 2 --steps "${STEPS:-400}" --batch 32 --lr 2e-3 --eval-every 100 \
    --train-length 32 --test-lengths 32,64,128 --out "${OUT:-out/length}" "$@"
