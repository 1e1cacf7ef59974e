package dev.posenc.autograd.check;

import dev.posenc.autograd.check.GradCheck.BackwardRule;
import dev.posenc.autograd.check.GradCheck.EngineOp;
import dev.posenc.autograd.check.GradCheck.ReferenceOp;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Attention;
import dev.posenc.autograd.ops.BinaryCrossEntropy;
import dev.posenc.autograd.ops.Concat;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Embedding;
import dev.posenc.autograd.ops.FourierFeatures;
import dev.posenc.autograd.ops.Heads;
import dev.posenc.autograd.ops.KernelAttention;
import dev.posenc.autograd.ops.KernelFeatures;
import dev.posenc.autograd.ops.LayerNorm;
import dev.posenc.autograd.ops.Linear;
import dev.posenc.autograd.ops.LinearGelu;
import dev.posenc.autograd.ops.LinearPairRelu;
import dev.posenc.autograd.ops.LinearRelu;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.autograd.ops.Matmul;
import dev.posenc.autograd.ops.Patchify;
import dev.posenc.autograd.ops.Reductions;
import dev.posenc.autograd.ops.RelativeBias;
import dev.posenc.autograd.ops.Reshape;
import dev.posenc.autograd.ops.RpeKernelAttention;
import dev.posenc.autograd.ops.Slice;
import dev.posenc.autograd.ops.Softmax;
import dev.posenc.autograd.ops.Sparse;
import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Reference64;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.core.graph.Csr;
import dev.posenc.core.graph.Graph;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * Every differentiable op of the engine, each with odd-sized seeded inputs, checked by {@link GradCheck}.
 * The CLI's {@code ./posenc gradcheck} prints {@link #run(Backend)} with {@link #table(List)}; the tests
 * run each {@link Case} on its own.
 */
public final class GradCheckSuite {
    private GradCheckSuite() {}

    /**
     * One op to check: its name, the input shapes, how inputs are drawn, the engine op, its reference forward and
     * its backward from the table of rules; {@code rule} names that row ({@code Reference64.<rule>Backward}).
     */
    public record Case(String op, List<Shape> inputShapes, boolean positiveInputs, EngineOp engine, ReferenceOp reference,
                       String rule, BackwardRule backward) {
        /** e.g. {@code (5, 3) (3, 7)}. */
        public String shapes() {
            return String.join(" ", inputShapes.stream().map(Shape::toString).toList());
        }

        /** Checks this case on {@code backend}; inputs are drawn from a seed derived from the op name. */
        public GradCheck.Report check(Backend backend) {
            try (Arena arena = Arena.ofShared()) {
                Rng rng = new Rng(op.hashCode());
                List<Tensor> inputs = new ArrayList<>();
                for (Shape s : inputShapes) {
                    // log needs x > 0; elsewhere N(0, 1) keeps every branch (relu's two sides, tanh's bend) in play.
                    inputs.add(positiveInputs ? rng.uniform(arena, s, 0.5f, 2f) : rng.normal(arena, s));
                }
                return GradCheck.check(backend, op, engine, reference, backward, inputs, rng.nextStream(),
                        GradCheck.DEFAULT_FLOOR);
            }
        }

        @Override public String toString() { return op + " " + shapes(); }
    }

    /** One line of the table. */
    public record Row(String op, String shapes, double maxRelError, double tolerance, boolean pass, GradCheck.Report report) {}

