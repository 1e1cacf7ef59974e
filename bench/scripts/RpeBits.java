// kernel-rpe forward + backward at n on 1 and 2 threads: hashes of out and every gradient (must be equal: the
// route of a chunk depends on its length alone, never on the thread count). Run after ./posenc bench --list:
//   java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
//        bench/scripts/RpeBits.java 32768
import dev.posenc.autograd.*;
import dev.posenc.autograd.ops.KernelFeatures;
import dev.posenc.core.*;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.seq.*;
import java.lang.foreign.Arena;
import java.util.Arrays;
public class RpeBits {
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]);
        for (int threads : new int[] {1, 2}) {
            try (CpuBackend be = new CpuBackend(threads); Tape tape = new Tape(be); Arena arena = Arena.ofShared()) {
                Rng rng = new Rng(5);
                Shape s = Shape.of(1, 1, n, 64);
                Var q = tape.variable(rng.normal(arena, s)), k = tape.variable(rng.normal(arena, s)), v = tape.variable(rng.normal(arena, s));
                Var b = tape.variable(rng.normal(arena, Shape.of(1, 2 * n - 1), 0f, 0.1f));
                Var w = tape.constant(KernelFeatures.orthogonalProjection(arena, rng, 64, 64));
                Tensor seed = rng.normal(arena, s);
                Var out = SeqAttention.apply(tape, AttentionKind.KERNEL_RPE, q, k, v, b, new SeqAttention.Features(FeatureMap.PRF, w, true));
                tape.backward(out, seed);
                System.out.printf("n=%d threads=%d out %08x dq %08x dk %08x dv %08x db %08x%n", n, threads, Arrays.hashCode(out.value().toArray()),
                        Arrays.hashCode(q.grad().toArray()), Arrays.hashCode(k.grad().toArray()), Arrays.hashCode(v.grad().toArray()), Arrays.hashCode(b.grad().toArray()));
            }
        }
    }
}
