#!/usr/bin/env bash
# alternated CPU-time A/B of the fit-image step: ProfileStep without profiling, per jar per round
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; AP=/tmp/perf-ap/async-profiler-4.2-linux-x64.jar
ROUNDS=${ROUNDS:-3}; STEPS=${STEPS:-30}; ENCS=${ENCS:-lff}
for r in $(seq 1 $ROUNDS); do for enc in $ENCS; do for tj in $JARS; do
  tag=${tj%%=*}; jar=${tj#*=}
  echo "round $r $enc $tag $(uptime | sed 's/.*load/load/') :: $(nice -n ${NICE:-5} $J --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation -cp $jar:$AP:/tmp/step7-ps ProfileStep $enc 2 $STEPS - 2>/dev/null | tail -1)"
done; done; done
