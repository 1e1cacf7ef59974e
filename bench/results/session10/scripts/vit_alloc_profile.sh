#!/usr/bin/env bash
# Session 10: the ViT step's heap garbage once warm. Runs train-vit (lff, 2 threads, LIMIT images = LIMIT/128 steps)
# RUNS times per jar (JARS="name=path ...", models/target/posenc.jar builds) under async-profiler (event=alloc, 8 s
# loops; AP = path of libasyncProfiler.so) and prints, per run, steps/s after warm-up and the MB allocated in the
# last complete 8 s window, then the top allocation sites (last posenc frame -> allocated class) over all runs.
set -euo pipefail
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; start $(date -u +%FT%TZ)"
for round in $(seq 1 "${RUNS:-3}"); do
  for pair in $JARS; do
    name="${pair%%=*}" jar="${pair#*=}"
    rm -rf "$tmp/out" "$tmp"/al-*.collapsed
    speed=$("$java" --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
      -XX:+UseG1GC --sun-misc-unsafe-memory-access=allow \
      -agentpath:"$AP"=start,event=alloc,loop=8s,collapsed,total,file="$tmp"/al-%t.collapsed \
      -jar "$jar" --threads 2 train-vit --pe lff --epochs 1 --train-limit "${LIMIT:-25600}" --test-limit 250 \
      --eval-every 100000 --out "$tmp/out" 2>&1 | tr '\r' '\n' | grep -o '([0-9.]* after' | tail -1 | tr -d '(' | cut -d' ' -f1)
    window=$(ls -t "$tmp"/al-*.collapsed | sed -n 2p)   # the newest file is the window cut short at exit
    cp "$window" "$tmp/$name-$round.alloc"
    awk -v n="$name" -v r="$round" -v s="$speed" '{t += $NF} END {printf "%s run %d: %s steps/s; last full 8 s window %.1f MB (%.2f MB/s)\n", n, r, s, t / 1e6, t / 8e6}' "$window"
  done
done
for pair in $JARS; do
  name="${pair%%=*}"
  echo "== $name: top sites over all runs (last posenc frame -> allocated class)"
  cat "$tmp/$name"-*.alloc | awk '{n = $NF; $NF = ""; k = split($0, fr, ";"); p = ""; for (i = 1; i <= k; i++) if (fr[i] ~ /dev\/posenc/) p = fr[i]; print n, p " -> " fr[k]}' \
    | awk '{n = $1; $1 = ""; a[$0] += n; t += n} END {for (k in a) printf "%5.1f%% %s\n", 100 * a[k] / t, k}' | sort -rn | head -12
done
