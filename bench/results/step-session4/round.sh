#!/bin/bash
# alternates StepBench on base.jar (main before this work) and new.jar (this branch) with PyTorch, ROUNDS times
cd /work/wt-step
out=bench/results/step-session4; steps=${STEPS:-20}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
jvm() { nice -n 5 $J --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation --sun-misc-unsafe-memory-access=allow -cp "$@"; }
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; start $(date -u +%FT%TZ); uptime: $(uptime)" | tee $out/machine.txt
for r in $(seq 1 ${ROUNDS:-2}); do
  for tag in base new; do
    echo "== round $r, posenc $tag StepBench; uptime: $(uptime)" | tee -a $out/fit-step.txt
    jvm /tmp/step-prof/$tag.jar dev.posenc.bench.StepBench gaussian,lff 256 2 $steps 2>/dev/null | sed "s/^step /step-$tag /" | tee -a $out/fit-step.txt | grep '^step'
  done
  echo "== round $r, PyTorch; uptime: $(uptime)" | tee -a $out/fit-step.txt
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE nice -n 5 /usr/bin/python3 bench/pytorch/fit_image.py --image astronaut \
      --size 256 --steps $steps --encodings gaussian,lff --sigma 5.0 --lff-features 512 --lff-hidden 256 \
      --lff-dim 256 --lr "gaussian=1e-3,lff=3e-3" --eval-every 100000 --threads 2 --out $out/pytorch-$r.csv >/dev/null
  python3 -c "import csv,sys; [print(f\"torch {r['encoding']}: {1000/float(r['steps_per_second']):.1f} ms/step\") for r in csv.DictReader(open(sys.argv[1]))]" $out/pytorch-$r.csv | tee -a $out/fit-step.txt
done
echo "done $(date -u +%FT%TZ); uptime: $(uptime)" | tee -a $out/fit-step.txt