    /** The cases: matmul forms (2-D and batched), linear, element-wise, activations, reductions, softmaxes,
     *  layer norm, losses, Fourier features, reshape. */
    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        int m = 5, k = 3, n = 7;
        // Stored shapes per form (see MatmulForm): NN a (m,k) b (k,n); TN a (k,m) b (k,n); NT a (m,k) b (n,k).
        c.add(matmul(MatmulForm.NN, Shape.of(m, k), Shape.of(k, n), m, k, n));
        c.add(matmul(MatmulForm.TN, Shape.of(k, m), Shape.of(k, n), m, k, n));
        c.add(matmul(MatmulForm.NT, Shape.of(m, k), Shape.of(n, k), m, k, n));
        int b = 2;
        c.add(batched(MatmulForm.NN, Shape.of(b, m, k), Shape.of(b, k, n), b, m, k, n));
        c.add(batched(MatmulForm.TN, Shape.of(b, k, m), Shape.of(b, k, n), b, m, k, n));
        c.add(batched(MatmulForm.NT, Shape.of(b, m, k), Shape.of(b, n, k), b, m, k, n));
        c.add(new Case("linear", shapes(Shape.of(m, k), Shape.of(n, k), Shape.of(n)), false,
                (t, in) -> Linear.apply(t, in.get(0), in.get(1), in.get(2)),
                in -> Reference64.linear(in.get(0), in.get(1), in.get(2), m, k, n),
                "linear", (in, d) -> Reference64.linearBackward(d, in.get(0), in.get(1), in.get(2), m, k, n)));
        // Wider than one 16-lane vector with ragged tails, so the kernels' vector paths run too.
        c.add(new Case("linear_wide", shapes(Shape.of(17, 33), Shape.of(19, 33), Shape.of(19)), false,
                (t, in) -> Linear.apply(t, in.get(0), in.get(1), in.get(2)),
                in -> Reference64.linear(in.get(0), in.get(1), in.get(2), 17, 33, 19),
                "linear", (in, d) -> Reference64.linearBackward(d, in.get(0), in.get(1), in.get(2), 17, 33, 19)));
        // The fused hidden layer: its reference is the two rows composed (relu after linear; backward in reverse).
        c.add(new Case("linear_relu", shapes(Shape.of(17, 33), Shape.of(19, 33), Shape.of(19)), false,
                (t, in) -> LinearRelu.apply(t, in.get(0), in.get(1), in.get(2)),
                in -> Reference64.unary(UnaryOp.RELU, Reference64.linear(in.get(0), in.get(1), in.get(2), 17, 33, 19)),
                "linear", (in, d) -> Reference64.linearBackward(Reference64.unaryBackward(UnaryOp.RELU, d,
                        Reference64.linear(in.get(0), in.get(1), in.get(2), 17, 33, 19))[0],
                        in.get(0), in.get(1), in.get(2), 17, 33, 19)));
        // LFF's encoder layer, Linear then GELU as one op: the same composition of the two rows.
        c.add(new Case("linear_gelu", shapes(Shape.of(17, 33), Shape.of(19, 33), Shape.of(19)), false,
                (t, in) -> LinearGelu.apply(t, in.get(0), in.get(1), in.get(2)),
                in -> Reference64.unary(UnaryOp.GELU_ERF, Reference64.linear(in.get(0), in.get(1), in.get(2), 17, 33, 19)),
                "linear", (in, d) -> Reference64.linearBackward(Reference64.unaryBackward(UnaryOp.GELU_ERF, d,
                        Reference64.linear(in.get(0), in.get(1), in.get(2), 17, 33, 19))[0],
                        in.get(0), in.get(1), in.get(2), 17, 33, 19)));
        c.add(new Case("linear_pair_relu", shapes(Shape.of(17, 13), Shape.of(11, 13), Shape.of(11), Shape.of(19, 11),
                Shape.of(19)), false,
                (t, in) -> LinearPairRelu.apply(t, in.get(0), in.get(1), in.get(2), in.get(3), in.get(4)),
                in -> Reference64.unary(UnaryOp.RELU, Reference64.linear(Reference64.linear(in.get(0), in.get(1),
                        in.get(2), 17, 13, 11), in.get(3), in.get(4), 17, 11, 19)),
                "linear", GradCheckSuite::linearPairReluBackward));
        c.add(new Case("linear_no_bias", shapes(Shape.of(m, k), Shape.of(n, k)), false,
                (t, in) -> Linear.apply(t, in.get(0), in.get(1), null),
                in -> Reference64.linear(in.get(0), in.get(1), null, m, k, n),
                "linear", (in, d) -> Reference64.linearBackward(d, in.get(0), in.get(1), null, m, k, n)));

