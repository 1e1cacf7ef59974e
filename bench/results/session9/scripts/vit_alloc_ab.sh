#!/usr/bin/env bash
# Session 9: train-vit from jars in /tmp/jars/NAME.jar (JARS="base new"), alternated ROUNDS times; prints the
# steps/s after warm-up and the heap allocation rate over the last five young GCs (steady state). LIMIT = images.
# alternates jars: train-vit 200 steps, prints steps/s after warm-up and MB allocated per GC interval in steady state (last 5 GCs)
cd /work/main
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for round in $(seq 1 ${ROUNDS:-2}); do
  for name in $JARS; do
    rm -rf /tmp/vitab; log=/tmp/mm/gc-$name-$round.log
    out=$($J --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation --sun-misc-unsafe-memory-access=allow -Xlog:gc:file=$log:uptime -jar /tmp/jars/$name.jar --threads 2 train-vit --pe lff --epochs 1 --train-limit ${LIMIT:-25600} --test-limit 250 --eval-every 100000 --out /tmp/vitab 2>&1 | tr '\r' '\n' | grep -o '([0-9.]* after' | tail -1)
    python3 - "$log" "$name" "$out" <<'PY'
import re,sys
ev=[]
for l in open(sys.argv[1]):
    m=re.search(r'\[(\d+\.\d+)s\].*Pause Young.* (\d+)M->(\d+)M',l)
    if m: ev.append((float(m[1]),int(m[2]),int(m[3])))
ev=ev[-6:]
mb=sum(b for _,b,_ in ev[1:])-sum(a for _,_,a in ev[:-1]); dt=ev[-1][0]-ev[0][0]
print(f"{sys.argv[2]}: {sys.argv[3]} steps/s; last GCs {mb/dt:.0f} MB/s ({len(ev)} GCs, {dt:.1f} s)")
PY
  done
done
