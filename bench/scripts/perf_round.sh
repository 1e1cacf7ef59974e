#!/usr/bin/env bash
# Issue 13's round of speed figures, each with its peer in the same run (about 10 minutes on 2 quiet cores):
#   1. fit-image steps at SIZE² (gaussian, lff): posenc (StepBench: median step, share in products, the same
#      products alone) and PyTorch (bench/pytorch/fit_image.py), alternated ROUNDS times;
#   2. the ViT training step (train-vit defaults, lff, batch 128) against PyTorch (vit_step_time.sh);
#   3. JMH: the product forms at the training shapes against OpenBLAS sgemm, 1 and 2 threads, and 1024³ on 1.
#   bench/scripts/perf_round.sh [OUT_DIR]     Environment: THREADS (2), SIZE (256), STEPS (30), ROUNDS (2),
#   SKIP (any of fit,vit,jmh, comma-separated). Prints `uptime` beside every figure; writes OUT_DIR/*.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-bench/results/perf-round}" threads="${THREADS:-2}" size="${SIZE:-256}" steps="${STEPS:-30}"
rounds="${ROUNDS:-2}" skip="${SKIP:-}"
mkdir -p "$out"
./posenc --version >/dev/null 2>&1 || true   # builds the jars if sources changed
[[ -f bench/target/benchmarks.jar ]] || ./posenc bench --list >/dev/null
java_bin="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
jvm=("$java_bin" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation
     --sun-misc-unsafe-memory-access=allow -cp bench/target/benchmarks.jar)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; start $(date -u +%FT%TZ); uptime: $(uptime)" \
  | tee "$out/machine.txt"

if [[ ",$skip," != *",fit,"* ]]; then
  sigma="$(python3 -c "print(10*$size/512)")"
  : > "$out/fit-step.txt"
  for round in $(seq 1 "$rounds"); do
    echo "== round $round, posenc StepBench; uptime: $(uptime)" | tee -a "$out/fit-step.txt"
    "${jvm[@]}" 2>/dev/null dev.posenc.bench.StepBench gaussian,lff "$size" "$threads" "$steps" \
      | tee -a "$out/fit-step.txt" | grep '^step'
    echo "== round $round, PyTorch; uptime: $(uptime)" | tee -a "$out/fit-step.txt"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/pytorch/fit_image.py --image astronaut \
      --size "$size" --steps "$steps" --encodings gaussian,lff --sigma "$sigma" --lff-features 512 --lff-hidden 256 \
      --lff-dim 256 --lr "gaussian=1e-3,lff=3e-3" --eval-every 100000 --threads "$threads" \
      --out "$out/pytorch-$round.csv" >/dev/null
    python3 -c "import csv,sys; [print(f\"torch {r['encoding']}: {1000/float(r['steps_per_second']):.1f} ms/step\") for r in csv.DictReader(open(sys.argv[1]))]" \
      "$out/pytorch-$round.csv" | tee -a "$out/fit-step.txt"
  done
  python3 - "$out/fit-step.txt" <<'PY' | tee "$out/fit-summary.txt"
import re, statistics, sys
java, torch, alone = {}, {}, {}
for line in open(sys.argv[1]):
    m = re.match(r"step (\S+) .*?: ([\d.]+) ms/step.*products alone ([\d.]+) ms", line)
    if m: java.setdefault(m[1], []).append(float(m[2])); alone.setdefault(m[1], []).append(float(m[3]))
    m = re.match(r"torch (\S+): ([\d.]+) ms/step", line)
    if m: torch.setdefault(m[1], []).append(float(m[2]))
for e in java:
    j, t, a = statistics.median(java[e]), statistics.median(torch.get(e, [float("nan")])), statistics.median(alone[e])
    print(f"fit-image {e}: posenc {j:.1f} ms/step {java[e]}, PyTorch {t:.1f} ms/step {torch.get(e)}, "
          f"speed-up {t / j:.2f}x; step / its products alone {j / a:.2f}")
PY
fi

if [[ ",$skip," != *",vit,"* ]]; then
  echo "== ViT step; uptime: $(uptime)"
  ROUNDS="$rounds" THREADS="$threads" bench/scripts/vit_step_time.sh lff | tee "$out/vit-step.txt"
fi

if [[ ",$skip," != *",jmh,"* ]]; then
  blas=(env OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-SkylakeX}")
  jmh=(-f 1 -wi 3 -w 1s -i 5 -r 1s -p impl=posenc,openblas -p threads=1,2)
  echo "== JMH matmul, training shapes; uptime: $(uptime)" | tee "$out/matmul.txt"
  "${blas[@]}" "${jvm[@]}" dev.posenc.bench.MatmulBench "${jmh[@]}" -p mkn=4096x256x256,16384x256x256 -p form=NN,NT \
    2>/dev/null | sed -n '/^MxKxN/,$p' | tee -a "$out/matmul.txt"
  "${blas[@]}" "${jvm[@]}" dev.posenc.bench.MatmulBench "${jmh[@]}" -p mkn=256x4096x256,256x16384x256 -p form=TN \
    2>/dev/null | sed -n '/^MxKxN/,$p' | tee -a "$out/matmul.txt"
  "${blas[@]}" "${jvm[@]}" dev.posenc.bench.MatmulBench -f 1 -wi 3 -w 1s -i 5 -r 1s -p impl=posenc,openblas \
    -p threads=1 -p mkn=1024x1024x1024 -p form=NN 2>/dev/null | sed -n '/^MxKxN/,$p' | tee -a "$out/matmul.txt"
  echo "uptime after JMH: $(uptime)" | tee -a "$out/matmul.txt"
fi
echo "done $(date -u +%FT%TZ); uptime: $(uptime)"
