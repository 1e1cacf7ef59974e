#!/usr/bin/env bash
# fft7's quiet rerun (issue 11: kernel-rpe's doublings), ~5–6 minutes on the quiet machine.
# Run from the checkout that holds branch fft7 (main after the merge, or /work/wt-fft7):  bash /work/notes/quiet7-fft7.sh
# 1. kernel-rpe forward + backward, main's jar at 290830f (A) against this build (B), alternated in one JVM, 3 rounds,
#    2 threads: wall and process CPU per n, per-round doublings (~1.5 min).
# 2. The default ./posenc attention-scaling (warm-up per n, 5 rounds interleaved over n; results.md lists the per-round
#    doublings and the min–max beside each median) (~3.5 min). The lead remakes the README plot from its scaling.png.
set -euo pipefail
cd "${REPO:-$(pwd)}"
OUT=bench/results/quiet-session7/fft7
mkdir -p "$OUT"
BASE=/work/runs/base-290830f-benchmarks.jar
./posenc bench --list >/dev/null                      # builds bench/target/benchmarks.jar (and posenc.jar) if stale
J="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation"
{ date -u; uptime; } > "$OUT/uptime.txt"
$J bench/scripts/RpeScalingAB.java "$BASE" bench/target/benchmarks.jar 3 4096 8192 16384 32768 65536 2>&1 \
  | grep -v 'incubator' | tee "$OUT/rpe-ab.txt"
./posenc attention-scaling --out "$OUT/attention-scaling" 2>&1 | grep -v 'incubator' | tee "$OUT/attention-scaling.txt"
{ date -u; uptime; } >> "$OUT/uptime.txt"
