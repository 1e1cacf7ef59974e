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
# "run" unpacks the runtime, prints nvidia-smi and the cuBLAS the machine has (for a later FFM binding,
# toolchain.md §4), runs the GPU tests (GpuTestMain), then GpuBench (posenc, CUDA events) and
# bench/pytorch/gpu_bench.py (eager fp32, eager TF32, torch.compile), and merges both into one table.
set -euo pipefail
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
  bash "$ROOT/bench/gpu-round.sh" run   # the same step on this CPU: GPU parts skip and say why
}

run() {
  local work java out
  work="$(mktemp -d)"
  tar -C "$work" -xJf "$ROUND/jre25.tar.xz"
  java="$work/jre25/bin/java"
  local cp; cp="$(ls "$ROUND"/lib/*.jar | tr '\n' ':')"
  local flags=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation
               -Djava.io.tmpdir="$work")
  echo "== machine"; nvidia-smi || echo "nvidia-smi: not available"
  echo "== cuBLAS libraries present (for a later FFM binding)"
  find / -xdev -name 'libcublas.so*' 2>/dev/null | head -5 || true
  echo "== GPU tests"
  local tests=0
  "$java" "${flags[@]}" -Dkernels.expected=true -cp "$cp" dev.posenc.cuda.GpuTestMain > "$work/tests.log" 2>&1 \
    || tests=$?
  grep -v 'incubator' "$work/tests.log" || true
  echo "== benchmarks"
  out="$work/posenc.tsv"
  "$java" "${flags[@]}" -cp "$cp" dev.posenc.cuda.GpuBench 2>&1 | grep -v 'incubator' | tee "$out"
  if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    python3 "$ROOT/bench/pytorch/gpu_bench.py" --posenc "$out"
  else
    echo "PyTorch with CUDA not available here: no comparison table"
  fi
  rm -rf "$work"
  return "$tests"
}

case "$MODE" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: bench/gpu-round.sh prepare|run" >&2; exit 2 ;;
esac
