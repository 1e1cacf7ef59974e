#!/usr/bin/env bash
# The CUDA backend's device round: one call on the GPU machine runs the GPU tests and the posenc-vs-PyTorch
# benchmark, and prints one table. Two steps:
#
#   1. here (no GPU needed):  bench/gpu-round.sh prepare
#        builds the jars (nvcc must be present so the jar has kernels), jlinks a trimmed Java 25 runtime
#        (toolchain.md §8: 5 modules, stripped, ~20 MB as .tar.xz), and puts runtime + jars in out/gpu-round/
#        (about 32 MB; the device call may carry 64 MiB). It then runs the same "run" step on this machine's
#        CPU to prove the runtime and class path work: the GPU tests skip there with the probe's reason.
#   2. on the device:  run tool, carry ["out/gpu-round"], command "bash bench/gpu-round.sh run", timeout ~500 s
#
# "run" checks the machine first (GPU, driver >= R580, CUDA version; no GPU: exits 3 in seconds, saying why),
# then runs each stage under `timeout`, tee'd into $OUT (the device tool brings $OUT back): the GPU tests
# (GpuTestMain: every kernel against the CPU backend, including split-K TN and NT, the embedding gather and
# scatter-add, the label-tensor losses, and the run-to-run bit equality of the two-pass reductions),
# compute-sanitizer on them when present, GpuBench (posenc, CUDA events) and
# bench/pytorch/gpu_bench.py (eager fp32, eager TF32, torch.compile last), which merges both into one table.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
ROUND="$ROOT/out/gpu-round"
MODE="${1:-}"

