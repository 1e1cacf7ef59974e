#!/usr/bin/env bash
# Issue 3's side-by-side: ./posenc fit-image and its PyTorch twin (bench/pytorch/fit_image.py) on the same image,
# settings and thread count, one after the other in one run, then one Markdown table (PSNR and steps/s).
#   bench/scripts/fit_image_compare.sh [OUT_DIR] [extra fit-image flags, also understood by fit_image.py]
# Environment: THREADS (default 2), SIZE (128), STEPS (300), ENCODINGS (none,basic,positional,gaussian,lff).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-bench/results/fit-image}"
threads="${THREADS:-2}" size="${SIZE:-128}" steps="${STEPS:-300}"
encodings="${ENCODINGS:-none,basic,positional,gaussian,lff}"
mkdir -p "$out"
# The Java defaults (FitConfig.defaults): σ = 10·S/512, positional scale 6 + log2(S/512), LFF F 512, H 256, D 256, γ = 1/(2πσ).
sigma="$(python3 -c "print(10*$size/512)")"
scale="$(python3 -c "import math; print(6+math.log2($size/512))")"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; uptime: $(uptime)"
echo "== posenc (threads $threads)"
./posenc --threads "$threads" fit-image astronaut --size "$size" --steps "$steps" --encodings "$encodings" \
  --out "$out/posenc" | tr '\r' '\n' | grep -v ' ETA '
echo "uptime: $(uptime)"
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') (threads $threads)"
env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/pytorch/fit_image.py --image astronaut --size "$size" --steps "$steps" \
  --encodings "$encodings" --sigma "$sigma" --posenc-scale "$scale" --lff-features 512 --lff-hidden 256 --lff-dim 256 \
  --lr "none=1e-2,basic=1e-2,positional=1e-3,gaussian=1e-3,lff=3e-3" --eval-every 25 --threads "$threads" --out "$out/pytorch.csv" --curves "$out/pytorch-curves.csv"
echo "uptime: $(uptime)"
python3 - "$out/posenc/results.csv" "$out/pytorch.csv" <<'PY'
import csv, sys
java = {r["encoding"]: r for r in csv.DictReader(open(sys.argv[1]))}
torch = {r["encoding"]: r for r in csv.DictReader(open(sys.argv[2]))}
print("| encoding | posenc test PSNR | PyTorch test PSNR | Δ dB | posenc train PSNR | PyTorch train PSNR "
      "| posenc steps/s | PyTorch steps/s | speed ratio |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, j in java.items():
    t = torch.get(name)
    if t is None: continue
    jt, tt = float(j["test_psnr"]), float(t["test_psnr"])
    js, ts = float(j["steps_per_second"]), float(t["steps_per_second"])
    print(f"| {name} | {jt:.2f} | {tt:.2f} | {jt - tt:+.2f} | {float(j['train_psnr']):.2f} | "
          f"{float(t['train_psnr']):.2f} | {js:.1f} | {ts:.1f} | {js / ts:.2f}× |")
PY
