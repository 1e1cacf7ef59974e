#!/usr/bin/env bash
# Session 9: the matrix product's blocking, base against new, JMH, alternated ROUNDS times with the FMA peak
# measured in each round (one thread and two). JARS="name=path ..." of benchmarks.jar builds; SHAPES as MatmulBench's
# mkn parameter; THREADS; FORMS.
set -euo pipefail
java=("${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --add-modules=jdk.incubator.vector
      --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation -XX:+UseG1GC --sun-misc-unsafe-memory-access=allow)
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; start $(date -u +%FT%TZ)"
first="${JARS%% *}"; first="${first#*=}"
for round in $(seq 1 "${ROUNDS:-3}"); do
  "${java[@]}" -jar "$first" fma --quick 2>&1 | grep -E "^FmaPeakBench.(one|two)Thread(s)?:gflop" | sed "s/^/round $round /"
  for pair in $JARS; do
    name="${pair%%=*}" jar="${pair#*=}"
    "${java[@]}" -jar "$jar" matmul -f 1 -wi 3 -w 1s -i 5 -r 1s -p impl=posenc -p "mkn=${SHAPES:-1024x1024x1024}" \
        -p "threads=${THREADS:-1}" -p "form=${FORMS:-NN}" 2>&1 | grep -E "^MatmulBench" | grep -v ":" | sed "s/^/round $round $name /"
  done
done
