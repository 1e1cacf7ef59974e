#!/bin/bash
# Lead's quiet rerun of session 6's speed work (every other job stopped), 2026-12-05.
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
J="$JAVA_HOME/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation"
OUT=bench/results/quiet-session6
BASEB=/work/runs/base-2fb808a-benchmarks.jar
BASEP=/work/runs/base-2fb808a-posenc.jar
mkdir -p $OUT
PIDS=$(pgrep -f /work/runs/p18/posenc.jar)
kill -STOP $PIDS
trap 'kill -CONT $PIDS' EXIT
mark() { echo "== $1 $(date -u +%T) $(uptime)" | tee -a $OUT/log.txt; }
mark start
lscpu | sed -n 's/^Model name: *//p' | tee -a $OUT/log.txt
./posenc bench fma --quick 2>&1 | tee $OUT/fma.txt
mark step_ab
JARS="base=$BASEB new=bench/target/benchmarks.jar" ROUNDS=3 STEPS=30 NICE=0 bench/scripts/step_ab.sh $OUT/step-ab 2>&1 | tail -6 | tee -a $OUT/log.txt
mark rpe_ab
$J bench/scripts/RpeScalingAB.java $BASEB bench/target/benchmarks.jar 3 4096 8192 16384 32768 65536 2>&1 | tee $OUT/rpe-ab.txt
mark attention_scaling
./posenc attention-scaling --out $OUT/attention-scaling 2>&1 | tr '\r' '\n' | grep -v ETA | tail -25 | tee $OUT/attention-scaling.txt
mark rpe_interleaved
$J -cp bench/target/benchmarks.jar bench/scripts/RpeScalingInterleaved.java 5 2>&1 | tee $OUT/rpe.txt
mark darts_ab
for r in 1 2; do
  for tj in base=$BASEP new=models/target/posenc.jar dwonepass=/work/runs/conv6dw-posenc.jar; do
    /usr/bin/time -o /tmp/q6time -f "%e %U" $J -jar ${tj#*=} nas darts --out /tmp/darts6-$r-${tj%%=*} > /tmp/darts6-$r-${tj%%=*}.log 2>&1
    read -r wall user < /tmp/q6time
    echo "round $r ${tj%%=*}: $wall s wall, $user s user; $(grep -c '^seed' /tmp/darts6-$r-${tj%%=*}.log) result lines; $(uptime)" | tee -a $OUT/darts-ab.txt
  done
done
mark conv
bench/scripts/conv_vs_pytorch.sh 2 2 2>&1 | tee $OUT/conv-vs-pytorch.txt
mark perf_round_vit_jmh
SKIP=fit bench/scripts/perf_round.sh $OUT/perf 2>&1 | tee -a $OUT/log.txt
mark fma_again
./posenc bench fma --quick 2>&1 | tee $OUT/fma2.txt
mark end