        Shape s = Shape.of(5, 3);
        c.add(new Case("add", shapes(s, s), false, (t, in) -> Elementwise.add(t, in.get(0), in.get(1)),
                in -> Reference64.add(in.get(0), in.get(1)),
                "add", (in, d) -> Reference64.addBackward(d)));
        c.add(new Case("sub", shapes(s, s), false, (t, in) -> Elementwise.sub(t, in.get(0), in.get(1)),
                in -> Reference64.sub(in.get(0), in.get(1)),
                "sub", (in, d) -> Reference64.subBackward(d)));
        c.add(new Case("mul", shapes(s, s), false, (t, in) -> Elementwise.mul(t, in.get(0), in.get(1)),
                in -> Reference64.mul(in.get(0), in.get(1)),
                "mul", (in, d) -> Reference64.mulBackward(d, in.get(0), in.get(1))));
        c.add(new Case("scale", shapes(s), false, (t, in) -> Elementwise.scale(t, in.get(0), -1.75f),
                in -> Reference64.scale(in.get(0), -1.75),
                "scale", (in, d) -> Reference64.scaleBackward(d, -1.75)));
        c.add(new Case("add_row_broadcast", shapes(s, Shape.of(3)), false,
                (t, in) -> Elementwise.addRowBroadcast(t, in.get(0), in.get(1)),
                in -> Reference64.addRowBroadcast(in.get(0), in.get(1), 5, 3),
                "addRowBroadcast", (in, d) -> Reference64.addRowBroadcastBackward(d, 5, 3)));

        Shape a = Shape.of(7, 5);
        for (UnaryOp f : UnaryOp.values()) {
            c.add(new Case(f.name().toLowerCase(), shapes(a), f == UnaryOp.LOG,
                    (t, in) -> Activations.apply(t, f, in.get(0)), in -> Reference64.unary(f, in.get(0)),
                "unary", (in, d) -> Reference64.unaryBackward(f, d, in.get(0))));
        }

        c.add(new Case("sum", shapes(s), false, (t, in) -> Reductions.sum(t, in.get(0)), in -> Reference64.sum(in.get(0)),
                "sum", (in, d) -> Reference64.sumBackward(d, 15)));
        c.add(new Case("mean", shapes(s), false, (t, in) -> Reductions.mean(t, in.get(0)), in -> Reference64.mean(in.get(0)),
                "mean", (in, d) -> Reference64.meanBackward(d, 15)));
        c.add(new Case("sum_rows", shapes(s), false, (t, in) -> Reductions.sumRows(t, in.get(0)),
                in -> Reference64.sumRows(in.get(0), 5, 3, 1),
                "sumRows", (in, d) -> Reference64.sumRowsBackward(d, 5, 3, 1)));
        c.add(new Case("mean_rows", shapes(s), false, (t, in) -> Reductions.meanRows(t, in.get(0)),
                in -> Reference64.sumRows(in.get(0), 5, 3, 1.0 / 5),
                "sumRows", (in, d) -> Reference64.sumRowsBackward(d, 5, 3, 1.0 / 5)));
        c.add(new Case("sum_cols", shapes(s), false, (t, in) -> Reductions.sumCols(t, in.get(0)),
                in -> Reference64.sumCols(in.get(0), 5, 3, 1),
                "sumCols", (in, d) -> Reference64.sumColsBackward(d, 5, 3, 1)));
        c.add(new Case("mean_cols", shapes(s), false, (t, in) -> Reductions.meanCols(t, in.get(0)),
                in -> Reference64.sumCols(in.get(0), 5, 3, 1.0 / 3),
                "sumCols", (in, d) -> Reference64.sumColsBackward(d, 5, 3, 1.0 / 3)));

        Shape logits = Shape.of(5, 7);
        c.add(new Case("softmax", shapes(logits), false, (t, in) -> Softmax.softmax(t, in.get(0)),
                in -> Reference64.softmax(in.get(0), 5, 7),
                "softmax", (in, d) -> Reference64.softmaxBackward(d, in.get(0), 5, 7)));
        c.add(new Case("log_softmax", shapes(logits), false, (t, in) -> Softmax.logSoftmax(t, in.get(0)),
                in -> Reference64.logSoftmax(in.get(0), 5, 7),
                "logSoftmax", (in, d) -> Reference64.logSoftmaxBackward(d, in.get(0), 5, 7)));
        c.add(new Case("layer_norm", shapes(logits, Shape.of(7), Shape.of(7)), false,
                (t, in) -> LayerNorm.apply(t, in.get(0), in.get(1), in.get(2)),
                in -> Reference64.layerNorm(in.get(0), in.get(1), in.get(2), 5, 7, LayerNorm.DEFAULT_EPS),
                "layerNorm", (in, d) -> Reference64.layerNormBackward(d, in.get(0), in.get(1), 5, 7, LayerNorm.DEFAULT_EPS)));

