#!/bin/bash
# Lead's quiet measurement of session 8's two kernel-side changes (spinning worker pool, depthwise lane sums),
# 2026-12-06, nothing else running. base = main at be14471 (session start), new = main with both changes.
# Jars: /work/runs/s8/{base,new}-{benchmarks,posenc}.jar.
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
OUT=bench/results/quiet-session8
S=/work/runs/s8
mark() { echo "== $1 $(date -u +%T) $(uptime)" | tee -a $OUT/log.txt; }
mark start
lscpu | sed -n 's/^Model name: *//p' | tee -a $OUT/log.txt
./posenc bench fma --quick 2>&1 | grep -E "gflop" | tee $OUT/fma.txt
mark conv
JARS="base=$S/base-benchmarks.jar new=$S/new-benchmarks.jar" ROUNDS=3 OPS="conv3x3 dw3x3 dw3x3d2" $S/conv_ab.sh > $OUT/conv-vs-pytorch.txt 2>&1
mark step
JARS="base=$S/base-benchmarks.jar new=$S/new-benchmarks.jar" ROUNDS=3 STEPS=30 NICE=0 bench/scripts/step_ab.sh $OUT/step > $OUT/step.txt 2>&1
mark darts
JARS="base=$S/base-posenc.jar new=$S/new-posenc.jar" ROUNDS=2 bench/scripts/darts_ab.sh > $OUT/darts-ab.txt 2>&1
mark fma_again
./posenc bench fma --quick 2>&1 | grep -E "gflop" | tee $OUT/fma2.txt
mark end
