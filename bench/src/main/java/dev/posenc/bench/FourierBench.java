package dev.posenc.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import dev.posenc.core.Compare;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.kernels.ActivationCpu;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.kernels.ElementwiseCpu;
import dev.posenc.kernels.FourierCpu;
import dev.posenc.kernels.MatmulCpu;
import dev.posenc.kernels.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The fused Fourier feature kernels ({@link FourierCpu}) against the unfused path a framework without the
 * fused op would run, at N = 65,536 positions, M = 2 coordinates, K = 128 frequencies (out 65,536 × 256).
 * Scores are positions per second (Throughput with {@code @OperationsPerInvocation(N)}): multiply by K for
 * sin/cos pairs per second.
 * <ul>
 *   <li>unfusedForward: z = x·wᵀ (matmul NT) → cos z → sin z → copy both, scaled, into the halves of out:
 *       z, cos and sin each go through memory (3 × 32 MB written, then read back).</li>
 *   <li>unfusedBackward: z = x·wᵀ, cos z, sin z, split dOut into dC and dS, g = (dS⊙cos − dC⊙sin)·scale
 *       (mul, mul, sub, scale), dw += gᵀ·x (matmul TN), dx += g·w (matmul NN).</li>
 * </ul>
 * Each trial checks the kernels it times first: fused against the scalar twin, unfused against fused.
 * Run: {@code java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar org.openjdk.jmh.Main
 * 'FourierBench.fused' -f 1 -wi 2 -w 1s -i 3 -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class FourierBench {
    static final int N = 65_536, M = 2, K = 128;
    /** The fused forward is bit-equal to its twin; the others sum in other orders (relative to the output scale). */
    static final double FORWARD_ATOL = 0, BACKWARD_RTOL = 1e-4, UNFUSED_ATOL = 2e-4;

    @Param({"1", "2"})
    int threads;

    CpuBackend backend;
    Parallel p;
    Arena arena;
    Tensor x, w, out, dOut, dx, dw;
    Tensor z, cos, sin, dC, dS, t1, t2, g;   // unfused path only
    final float scale = (float) (1 / Math.sqrt(2.0 * K));

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        backend = new CpuBackend(threads);
        p = backend.parallel();
        arena = Arena.ofShared();
        Rng rng = new Rng(1);
        x = rng.uniform(arena, Shape.of(N, M), 0f, 1f);
        w = rng.normal(arena, Shape.of(K, M), 0f, 10f);    // |z| in the tens: a realistic learnable-Fourier init
        out = Tensor.zeros(arena, N, 2 * K);
        dOut = rng.normal(arena, Shape.of(N, 2 * K));
        dx = Tensor.zeros(arena, N, M);
        dw = Tensor.zeros(arena, K, M);
        if (params.getBenchmark().contains("unfused")) {
            z = Tensor.zeros(arena, N, K); cos = Tensor.zeros(arena, N, K); sin = Tensor.zeros(arena, N, K);
            dC = Tensor.zeros(arena, N, K); dS = Tensor.zeros(arena, N, K);
            t1 = Tensor.zeros(arena, N, K); t2 = Tensor.zeros(arena, N, K); g = Tensor.zeros(arena, N, K);
            checkUnfused();
        } else {
            checkFused();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
        arena.close();
    }

    @Benchmark @OperationsPerInvocation(N)
    public void fusedForward() { FourierCpu.forward(p, out, x, w, scale); }

    /** dx is left out, the usual case (positions need no gradient); dw accumulates across invocations. */
    @Benchmark @OperationsPerInvocation(N)
    public void fusedBackward() { FourierCpu.backward(p, null, dw, dOut, x, w, scale); }

    @Benchmark @OperationsPerInvocation(N)
    public void fusedBackwardWithDx() { FourierCpu.backward(p, dx, dw, dOut, x, w, scale); }

    @Benchmark @OperationsPerInvocation(N)
    public void unfusedForward() { unfusedForward(out); }

    @Benchmark @OperationsPerInvocation(N)
    public void unfusedBackward() { unfusedBackward(null, dw); }

    private void unfusedForward(Tensor result) {
        MatmulCpu.matmul(p, z, x, w, MatmulForm.NT, false);
        ActivationCpu.unary(p, UnaryOp.COS, cos, z);
        ActivationCpu.unary(p, UnaryOp.SIN, sin, z);
        p.forRange(N, 256, (from, to) -> concatScaled(result.data(), cos.data(), sin.data(), from, to));
    }

    private void unfusedBackward(Tensor gradX, Tensor gradW) {
        MatmulCpu.matmul(p, z, x, w, MatmulForm.NT, false);
        ActivationCpu.unary(p, UnaryOp.COS, cos, z);
        ActivationCpu.unary(p, UnaryOp.SIN, sin, z);
        p.forRange(N, 256, (from, to) -> split(dC.data(), dS.data(), dOut.data(), from, to));
        ElementwiseCpu.mul(p, t1, dS, cos);
        ElementwiseCpu.mul(p, t2, dC, sin);
        ElementwiseCpu.sub(p, g, t1, t2);
        ElementwiseCpu.scale(p, g, g, scale);
        MatmulCpu.matmul(p, gradW, g, x, MatmulForm.TN, true);
        if (gradX != null) MatmulCpu.matmul(p, gradX, g, w, MatmulForm.NN, true);
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Rows [from, to): out[row] = [cos[row] ‖ sin[row]]·scale (K is a multiple of every vector length). */
    private void concatScaled(MemorySegment o, MemorySegment c, MemorySegment s, long from, long to) {
        ByteOrder bo = ByteOrder.nativeOrder();
        for (long row = from; row < to; row++) {
            for (int j = 0; j < K; j += S.length()) {
                long src = (row * K + j) * Float.BYTES, dst = (row * 2 * K + j) * Float.BYTES;
                FloatVector.fromMemorySegment(S, c, src, bo).mul(scale).intoMemorySegment(o, dst, bo);
                FloatVector.fromMemorySegment(S, s, src, bo).mul(scale).intoMemorySegment(o, dst + K * Float.BYTES, bo);
            }
        }
    }

    /** Rows [from, to): dC[row] = dOut[row, 0..K), dS[row] = dOut[row, K..2K). */
    private static void split(MemorySegment c, MemorySegment s, MemorySegment d, long from, long to) {
        long rowBytes = (long) K * Float.BYTES;
        for (long row = from; row < to; row++) {
            MemorySegment.copy(d, row * 2 * rowBytes, c, row * rowBytes, rowBytes);
            MemorySegment.copy(d, row * 2 * rowBytes + rowBytes, s, row * rowBytes, rowBytes);
        }
    }

    private void checkFused() {
        Tensor twin = Tensor.zeros(arena, N, 2 * K);
        FourierCpu.forward(p, out, x, w, scale);
        FourierCpu.forwardScalar(twin, x, w, scale);
        require("fused forward vs twin", Compare.of(twin, out, FORWARD_ATOL, 0));
        Tensor dwTwin = Tensor.zeros(arena, K, M), dxTwin = Tensor.zeros(arena, N, M);
        FourierCpu.backward(p, dx, dw, dOut, x, w, scale);
        FourierCpu.backwardScalar(dxTwin, dwTwin, dOut, x, w, scale);
        require("fused backward dw vs twin", Compare.of(dwTwin, dw, BACKWARD_RTOL * TwinCheck.maxAbs(dwTwin), BACKWARD_RTOL));
        require("fused backward dx vs twin", Compare.of(dxTwin, dx, BACKWARD_RTOL * TwinCheck.maxAbs(dxTwin), BACKWARD_RTOL));
    }

    private void checkUnfused() {
        Tensor fused = Tensor.zeros(arena, N, 2 * K);
        FourierCpu.forward(p, fused, x, w, scale);
        unfusedForward(out);
        require("unfused forward vs fused", Compare.of(fused, out, UNFUSED_ATOL * scale, 0));
        Tensor dwFused = Tensor.zeros(arena, K, M), dxFused = Tensor.zeros(arena, N, M);
        FourierCpu.backward(p, dxFused, dwFused, dOut, x, w, scale);
        unfusedBackward(dx, dw);
        require("unfused backward dw vs fused", Compare.of(dwFused, dw, BACKWARD_RTOL * TwinCheck.maxAbs(dwFused), BACKWARD_RTOL));
        require("unfused backward dx vs fused", Compare.of(dxFused, dx, BACKWARD_RTOL * TwinCheck.maxAbs(dxFused), BACKWARD_RTOL));
    }

    private static void require(String what, Compare c) {
        if (!c.ok()) throw new IllegalStateException(what + ": " + c.describe());
    }
}
