#!/usr/bin/env bash
# Issue 13: old against new code against PyTorch, alternated in one run, so that a moving load hits all three alike.
# Per round: StepBench from each jar in turn (tags and jars in JARS, "tag=path ..."), then bench/pytorch/fit_image.py
# (the perf_round.sh command, OPENBLAS_CORETYPE/L2_SIZE unset). Prints uptime beside every figure and a summary of
# medians over the rounds with each jar's speed-up against PyTorch.
#   JARS="base=/tmp/base.jar new=bench/target/benchmarks.jar" bench/scripts/step_ab.sh OUT_DIR
#   Environment: ENCODINGS (gaussian,lff), THREADS (2), SIZE (256), STEPS (20), ROUNDS (2), NICE (5)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:?OUT_DIR}" encodings="${ENCODINGS:-gaussian,lff}" threads="${THREADS:-2}" size="${SIZE:-256}"
steps="${STEPS:-20}" rounds="${ROUNDS:-2}" nice_n="${NICE:-5}"
jars="${JARS:?JARS=\"tag=path ...\"}"
mkdir -p "$out"
java_bin="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
sigma="$(python3 -c "print(10*$size/512)")"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; start $(date -u +%FT%TZ); uptime: $(uptime)" \
  | tee "$out/machine.txt"
: > "$out/fit-step.txt"
for round in $(seq 1 "$rounds"); do
  for tj in $jars; do
    tag="${tj%%=*}" jar="${tj#*=}"
    echo "== round $round, posenc $tag; uptime: $(uptime)" | tee -a "$out/fit-step.txt"
    nice -n "$nice_n" "$java_bin" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
      -XX:-TieredCompilation --sun-misc-unsafe-memory-access=allow -cp "$jar" dev.posenc.bench.StepBench \
      "$encodings" "$size" "$threads" "$steps" 2>/dev/null | sed "s/^step /step-$tag /" | tee -a "$out/fit-step.txt" \
      | grep '^step'
  done
  echo "== round $round, PyTorch; uptime: $(uptime)" | tee -a "$out/fit-step.txt"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE nice -n "$nice_n" /usr/bin/python3 bench/pytorch/fit_image.py \
    --image astronaut --size "$size" --steps "$steps" --encodings "$encodings" --sigma "$sigma" --lff-features 512 \
    --lff-hidden 256 --lff-dim 256 --lr "gaussian=1e-3,lff=3e-3" --eval-every 100000 --threads "$threads" \
    --out "$out/pytorch-$round.csv" >/dev/null
  python3 -c "import csv,sys; [print(f\"torch {r['encoding']}: {1000/float(r['steps_per_second']):.1f} ms/step\") for r in csv.DictReader(open(sys.argv[1]))]" \
    "$out/pytorch-$round.csv" | tee -a "$out/fit-step.txt"
done
echo "done $(date -u +%FT%TZ); uptime: $(uptime)" | tee -a "$out/fit-step.txt"
python3 - "$out/fit-step.txt" <<'PY' | tee "$out/summary.txt"
import re, statistics, sys
java, cpu, torch = {}, {}, {}
for line in open(sys.argv[1]):
    m = re.match(r"step-(\S+) (\S+) .*?: ([\d.]+) ms/step.*process CPU ([\d.]+) ms/step", line)
    if m: java.setdefault((m[2], m[1]), []).append(float(m[3])); cpu.setdefault((m[2], m[1]), []).append(float(m[4]))
    m = re.match(r"torch (\S+): ([\d.]+) ms/step", line)
    if m: torch.setdefault(m[1], []).append(float(m[2]))
for (enc, tag), v in java.items():
    j, t = statistics.median(v), statistics.median(torch.get(enc, [float("nan")]))
    print(f"{enc} {tag}: posenc {j:.1f} ms/step {v}, CPU {statistics.median(cpu[(enc, tag)]):.0f} ms/step; "
          f"PyTorch {t:.1f} {torch.get(enc)}; speed-up {t / j:.2f}x")
PY
