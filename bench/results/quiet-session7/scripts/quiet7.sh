#!/bin/bash
# Lead's quiet rerun of session 7's speed work (every other job stopped), 2026-12-06.
cd /work/main
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
OUT=bench/results/quiet-session7
mkdir -p $OUT
PIDS=$(pgrep -f /work/runs/p18/posenc.jar)
[ -n "$PIDS" ] && kill -STOP $PIDS
trap '[ -n "$PIDS" ] && kill -CONT $PIDS' EXIT
mark() { echo "== $1 $(date -u +%T) $(uptime)" | tee -a $OUT/log.txt; }
mark start
lscpu | sed -n 's/^Model name: *//p' | tee -a $OUT/log.txt
./posenc bench fma --quick 2>&1 | tee $OUT/fma.txt
for s in ${SCRIPTS:-gemm7 step-main fft7 conv7}; do
  mark $s
  REPO=/work/main bash /work/notes/quiet7-$s.sh /work/main 2>&1 | tail -40 | tee -a $OUT/log.txt
done
mark fma_again
./posenc bench fma --quick 2>&1 | tee $OUT/fma2.txt
mark end
