#!/bin/bash
# rounds of: ConvInterleaved from each jar, then PyTorch conv_ops.py (2 threads)
cd /work/main
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
for r in $(seq 1 ${ROUNDS:-3}); do
  for tj in $JARS; do
    tag="${tj%%=*}" jar="${tj#*=}"
    echo "== round $r $tag $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
    $J --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation -cp $jar bench/scripts/ConvInterleaved.java 2 5 ${OPS:-conv3x3 dw3x3 dw3x3d2} 2>&1 | grep -v -i warning
  done
  echo "== round $r torch $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/pytorch/conv_ops.py --threads 2 --repeats 5
done
