#!/bin/bash
cd /work/main
J="/usr/lib/jvm/temurin-25-jdk-amd64/bin/java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation"
OUT=bench/results/quiet-session6b
PIDS=$(pgrep -f /work/runs/p18/posenc.jar)
kill -STOP $PIDS
trap 'kill -CONT $PIDS' EXIT
for r in 5 6; do
  for tj in nolanes=/work/runs/nolanes6-posenc.jar new=models/target/posenc.jar base=/work/runs/base-2fb808a-posenc.jar; do
    /usr/bin/time -o /tmp/q6time -f "%e %U" $J -jar ${tj#*=} nas darts --out /tmp/darts6-$r-${tj%%=*} > /tmp/darts6-$r-${tj%%=*}.log 2>&1
    read -r wall user < /tmp/q6time
    s=$(awk -F, 'NR>1 && $NF>s[$1]{s[$1]=$NF} END{for(k=0;k in s;k++) printf "%s ", s[k]}' /tmp/darts6-$r-${tj%%=*}/results.csv)
    echo "round $r ${tj%%=*}: $wall s wall, $user s user; seed seconds $s; $(uptime)" | tee -a $OUT/darts-bisect.txt
  done
done
