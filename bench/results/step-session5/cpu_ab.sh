#!/bin/bash
# CPU ms per step (process CPU time, both threads) of the fit-image step, base vs new jar alternated
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for r in 1 2 3; do for t in base nc64; do
  echo "$t $1 round $r; $(uptime | sed 's/.*average/load average/'): $(nice -n 5 $J --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation -cp /tmp/step5/$t.jar:/tmp/perf-ap/async-profiler-4.2-linux-x64.jar:/tmp/step5/ps ProfileStep $1 2 ${2:-40} - 2>&1 | grep -v WARN)"
done; done
