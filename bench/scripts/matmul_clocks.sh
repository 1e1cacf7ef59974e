#!/usr/bin/env bash
# JMH's MatmulBench fork against the in-process harness (MatmulCpuTime.java) on the same product, alternating
# PAIRS times, each printing wall-time and thread-CPU-time GFLOP/s (bench/RESULTS.md, issue 13, "JMH against the
# harness"). ISOLATE=1 (root): after a warm-up, the one timing thread of each (JMH's worker, the harness's main) is
# moved to SCHED_FIFO on CPU 1, so that its wall time is not shared with other processes; the JIT's threads stay
# unpinned. That takes CPU 1 from everything else for the length of a run (~15 s): use it briefly on a shared machine.
#   bench/scripts/matmul_clocks.sh [M K N]        Environment: PAIRS (3), ISOLATE (0), IMPL (posenc)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
m="${1:-1024}" k="${2:-1024}" n="${3:-1024}" pairs="${PAIRS:-3}" isolate="${ISOLATE:-0}"
[[ -f bench/target/benchmarks.jar ]] || ./posenc bench --list >/dev/null
java=("${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --add-modules=jdk.incubator.vector
      --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation -cp bench/target/benchmarks.jar)
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

fifo() { taskset -p -c 1 "$1" >/dev/null && chrt -f -p 10 "$1"; }

jmh() {
  OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-SkylakeX}" "${java[@]}" dev.posenc.bench.MatmulBench -f 1 -wi 6 -w 1s -i 5 \
    -r 1s -p impl="${IMPL:-posenc}" -p threads=1 -p mkn="${m}x${k}x${n}" -p form=NN > "$tmp/jmh.txt" 2>&1 &
  local host=$!
  if [[ "$isolate" == 1 ]]; then
    sleep 4.5   # past the fork's start and its first warm-up iterations; its worker's name starts with the class
    for t in /proc/[0-9]*/task/*; do
      grep -q '^dev.posenc.benc' "$t/comm" 2>/dev/null && fifo "${t##*/}" || true
    done
  fi
  wait "$host"
  grep -A1 '^MxKxN' "$tmp/jmh.txt" | tail -1
}

harness() {
  if [[ "$isolate" == 1 ]]; then
    TID_FILE="$tmp/tid" "${java[@]}" bench/scripts/MatmulCpuTime.java "$m" "$k" "$n" NN 1 300 > "$tmp/h.txt" 2>/dev/null &
    local pid=$!
    while [[ ! -s "$tmp/tid" ]] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    [[ -s "$tmp/tid" ]] && fifo "$(cat "$tmp/tid")"
    wait "$pid"; rm -f "$tmp/tid"
    cat "$tmp/h.txt"
  else
    "${java[@]}" bench/scripts/MatmulCpuTime.java "$m" "$k" "$n" NN 1 300 2>/dev/null
  fi
}

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; isolate=$isolate; $(date -u +%FT%TZ)"
echo "JMH columns: MxKxN form threads impl ms/op GFLOP/s(wall) GFLOP/s(cpu)"
for i in $(seq 1 "$pairs"); do
  echo "pair $i JMH:     $(jmh) | load $(cut -d' ' -f1 /proc/loadavg)"
  echo "pair $i harness: $(harness) | load $(cut -d' ' -f1 /proc/loadavg)"
done