        c.add(new Case("softmax_wide", shapes(Shape.of(9, 37)), false, (t, in) -> Softmax.softmax(t, in.get(0)),
                in -> Reference64.softmax(in.get(0), 9, 37),
                "softmax", (in, d) -> Reference64.softmaxBackward(d, in.get(0), 9, 37)));
        c.add(new Case("layer_norm_wide", shapes(Shape.of(9, 37), Shape.of(37), Shape.of(37)), false,
                (t, in) -> LayerNorm.apply(t, in.get(0), in.get(1), in.get(2)),
                in -> Reference64.layerNorm(in.get(0), in.get(1), in.get(2), 9, 37, LayerNorm.DEFAULT_EPS),
                "layerNorm", (in, d) -> Reference64.layerNormBackward(d, in.get(0), in.get(1), 9, 37, LayerNorm.DEFAULT_EPS)));

        c.add(new Case("mse", shapes(s, s), false, (t, in) -> Losses.mse(t, in.get(0), in.get(1)),
                in -> Reference64.mse(in.get(0), in.get(1)),
                "mse", (in, d) -> Reference64.mseBackward(d, in.get(0), in.get(1))));
        int[] labels = {3, 0, 6, 6, 1}; // every row a different class but one repeat: 5 rows, 7 classes
        c.add(new Case("cross_entropy", shapes(logits), false, (t, in) -> Losses.crossEntropy(t, in.get(0), labels),
                in -> Reference64.crossEntropy(in.get(0), labels, 5, 7),
                "crossEntropy", (in, d) -> Reference64.crossEntropyBackward(d, in.get(0), labels, 5, 7)));

