#!/usr/bin/env bash
# conv7's quiet rerun (issue 17: small convolutions), ~7–8 minutes on the quiet 2-core machine.
# Run from the conv7 worktree (or main after the merge) after `./mvnw -B -q package -DskipTests`:
#   bash /work/notes/quiet7-conv7.sh [REPO=/work/wt-conv7]
# Base = main at 290830f (/work/runs/base-290830f-*.jar). Writes bench/results/quiet-session7/conv7/ in REPO:
#   conv-vs-pytorch.txt  per round: base posenc, new posenc, PyTorch (ConvInterleaved / conv_ops.py, 2 threads, wall)
#   darts-ab.txt         `nas darts` at its defaults, base and new alternated, both orders (darts_ab.sh)
set -euo pipefail
REPO="${1:-/work/wt-conv7}"
cd "$REPO"
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
J="$JAVA_HOME/bin/java"
BASEB=/work/runs/base-290830f-benchmarks.jar BASEP=/work/runs/base-290830f-posenc.jar
NEWB=bench/target/benchmarks.jar NEWP=models/target/posenc.jar
OUT=bench/results/quiet-session7/conv7
mkdir -p "$OUT"
load() { cut -d' ' -f1-3 /proc/loadavg; }
{
  echo "# conv7 quiet rerun, $(date -u), $(lscpu | grep 'Model name' | sed 's/  */ /g')"
  for r in 1 2; do
    for tj in base=$BASEB new=$NEWB; do
      echo "== round $r, posenc ${tj%%=*}, $(date -u +%H:%M:%S), load: $(load)"
      "$J" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
        -cp "${tj#*=}" bench/scripts/ConvInterleaved.java 2 4 2>&1 | grep -v -i warning
    done
    echo "== round $r, PyTorch, $(date -u +%H:%M:%S), load: $(load)"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/pytorch/conv_ops.py --threads 2 --repeats 3
  done
  echo "== done $(date -u +%H:%M:%S), load: $(load)"
} 2>&1 | tee "$OUT/conv-vs-pytorch.txt"
{
  JARS="base=$BASEP new=$NEWP" ROUNDS=1 bench/scripts/darts_ab.sh
  JARS="new=$NEWP base=$BASEP" ROUNDS=1 bench/scripts/darts_ab.sh
} 2>&1 | tee "$OUT/darts-ab.txt"
