package dev.posenc.autograd;

import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.FourierFeatures;
import dev.posenc.autograd.ops.Linear;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * 10,000 training steps, one tape each, must not grow off-heap memory.
 *
 * <p>How it is measured: in JDK 25, {@code Arena.allocate} memory is NOT counted by the "direct"
 * BufferPoolMXBean (checked: it stays at 0 while a 1 MiB arena is open), so that bean would pass vacuously.
 * It is malloc'd under Native Memory Tracking's "Other" tag, so this test reads NMT's summary through the
 * DiagnosticCommand MBean. NMT must be on at JVM start; autograd's pom adds -XX:NativeMemoryTracking=summary
 * to the test JVM. Without it (e.g. an IDE run) the test is skipped and says why.
 */
class TapeMemoryTest {
    private static final int STEPS = 10_000;
    /** Allowed growth over all steps: allocator slack. A tape that leaked everything would grow by one step's
     *  memory (about 3 KB measured) times 10,000 = 30 MB; the test asserts that this exceeds 10x the bound, so
     *  the bound cannot pass vacuously. A leak of just 100 bytes per step would fail it. */
    private static final long MAX_GROWTH_BYTES = 1 << 20;

    @Test
    void tenThousandStepsDoNotGrowOffHeapMemory() throws Exception {
        assumeTrue(otherMallocBytes() >= 0, "Native Memory Tracking is off: run with -XX:NativeMemoryTracking=summary");
        try (Backend backend = new CpuBackend(1); Arena model = Arena.ofShared()) {
            Rng rng = new Rng(12);
            Tensor x = rng.uniform(model, Shape.of(9, 2), -1, 1), target = rng.normal(model, Shape.of(9, 3));
            List<Var> params = List.of(
                    param(model, rng, 4, 2), param(model, rng, 11, 8), param(model, rng, 11),
                    param(model, rng, 3, 11), param(model, rng, 3));
            float firstLoss = step(backend, params, x, target, null);
            for (int i = 0; i < 200; i++) step(backend, params, x, target, null); // JIT and allocator warm-up
            long before = otherMallocBytes();
            long[] perStep = {0};
            float lastLoss = 0;
            for (int i = 0; i < STEPS; i++) lastLoss = step(backend, params, x, target, i == 0 ? perStep : null);
            long growth = otherMallocBytes() - before;
            assertTrue(perStep[0] * STEPS > 10 * MAX_GROWTH_BYTES,
                    "the bound must be meaningful: one step allocates %d bytes".formatted(perStep[0]));
            assertTrue(growth < MAX_GROWTH_BYTES, "off-heap memory grew by %d bytes over %d steps (one step allocates %d)"
                    .formatted(growth, STEPS, perStep[0]));
            assertTrue(lastLoss < firstLoss / 2, "training should make progress: %g -> %g".formatted(firstLoss, lastLoss));
        }
    }

    private static Var param(Arena model, Rng rng, int... dims) {
        Shape s = Shape.of(dims);
        return Var.parameter(rng.normal(model, s, 0f, 0.5f), Tensor.zeros(model, s));
    }

    /** One SGD step on mse(MLP(FourierFeatures(x))); if perStep is given, stores the bytes the tape held. */
    private static float step(Backend be, List<Var> p, Tensor x, Tensor target, long[] perStep) throws Exception {
        float loss;
        try (Tape tape = new Tape(be)) {
            long start = perStep != null ? otherMallocBytes() : 0;
            Var r = FourierFeatures.apply(tape, tape.constant(x), p.get(0));
            Var h = Activations.gelu(tape, Linear.apply(tape, r, p.get(1), p.get(2)));
            Var l = Losses.mse(tape, Linear.apply(tape, h, p.get(3), p.get(4)), tape.constant(target));
            tape.backward(l);
            loss = l.value().get(0);
            if (perStep != null) perStep[0] = otherMallocBytes() - start;
        }
        for (Var v : p) {
            be.axpy(v.value(), -0.05f, v.grad());   // plain SGD
            be.fill(v.grad(), 0f);                  // the trainer's job: the tape only adds
        }
        return loss;
    }

    private static final Pattern OTHER = Pattern.compile("Other \\(reserved=\\d+, committed=(\\d+)\\)");

    /** NMT's committed bytes under the "Other" tag (where Arena memory goes), or −1 when NMT is off. */
    private static long otherMallocBytes() throws Exception {
        String summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {"summary", "scale=b"}}, new String[] {String[].class.getName()});
        Matcher m = OTHER.matcher(summary);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
