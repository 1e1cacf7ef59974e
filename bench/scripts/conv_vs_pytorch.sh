#!/usr/bin/env bash
# posenc's convolution-family kernels against PyTorch's, alternated: ROUNDS times (posenc ConvInterleaved, then
# bench/pytorch/conv_ops.py) on THREADS threads, so both see the same load. On 1 thread both time the thread's CPU
# time (ConvInterleaved does so by itself; conv_ops.py with --cpu), the figure that survives a loaded machine.
# Run from the repository root after a build (./posenc bench --list builds the jar):
#   bench/scripts/conv_vs_pytorch.sh [THREADS=2] [ROUNDS=2] > out.txt
set -euo pipefail
THREADS="${1:-2}"
ROUNDS="${2:-2}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
CPU_FLAG=""
[[ "$THREADS" == 1 ]] && CPU_FLAG="--cpu"
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r, posenc, $(date -u +%H:%M:%S), load: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$JAVA" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
    -cp bench/target/benchmarks.jar bench/scripts/ConvInterleaved.java "$THREADS" 5 2>&1 | grep -v -i 'warning'
  echo "== round $r, PyTorch, $(date -u +%H:%M:%S), load: $(cut -d' ' -f1-3 /proc/loadavg)"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/pytorch/conv_ops.py --threads "$THREADS" \
    --repeats 5 $CPU_FLAG
done
echo "== done $(date -u +%H:%M:%S), load: $(cut -d' ' -f1-3 /proc/loadavg)"
