package dev.posenc.kernels;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs every family's kernels long enough for C2 to compile them, so that {@link JitCliffTest} can read
 * the child JVM's {@code -XX:+PrintCompilation} for "COMPILE SKIPPED" (toolchain.md §1.5). A family adds
 * its kernels as named exercises, one line each, in {@link #families}.
 */
public final class KernelCompileProbe {
    private KernelCompileProbe() {}

    /** Each exercise runs this long: C2 has compiled a hot vector loop well before 0.4 s. */
    static final long MILLIS_PER_EXERCISE = 400;

    /** One named call into a kernel family, repeated by {@link #main}. */
    record Exercise(String name, Runnable body) {}

    /** Every family and its exercises. Placeholder families (still throwing) are not listed yet. */
    static Map<String, List<Exercise>> families(CpuBackend be, Arena arena) {
        return Map.of("matmul", matmul(be, arena));
    }

    static List<Exercise> matmul(CpuBackend be, Arena arena) {
        Rng rng = new Rng(1);
        List<Exercise> list = new ArrayList<>();
        for (MatmulForm form : MatmulForm.values()) {
            // 67 × 131 × 45 hits every edge path; 256³ the full tiles and both threads.
            for (int[] s : new int[][] {{67, 131, 45}, {256, 256, 256}}) {
                int m = s[0], n = s[1], k = s[2];
                Tensor a = rng.normal(arena, form == MatmulForm.TN ? Shape.of(k, m) : Shape.of(m, k));
                Tensor b = rng.normal(arena, form == MatmulForm.NT ? Shape.of(n, k) : Shape.of(k, n));
                Tensor out = Tensor.zeros(arena, m, n);
                list.add(new Exercise("matmul %s %dx%dx%d".formatted(form, m, n, k),
                        () -> be.matmul(out, a, b, form, true)));
            }
        }
        Tensor q = rng.normal(arena, Shape.of(4, 33, 16)), scores = Tensor.zeros(arena, 4, 33, 33);
        list.add(new Exercise("batchedMatmul NT 4x33x33x16", () -> be.batchedMatmul(scores, q, q, MatmulForm.NT, false)));
        return list;
    }

    /** Args: none, or family names to run (default: all). Prints one line per exercise to stdout. */
    public static void main(String[] args) {
        try (Arena arena = Arena.ofShared(); CpuBackend be = new CpuBackend(2)) {
            for (var family : families(be, arena).entrySet()) {
                if (args.length > 0 && !List.of(args).contains(family.getKey())) continue;
                for (Exercise e : family.getValue()) {
                    long end = System.nanoTime() + MILLIS_PER_EXERCISE * 1_000_000, calls = 0;
                    while (System.nanoTime() < end) {
                        e.body().run();
                        calls++;
                    }
                    System.out.println("probe: " + e.name() + ": " + calls + " calls");
                }
            }
        }
    }
}
