#!/bin/bash
# Lead's second quiet window, session 6: more lff rounds against PyTorch, 1024³ beside the FMA peak, nas darts base vs new.
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
J="$JAVA_HOME/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation"
OUT=bench/results/quiet-session6b
BASEP=/work/runs/base-2fb808a-posenc.jar
mkdir -p $OUT
PIDS=$(pgrep -f /work/runs/p18/posenc.jar)
kill -STOP $PIDS
trap 'kill -CONT $PIDS' EXIT
mark() { echo "== $1 $(date -u +%T) $(uptime)" | tee -a $OUT/log.txt; }
mark step_lff
JARS="new=bench/target/benchmarks.jar" ENCODINGS=lff ROUNDS=5 STEPS=30 NICE=0 bench/scripts/step_ab.sh $OUT/step-lff 2>&1 | tail -3 | tee -a $OUT/log.txt
mark fma_1024
for r in 1 2 3; do
  ./posenc bench fma --quick 2>&1 | grep "oneThread:gflop" | tee -a $OUT/fma-1024.txt
  $J --sun-misc-unsafe-memory-access=allow -cp bench/target/benchmarks.jar dev.posenc.bench.MatmulBench -f 1 -wi 3 -w 1s -i 5 -r 1s \
    -p impl=posenc -p threads=1 -p mkn=1024x1024x1024 -p form=NN 2>/dev/null | sed -n '/^MxKxN/,$p' | tee -a $OUT/fma-1024.txt
done
mark darts_ab
for r in 3 4; do
  for tj in new=models/target/posenc.jar base=$BASEP; do
    /usr/bin/time -o /tmp/q6time -f "%e %U" $J -jar ${tj#*=} nas darts --out /tmp/darts6-$r-${tj%%=*} > /tmp/darts6-$r-${tj%%=*}.log 2>&1
    read -r wall user < /tmp/q6time
    echo "round $r ${tj%%=*}: $wall s wall, $user s user; $(grep -c '^seed' /tmp/darts6-$r-${tj%%=*}.log) result lines; $(uptime)" | tee -a $OUT/darts-ab.txt
  done
done
mark end