prepare() {
  export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
  [[ -x /usr/local/cuda/bin/nvcc ]] || { echo "prepare: nvcc missing, the jar would have no kernels" >&2; exit 1; }
  rm -rf "$ROUND" && mkdir -p "$ROUND/lib"
  (cd "$ROOT" && ./mvnw -B -q -o -pl cuda -am package -DskipTests \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$ROUND/cp.txt")
  # the file has no trailing newline: add one, or read drops the last jar (junit-jupiter-engine)
  { tr ':' '\n' < "$ROUND/cp.txt"; echo; } | while read -r jar; do [[ -n "$jar" ]] && cp "$jar" "$ROUND/lib/"; done
  cp "$ROOT/cuda/target/posenc-cuda-0.1.0-SNAPSHOT.jar" "$ROUND/lib/"
  "$JAVA_HOME/bin/jar" cf "$ROUND/lib/posenc-cuda-tests.jar" -C "$ROOT/cuda/target/test-classes" .
  rm "$ROUND/cp.txt"
  "$JAVA_HOME/bin/jlink" --add-modules java.base,jdk.incubator.vector,jdk.unsupported,java.logging,java.management \
    --compress=zip-9 --strip-debug --no-header-files --no-man-pages --output "$ROUND/jre25"
  strip --strip-unneeded "$ROUND/jre25/lib/server/libjvm.so" "$ROUND"/jre25/lib/*.so 2>/dev/null || true
  tar -C "$ROUND" -cJf "$ROUND/jre25.tar.xz" jre25 && rm -rf "$ROUND/jre25"
  du -sh "$ROUND" "$ROUND"/* | sed 's/^/prepare: /'
  echo "prepare: done; 'run' on this machine stops at the preflight (no GPU), as it should" 
}

# The driver must be new enough for nvcc 13's PTX ISA 9.0 (cuda/pom.xml) and sm_90a.
MIN_DRIVER=580

# Prints the GPU, driver and CUDA version, or why there is none; non-zero (3) stops the round in seconds.
preflight() {
  command -v nvidia-smi >/dev/null || { echo "preflight: no nvidia-smi on PATH: no NVIDIA driver, so no GPU here"; return 3; }
  local q
  q="$(timeout 20 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1)" \
    || { echo "preflight: nvidia-smi failed: $q"; return 3; }
  [[ -n "$q" ]] || { echo "preflight: nvidia-smi lists no GPU"; return 3; }
  local cuda driver
  cuda="$(timeout 20 nvidia-smi 2>/dev/null | sed -n 's/.*CUDA Version: *\([0-9.]*\).*/\1/p' | head -1)"
  driver="$(echo "$q" | head -1 | cut -d, -f2 | tr -d ' ')"
  echo "preflight: GPU ${q}; CUDA (driver API) ${cuda:-unknown}"
  [[ "${driver%%.*}" =~ ^[0-9]+$ ]] || { echo "preflight: cannot read the driver version from '$q'"; return 3; }
  (( ${driver%%.*} >= MIN_DRIVER )) || { echo "preflight: driver $driver is older than R$MIN_DRIVER (PTX ISA 9.0, sm_90a)"; return 3; }
  [[ -f "$ROUND/jre25.tar.xz" ]] || { echo "preflight: $ROUND/jre25.tar.xz missing: run 'bench/gpu-round.sh prepare' here first and carry out/gpu-round"; return 3; }
}

# stage NAME SECONDS CMD...: runs CMD under timeout, tee'd into $OUT/NAME.log; records its status, never stops the round.
stage() {
  local name="$1" secs="$2"; shift 2
  echo "== $name (at most ${secs}s)"
  timeout --kill-after=5 "$secs" "$@" 2>&1 | grep --line-buffered -v 'incubator' | tee "$OUT/$name.log"
  local rc="${PIPESTATUS[0]}"
  [[ "$rc" == 124 || "$rc" == 137 ]] && echo "$name: TIMED OUT after ${secs}s" | tee -a "$OUT/$name.log"
  echo "$name $rc" >> "$OUT/status.txt"
  return 0
}

# Every stage runs whatever the one before did (no set -e): PyTorch's numbers come even when posenc's fail.
# Budget, worst case: preflight 40 + tests 90 + sanitizer 80 + posenc 110 + torch check 30 + PyTorch 120 = 470 s
# < 8 min. POSENC_SYNC=1 synchronises after every launch (a fault names
# its kernel); compute-sanitizer runs the small kernel tests when the machine has it.
run() {
  set +e
  OUT="${OUT:-$ROUND/logs}"; mkdir -p "$OUT"; : > "$OUT/status.txt"
  preflight 2>&1 | tee "$OUT/preflight.log"
  local pre="${PIPESTATUS[0]}"
  if [[ "$pre" != 0 ]]; then echo "gpu-round: stopped at the preflight (see $OUT/preflight.log)" >&2; return "$pre"; fi
  local work java cp
  work="$(mktemp -d)"
  tar -C "$work" -xJf "$ROUND/jre25.tar.xz"
  java="$work/jre25/bin/java"
  cp="$(ls "$ROUND"/lib/*.jar | tr '\n' ':')"
  local flags=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation
               -Djava.io.tmpdir="$work" -Dposenc.cuda.sync="${POSENC_SYNC:-false}")
  nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1
  stage gpu-tests 90 "$java" "${flags[@]}" -Dkernels.expected=true -cp "$cp" dev.posenc.cuda.GpuTestMain
  if command -v compute-sanitizer >/dev/null; then
    stage sanitizer 80 compute-sanitizer --tool memcheck --error-exitcode 9 "$java" "${flags[@]}" -Dkernels.expected=true \
      -Dposenc.cuda.sync=true -cp "$cp" dev.posenc.cuda.GpuTestMain
  else
    echo "sanitizer: compute-sanitizer not on PATH: skipped" | tee "$OUT/sanitizer.log"
  fi
  stage posenc-bench 110 "$java" "${flags[@]}" -cp "$cp" dev.posenc.cuda.GpuBench
  grep -v '^==' "$OUT/posenc-bench.log" > "$OUT/posenc.tsv"
  if timeout 30 python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    stage pytorch-bench 120 python3 "$ROOT/bench/pytorch/gpu_bench.py" --posenc "$OUT/posenc.tsv"
  else
    echo "PyTorch with CUDA not available here: no comparison table" | tee "$OUT/pytorch-bench.log"
  fi
  rm -rf "$work"
  echo "== status (stage exit code)"; cat "$OUT/status.txt"
  awk '$2 != 0 { bad = 1 } END { exit bad }' "$OUT/status.txt"
}

case "$MODE" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: bench/gpu-round.sh prepare|run" >&2; exit 2 ;;
esac
