#!/bin/bash
# Lead: the fit-image step (gaussian, lff; 256², 2 threads), base jar (290830f) against main at the end of session 7,
# alternated with PyTorch in each round (bench/scripts/step_ab.sh; ~4.5 min). step7's fused-pack branch is not rerun.
set -u
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
OUT=bench/results/quiet-session7/step
mkdir -p $OUT
JARS="base=/work/runs/base-290830f-benchmarks.jar new=/work/runs/main-s7-benchmarks.jar" ROUNDS=3 STEPS=30 NICE=0 \
  bench/scripts/step_ab.sh $OUT/step-ab 2>&1 | tail -8 | tee -a $OUT/log.txt
