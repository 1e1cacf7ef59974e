package dev.posenc.bench;

import java.util.concurrent.TimeUnit;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.AttentionCpu;
import dev.posenc.kernels.ElementwiseCpu;
import dev.posenc.kernels.MatmulCpu;
import dev.posenc.kernels.SoftmaxCpu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Scaled dot-product attention of one ViT block ({@link OpShape}: q, k, v of N = batch·heads entries, T
 * tokens, d = D/heads), by both routes the models take:
 * <ul>
 *   <li>fused ({@link AttentionCpu}, flash-style: scores one block at a time, memory ∝ T; the ViT takes it
 *       from Vit.FUSED_ATTENTION_MIN_TOKENS tokens on);</li>
 *   <li>materialised (autograd's Attention.materialized, kernel by kernel): S = q·kᵀ (batched NT), S ·= scale,
 *       P = softmax S, out = P·v (batched NN); backward dP = dOut·vᵀ, dv += Pᵀ·dOut, dS = P ⊙ (dP − rowsum),
 *       dS ·= scale, dq += dS·k, dk += dSᵀ·q. Its (N, T, T) buffers are allocated once, as the tape reuses
 *       its step memory; zeroing dS before the softmax backward adds into it is the tape's zero-fill.</li>
 * </ul>
 * Scores are µs per call. PyTorch 1.13 has no fused CPU attention, so its peer for both routes is the
 * materialised one (q@kᵀ·scale, softmax, @v and its autograd backward; bench/pytorch/op_families.py).
 * Each trial first checks what it times: the fused kernels against their scalar twins, the materialised route
 * against the fused scalar twins.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AttentionBench extends OpBenchState {
    /** Vector and scalar loops sum d and key terms in other orders; the routes differ in where they round. */
    static final double TWIN_RTOL = 1e-4, ROUTE_RTOL = 5e-4;

    float scale;
    Tensor q, k, v, out, lse, dOut, dq, dk, dv;
    Tensor s, prob, dProb, dS;   // materialised route only

    @Override
    void prepare(OpShape sh, String benchmark) {
        int n = sh.entries(), t = sh.tokens(), d = sh.headDim();
        Shape qkv = Shape.of(n, t, d);
        scale = (float) (1 / Math.sqrt(d));
        Rng rng = new Rng(19);
        q = rng.normal(arena, qkv);
        k = rng.normal(arena, qkv);
        v = rng.normal(arena, qkv);
        dOut = rng.normal(arena, qkv);
        out = Tensor.zeros(arena, qkv);
        lse = Tensor.zeros(arena, n, t);
        dq = Tensor.zeros(arena, qkv);
        dk = Tensor.zeros(arena, qkv);
        dv = Tensor.zeros(arena, qkv);
        if (benchmark.contains("materialized")) {
            s = Tensor.zeros(arena, n, t, t);
            prob = Tensor.zeros(arena, n, t, t);
            dProb = Tensor.zeros(arena, n, t, t);
            dS = Tensor.zeros(arena, n, t, t);
            check(qkv, n, t, false);
        } else {
            check(qkv, n, t, true);
        }
    }

    @Benchmark
    public void fusedForward() { AttentionCpu.forward(p, out, lse, q, k, v, scale); }

    /** Adds into dq, dk, dv, from the out and logsumexp the setup's forward left. */
    @Benchmark
    public void fusedBackward() { AttentionCpu.backward(p, dq, dk, dv, dOut, out, lse, q, k, v, scale); }

    @Benchmark
    public void materializedForward() {
        MatmulCpu.batchedMatmul(p, s, q, k, MatmulForm.NT, false);
        ElementwiseCpu.scale(p, s, s, scale);
        SoftmaxCpu.softmax(p, prob, s);
        MatmulCpu.batchedMatmul(p, out, prob, v, MatmulForm.NN, false);
    }

    /** Adds into dq, dk, dv, from the P the setup's forward left. */
    @Benchmark
    public void materializedBackward() {
        MatmulCpu.batchedMatmul(p, dProb, dOut, v, MatmulForm.NT, false);
        MatmulCpu.batchedMatmul(p, dv, prob, dOut, MatmulForm.TN, true);
        ElementwiseCpu.fill(p, dS, 0f);
        SoftmaxCpu.softmaxBackward(p, dS, dProb, prob);
        ElementwiseCpu.scale(p, dS, dS, scale);
        MatmulCpu.batchedMatmul(p, dq, dS, k, MatmulForm.NN, true);
        MatmulCpu.batchedMatmul(p, dk, dS, q, MatmulForm.TN, true);
    }

    private void check(Shape qkv, int n, int t, boolean fused) {
        Tensor outT = Tensor.zeros(arena, qkv), lseT = Tensor.zeros(arena, n, t);
        Tensor dqT = Tensor.zeros(arena, qkv), dkT = Tensor.zeros(arena, qkv), dvT = Tensor.zeros(arena, qkv);
        AttentionCpu.forwardScalar(outT, lseT, q, k, v, scale);
        AttentionCpu.backwardScalar(dqT, dkT, dvT, dOut, outT, lseT, q, k, v, scale);
        String what = fused ? "fused attention" : "materialised attention";
        double rtol = fused ? TWIN_RTOL : ROUTE_RTOL;
        if (fused) {
            fusedForward();
            TwinCheck.require(what + " logsumexp vs twin", lseT, lse, rtol);
            fusedBackward();
        } else {
            materializedForward();
            materializedBackward();
        }
        TwinCheck.require(what + " forward vs fused twin", outT, out, rtol);
        TwinCheck.require(what + " dq vs fused twin", dqT, dq, rtol);
        TwinCheck.require(what + " dk vs fused twin", dkT, dk, rtol);
        TwinCheck.require(what + " dv vs fused twin", dvT, dv, rtol);
    }
}
