#!/usr/bin/env bash
# `posenc nas darts` at its defaults, end to end, with two or more CLI jars alternated round by round, so both see
# the same load. Per run: wall clock, process user CPU, and the per-seed seconds of results.csv (seed 0 carries the
# JIT warm-up, seeds 1 and 2 are close to steady state: compare those to see the kernels without the warm-up).
# The JVM runs as the `posenc` launcher runs it (-XX:-TieredCompilation); DARTS_JVM_OPTS adds options.
# Run from anywhere after building the jars to compare (models/target/posenc.jar; copy main's first):
#   JARS="base=/tmp/base.jar new=models/target/posenc.jar" ROUNDS=3 bench/scripts/darts_ab.sh > darts-ab.txt
set -euo pipefail
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
ROUNDS="${ROUNDS:-2}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
for r in $(seq 1 "$ROUNDS"); do
  for spec in $JARS; do
    name="${spec%%=*}" jar="${spec#*=}"
    rm -rf "$OUT/run"
    /usr/bin/time -o "$OUT/time" -f "%e %U" "$JAVA" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
      -XX:-TieredCompilation ${DARTS_JVM_OPTS:-} -jar "$jar" nas darts --out "$OUT/run" > /dev/null 2>&1
    read -r wall user < "$OUT/time"
    # seconds per seed: the larger of its alpha and perturbation rows (last column of results.csv)
    seeds="$(awk -F, 'NR > 1 && $NF > s[$1] { s[$1] = $NF } END { for (k = 0; k in s; k++) printf "%s%.1f", (k ? " " : ""), s[k] }' "$OUT/run/results.csv")"
    echo "round $r $name: $wall s wall, $user s user; seed seconds $seeds; load $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
