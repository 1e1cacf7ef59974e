// conv7: one masked 16-lane load in range against one reaching past the segment end, C2 (-XX:-TieredCompilation), 10^6 each.
// java --add-modules=jdk.incubator.vector -XX:-TieredCompilation bench/results/conv-session7/Oob.java  → 0.8–1.1 ns against 2.2–2.3 ns (load ~10)
import jdk.incubator.vector.*;
import java.lang.foreign.*;
import java.nio.ByteOrder;
public class Oob {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static float run(MemorySegment seg, long off, long bits, int n) {
        FloatVector acc = FloatVector.zero(S);
        VectorMask<Float> m = VectorMask.fromLong(S, bits);
        for (int i = 0; i < n; i++) acc = acc.add(FloatVector.fromMemorySegment(S, seg, off, ByteOrder.nativeOrder(), m));
        return acc.reduceLanes(VectorOperators.ADD);
    }
    public static void main(String[] a) {
        try (Arena ar = Arena.ofShared()) {
            MemorySegment seg = ar.allocate(4096, 64);
            long end = 4096 - 8 * 4; // 8 floats left: a 16-lane load is out of range
            float s = 0;
            for (int r = 0; r < 6; r++) {
                long t0 = System.nanoTime(); s += run(seg, 1024, 0xffL, 1_000_000); long t1 = System.nanoTime();
                s += run(seg, end, 0xffL, 1_000_000); long t2 = System.nanoTime();
                System.out.printf("in range %.2f ns, out of range %.2f ns per load%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
            }
            System.out.println(s);
        }
    }
}
