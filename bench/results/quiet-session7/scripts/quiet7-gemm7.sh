#!/bin/bash
# gemm7 (issue 13, session 7): does starting the matrix product's packs on a 64-byte line (branch gemm7 = gemm7-align a12f7f3)
# speed up 1024³ on one thread and the training shapes? Base = main at 290830f. Everything alternated, FMA peak before
# and after. About 6 minutes on a quiet machine. Writes bench/results/quiet-session7/gemm7/ in the tree it runs in.
set -u
cd /work/main
[ -f bench/scripts/MatmulJarAB.java ] || cd /work/wt-gemm7      # the harness lands in main with the gemm7 branch
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
J="$JAVA_HOME/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation"
OUT=bench/results/quiet-session7/gemm7
BASE=/work/runs/base-290830f-benchmarks.jar
ALIGN=/work/runs/main-s7-benchmarks.jar   # main at the end of session 7 (gemm7 merged)
mkdir -p $OUT
mark() { echo "== $1 $(date -u +%T) $(uptime)" | tee -a $OUT/log.txt; }
mark start
lscpu | sed -n 's/^Model name: *//p' | tee -a $OUT/log.txt
mark fma_1
$J --sun-misc-unsafe-memory-access=allow -jar $BASE fma --quick 2>&1 | grep -E "Threads?:gflop +thrpt" | tee -a $OUT/fma.txt
# 1. One JVM, both jars' products alternated (ABBA per round), thread CPU time and wall, both orientations (~60 s).
mark jar_ab_1024
$J bench/scripts/MatmulJarAB.java $BASE $ALIGN 25 6 1 1024x1024x1024:NN 4096x256x256:NN 2>&1 | grep -v WARN | tee -a $OUT/jar-ab-1024.txt
$J bench/scripts/MatmulJarAB.java $ALIGN $BASE 25 6 1 1024x1024x1024:NN 4096x256x256:NN 2>&1 | grep -v WARN | sed 's/^/(swapped: old=align new=base) /' | tee -a $OUT/jar-ab-1024.txt
# 2. JMH forks, 1024³ one thread, alternated base / align twice (~100 s).
mark jmh_1024
for r in 1 2; do
  for tj in base=$BASE align=$ALIGN; do
    echo "-- round $r ${tj%%=*}" | tee -a $OUT/jmh-1024.txt
    $J --sun-misc-unsafe-memory-access=allow -cp ${tj#*=} dev.posenc.bench.MatmulBench -f 1 -wi 3 -w 1s -i 5 -r 1s \
      -p impl=posenc -p threads=1 -p mkn=1024x1024x1024 -p form=NN 2>/dev/null | sed -n '/^MxKxN/,$p' | tee -a $OUT/jmh-1024.txt
  done
done
# 3. Training shapes, 1 and 2 threads, jars alternated in one JVM (~90 s).
mark jar_ab_training
for t in 1 2; do
  $J bench/scripts/MatmulJarAB.java $BASE $ALIGN 10 6 $t 4096x256x256:NN 16384x256x256:NN 16384x256x256:NT 256x16384x256:TN \
    2>&1 | grep -v WARN | tee -a $OUT/jar-ab-training.txt
done
# 4. The alignment effect in one and the same code: packs offset by 12 floats (aligned) or 0 (16 mod 64), alternated
#    in one JVM (offset-probe.patch + AlignProbe.java of bench/results/gemm7-session7, compiled into /work/runs/gemm7-probe; ~50 s).
mark probe
P=/work/runs/gemm7-probe
$J -cp $P/cls:$P/kernels:$P/core dev.posenc.kernels.AlignProbe product-all 30 4 12,0 2>&1 | grep -v WARN | tee -a $OUT/probe.txt
$J -cp $P/cls:$P/kernels:$P/core dev.posenc.kernels.AlignProbe product-all 30 4 12,0 256x16384x256 TN 2>&1 | grep -v WARN | tee -a $OUT/probe.txt
mark fma_2
$J --sun-misc-unsafe-memory-access=allow -jar $BASE fma --quick 2>&1 | grep -E "Threads?:gflop +thrpt" | tee -a $OUT/fma.txt
mark end