        c.add(new Case("fourier_features", shapes(Shape.of(5, 2), Shape.of(3, 2)), false,
                (t, in) -> FourierFeatures.apply(t, in.get(0), in.get(1)),
                in -> Reference64.fourier(in.get(0), in.get(1), 5, 2, 3),
                "fourier", (in, d) -> Reference64.fourierBackward(d, in.get(0), in.get(1), 5, 2, 3, 1 / Math.sqrt(6))));
        c.add(new Case("fourier_features_scaled", shapes(Shape.of(5, 3), Shape.of(4, 3)), false,
                (t, in) -> FourierFeatures.apply(t, in.get(0), in.get(1), 1f),
                in -> Reference64.fourier(in.get(0), in.get(1), 5, 3, 4, 1.0),
                "fourier", (in, d) -> Reference64.fourierBackward(d, in.get(0), in.get(1), 5, 3, 4, 1)));
        c.add(new Case("reshape", shapes(Shape.of(5, 6)), false,
                (t, in) -> Elementwise.mul(t, Reshape.apply(t, in.get(0), Shape.of(3, 10)), Reshape.apply(t, in.get(0), Shape.of(3, 10))),
                in -> Reference64.mul(in.get(0), in.get(0)),
                "mul", (in, d) -> {                         // both factors are x: their gradients add
                    double[][] g = Reference64.mulBackward(d, in.get(0), in.get(0));
                    return new double[][] {Reference64.add(g[0], g[1])};
                }));
        vit(c);
        kernelAttention(c);
        ConvCases.add(c);
        graph(c);
        return c;
    }

    /** The vision transformer's ops: attention (fused and materialised), heads, gather, concat, slice, patchify. */
    private static void vit(List<Case> c) {
        c.add(new Case("attention", shapes(Shape.of(2, 5, 3), Shape.of(2, 7, 3), Shape.of(2, 7, 3)), false,
                (t, in) -> Attention.apply(t, in.get(0), in.get(1), in.get(2)),
                in -> Reference64.attention(in.get(0), in.get(1), in.get(2), 2, 5, 7, 3),
                "attention", (in, d) -> Reference64.attentionBackward(d, in.get(0), in.get(1), in.get(2), 2, 5, 7, 3)));
        // (B, H, T, d) with T past one key block (64) and two query blocks (32): the online rescaling runs.
        c.add(new Case("attention_blocks", shapes(Shape.of(1, 2, 67, 3), Shape.of(1, 2, 67, 3), Shape.of(1, 2, 67, 3)),
                false, (t, in) -> Attention.apply(t, in.get(0), in.get(1), in.get(2)),
                in -> Reference64.attention(in.get(0), in.get(1), in.get(2), 2, 67, 67, 3),
                "attention", (in, d) -> Reference64.attentionBackward(d, in.get(0), in.get(1), in.get(2), 2, 67, 67, 3)));
        Shape kv = Shape.of(1, 2, 7, 3);
        c.add(new Case("attention_materialized", shapes(Shape.of(1, 2, 5, 3), kv, kv), false,
                (t, in) -> Attention.materialized(t, in.get(0), in.get(1), in.get(2)),
                in -> Reference64.attention(in.get(0), in.get(1), in.get(2), 2, 5, 7, 3),
                "attention", (in, d) -> Reference64.attentionBackward(d, in.get(0), in.get(1), in.get(2), 2, 5, 7, 3)));
        c.add(new Case("heads_split", shapes(Shape.of(2, 3, 6)), false, (t, in) -> Heads.split(t, in.get(0), 2),
                in -> Reference64.heads(in.get(0), 2, 3, 2, 3, false),
                "heads", (in, d) -> Reference64.headsBackward(d, 2, 3, 2, 3, false)));
        c.add(new Case("heads_merge", shapes(Shape.of(2, 2, 3, 3)), false, (t, in) -> Heads.merge(t, in.get(0)),
                in -> Reference64.heads(in.get(0), 2, 3, 2, 3, true),
                "heads", (in, d) -> Reference64.headsBackward(d, 2, 3, 2, 3, true)));
        int[] rows = {2, 0, 2, 4}; // row 2 twice: its gradient is the sum of both uses
        c.add(new Case("embedding", shapes(Shape.of(5, 3)), false, (t, in) -> Embedding.gather(t, in.get(0), rows),
                in -> Reference64.gather(in.get(0), rows, 3),
                "gather", (in, d) -> Reference64.gatherBackward(d, 5, rows, 3)));
        c.add(new Case("concat", shapes(Shape.of(2, 1, 3), Shape.of(2, 4, 3)), false,
                (t, in) -> Concat.tokens(t, in.get(0), in.get(1)),
                in -> Reference64.concatTokens(in.get(0), in.get(1), 2, 1, 4, 3),
                "concatTokens", (in, d) -> Reference64.concatTokensBackward(d, 2, 1, 4, 3)));
        c.add(new Case("slice", shapes(Shape.of(2, 5, 3)), false, (t, in) -> Slice.tokens(t, in.get(0), 1, 3),
                in -> Reference64.sliceTokens(in.get(0), 2, 5, 3, 1, 3),
                "sliceTokens", (in, d) -> Reference64.sliceTokensBackward(d, 2, 5, 3, 1, 3)));
        c.add(new Case("add_batch_broadcast", shapes(Shape.of(3, 5, 2), Shape.of(5, 2)), false,
                (t, in) -> Elementwise.addBatchBroadcast(t, in.get(0), in.get(1)),
                in -> Reference64.addBatchBroadcast(in.get(0), in.get(1)),
                "addBatchBroadcast", (in, d) -> Reference64.addBatchBroadcastBackward(d, 10)));
        c.add(new Case("patchify", shapes(Shape.of(2, 6, 4)), false, (t, in) -> Patchify.apply(t, in.get(0), 2),
                in -> Reference64.patchify(in.get(0), 2, 6, 4, 2),
                "patchify", (in, d) -> Reference64.patchifyBackward(d, 2, 6, 4, 2)));
    }

    private static Case matmul(MatmulForm form, Shape sa, Shape sb, int m, int k, int n) {
        return new Case("matmul_" + form.name().toLowerCase(), shapes(sa, sb), false,
                (t, in) -> Matmul.apply(t, in.get(0), in.get(1), form),
                in -> Reference64.matmul(in.get(0), in.get(1), m, k, n, form),
                "matmul", (in, d) -> Reference64.matmulBackward(d, in.get(0), in.get(1), m, k, n, form));
    }

    private static Case batched(MatmulForm form, Shape sa, Shape sb, int b, int m, int k, int n) {
        return new Case("batched_matmul_" + form.name().toLowerCase(), shapes(sa, sb), false,
                (t, in) -> Matmul.batched(t, in.get(0), in.get(1), form),
                in -> Reference64.batchedMatmul(in.get(0), in.get(1), b, m, k, n, form),
                "batchedMatmul", (in, d) -> Reference64.batchedMatmulBackward(d, in.get(0), in.get(1), b, m, k, n, form));
    }

    /**
     * Kernelized attention (Luo et al. 2021) and its pieces. The attention inputs are drawn positive (U[0.5, 2)), as
     * features φ(q), φ(k) are; b is differentiated like every other input. n = 7, so 2n − 1 = 13 offsets.
     */
    private static void kernelAttention(List<Case> c) {
        int e = 2, n = 7, m = 3, dv = 2;
        Shape f = Shape.of(e, n, m), v = Shape.of(e, n, dv), b = Shape.of(e, 2 * n - 1);
        for (boolean causal : new boolean[] {false, true}) {
            String suffix = causal ? "_causal" : "";
            c.add(new Case("rpe_kernel_attention" + suffix, shapes(f, f, v, b), true,
                    (t, in) -> RpeKernelAttention.apply(t, in.get(0), in.get(1), in.get(2), in.get(3), causal),
                    in -> Reference64.kernelAttention(in.get(0), in.get(1), in.get(2), in.get(3), e, n, m, dv, e, causal),
                "kernelAttention", (in, d) -> Reference64.kernelAttentionBackward(d, in.get(0), in.get(1), in.get(2), in.get(3), e, n, m, dv, e, causal)));
            c.add(new Case("kernel_attention" + suffix, shapes(f, f, v), true,
                    (t, in) -> KernelAttention.apply(t, in.get(0), in.get(1), in.get(2), causal),
                    in -> Reference64.kernelAttention(in.get(0), in.get(1), in.get(2), null, e, n, m, dv, 1, causal),
                "kernelAttention", (in, d) -> Reference64.kernelAttentionBackward(d, in.get(0), in.get(1), in.get(2), null, e, n, m, dv, 1, causal)));
        }
        c.add(new Case("prf", shapes(Shape.of(5, 3), Shape.of(4, 3)), false,
                (t, in) -> KernelFeatures.prf(t, in.get(0), in.get(1)), in -> Reference64.prf(in.get(0), in.get(1), 5, 3, 4),
                "prf", (in, d) -> Reference64.prfBackward(d, in.get(0), in.get(1), 5, 3, 4)));
        c.add(new Case("elu_plus_one", shapes(Shape.of(7, 5)), false, (t, in) -> KernelFeatures.eluPlusOne(t, in.get(0)),
                in -> Reference64.eluPlusOne(in.get(0)),
                "eluPlusOne", (in, d) -> Reference64.eluPlusOneBackward(d, in.get(0))));
        c.add(new Case("normalize", shapes(Shape.of(5, 3)), false, (t, in) -> KernelFeatures.normalize(t, in.get(0), 1.5f),
                in -> Reference64.normalize(in.get(0), 3, 1.5, KernelFeatures.NORMALIZE_EPS),
                "normalize", (in, d) -> Reference64.normalizeBackward(d, in.get(0), 3, 1.5, KernelFeatures.NORMALIZE_EPS)));
        c.add(new Case("relative_bias", shapes(Shape.of(2, 9)), false, (t, in) -> RelativeBias.apply(t, in.get(0), 5),
                in -> Reference64.relativeBias(in.get(0), 2, 5),
                "relativeBias", (in, d) -> Reference64.relativeBiasBackward(d, 2, 5)));
    }

    /**
     * Message passing on a small undirected graph (7 nodes, 9 edges, node 6 isolated so an empty row is checked):
     * gather by edge source, segment sum by edge destination, GCN's normalised product; and the link loss.
     */
    private static void graph(List<Case> c) {
        int[] src = {0, 0, 1, 1, 2, 3, 3, 4, 2}, dst = {1, 2, 2, 3, 4, 4, 5, 5, 5};
        Graph g = Graph.of(7, src, dst, false);
        Sparse.Operator gcn = Sparse.Operator.of(g.gcnNormalized());
        c.add(new Case("sparse_gather", shapes(Shape.of(7, 3)), false, (t, in) -> Sparse.gather(t, in.get(0), src),
                in -> Reference64.spmm(Csr.gather(src, 7), in.get(0), 3),
                "spmm", (in, d) -> Reference64.spmmBackward(d, Csr.gather(src, 7), 3)));
        c.add(new Case("segment_sum", shapes(Shape.of(9, 5)), false, (t, in) -> Sparse.segmentSum(t, in.get(0), dst, 7),
                in -> Reference64.spmm(Csr.segments(dst, 7), in.get(0), 5),
                "spmm", (in, d) -> Reference64.spmmBackward(d, Csr.segments(dst, 7), 5)));
        c.add(new Case("spmm_gcn", shapes(Shape.of(7, 17)), false, (t, in) -> Sparse.apply(t, gcn, in.get(0)),
                in -> Reference64.spmm(gcn.a(), in.get(0), 17),
                "spmm", (in, d) -> Reference64.spmmBackward(d, gcn.a(), 17)));
        float[] labels = {1, 0, 0, 1, 1, 0, 1};
        c.add(new Case("bce_with_logits", shapes(Shape.of(7)), false,
                (t, in) -> BinaryCrossEntropy.withLogits(t, in.get(0), labels), in -> Reference64.bceWithLogits(in.get(0), labels),
                "bceWithLogits", (in, d) -> Reference64.bceWithLogitsBackward(d, in.get(0), labels)));
    }

    private static List<Shape> shapes(Shape... s) { return List.of(s); }

    /** The rules of Linear(13 → 11), then Linear(11 → 19) and ReLU, chained: [dg, dW1, db1, dW2, db2]. */
    private static double[][] linearPairReluBackward(List<double[]> in, double[] d) {
        double[] h = Reference64.linear(in.get(0), in.get(1), in.get(2), 17, 13, 11);
        double[] dz = Reference64.unaryBackward(UnaryOp.RELU, d, Reference64.linear(h, in.get(3), in.get(4), 17, 11, 19))[0];
        double[][] second = Reference64.linearBackward(dz, h, in.get(3), in.get(4), 17, 11, 19);
        double[][] first = Reference64.linearBackward(second[0], in.get(0), in.get(1), in.get(2), 17, 13, 11);
        return new double[][] {first[0], first[1], first[2], second[1], second[2]};
    }

    /** Checks every case on {@code backend} against {@link GradCheck#DEFAULT_TOLERANCE}. */
    public static List<Row> run(Backend backend) {
        List<Row> rows = new ArrayList<>();
        for (Case c : cases()) {
            GradCheck.Report r = c.check(backend);
            rows.add(new Row(c.op(), c.shapes(), r.maxRelError(), GradCheck.DEFAULT_TOLERANCE,
                    r.within(GradCheck.DEFAULT_TOLERANCE), r));
        }
        return rows;
    }

    /** The rows as a fixed-width text table, one line per op, then a summary line. */
    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder("%-22s %-26s %12s  %s%n".formatted("op", "input shapes", "max rel err", "result"));
        int failed = 0;
        for (Row r : rows) {
            b.append("%-22s %-26s %12.3e  %s%n".formatted(r.op(), r.shapes(), r.maxRelError(), r.pass() ? "ok" : "FAIL"));
            if (!r.pass()) failed++;
        }
        b.append("%d of %d ops within %.0e (|analytic − numeric| / max(|a|, |n|, %.0e, %.0e·max|n| of the input))%n"
                .formatted(rows.size() - failed, rows.size(), GradCheck.DEFAULT_TOLERANCE, GradCheck.DEFAULT_FLOOR,
                        GradCheck.SCALE_FLOOR));
        return b.toString();
    }
}
