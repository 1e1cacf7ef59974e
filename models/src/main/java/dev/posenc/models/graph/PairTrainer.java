package dev.posenc.models.graph;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.BinaryCrossEntropy;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Reductions;
import dev.posenc.autograd.ops.Sparse;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Tensor;
import dev.posenc.models.optim.Adam;

import java.util.SplittableRandom;

/**
 * Trains a {@link NodeEncoder} on a {@link PairTask} the P-GNN way: full batch, each epoch the training positives and
 * as many fresh negatives, score s = z_u · z_v, binary cross-entropy on the logits, Adam at a constant rate. Every
 * {@code evalEvery} epochs the validation and test ROC-AUC are measured; the result is the test AUC at the best
 * validation AUC (the first such epoch).
 */
public final class PairTrainer {
    private PairTrainer() {}

    /** Salts that keep the anchor draw, the negative draws and the weights apart for one seed. */
    private static final long ANCHOR_SALT = 0xA2C4_0E5L, NEGATIVE_SALT = 0x2E6A_71FEL, WEIGHT_SALT = 0x3E16_475L;

    /** Budget and sizes. {@code anchors} 0: {@link Anchors#defaultCount}. */
    public record Config(int epochs, double lr, int evalEvery, int anchors, GraphModel.Sizes sizes) {}

    /** One run: test ROC-AUC at the best validation AUC, that validation AUC and epoch, anchors used, wall time. */
    public record Result(String task, GraphModel model, long seed, double rocAuc, double valAuc, int bestEpoch,
                         int anchors, double seconds) {}

    @FunctionalInterface
    public interface Progress {
        void update(int epoch, double loss, double valAuc);
    }

    public static Result train(Backend backend, PairTask task, GraphModel kind, Config c, long seed, Progress progress) {
        long t0 = System.nanoTime();
        int n = task.graph().nodes();
        int k = c.anchors() == 0 ? Anchors.defaultCount(n) : c.anchors();
        int[] anchors = Anchors.draw(n, k, seed ^ ANCHOR_SALT);
        SplittableRandom negatives = new SplittableRandom(seed ^ NEGATIVE_SALT);
        NodeEncoder model = kind.build(task.graph(), anchors, c.sizes(), seed ^ WEIGHT_SALT);
        try (var store = model.store(); Tape tape = new Tape(backend); Tape evalTape = new Tape(backend);
             Adam adam = new Adam(store, AdamConfig.adam((float) c.lr()))) {
            double bestVal = -1, test = Double.NaN;
            int bestEpoch = 0;
            for (int epoch = 1; epoch <= c.epochs(); epoch++) {
                tape.reset();
                store.zeroGrad();
                PairTask.Pairs neg = task.trainNegatives(task.train().size(), negatives);
                Var z = model.embed(tape);
                Var loss = BinaryCrossEntropy.withLogits(tape, scores(tape, z, task.train(), neg), labels(task.train(), neg));
                tape.backward(loss);
                adam.step(backend);
                double val = Double.NaN;
                if (epoch % c.evalEvery() == 0 || epoch == c.epochs()) {
                    Tensor emb;
                    evalTape.reset();
                    try (var _ = evalTape.noGrad()) { emb = model.embed(evalTape).value(); }
                    val = auc(emb, task.val());
                    if (val > bestVal) {
                        bestVal = val;
                        bestEpoch = epoch;
                        test = auc(emb, task.test());
                    }
                }
                progress.update(epoch, loss.value().get(0), val);
            }
            return new Result(task.name(), kind, seed, test, bestVal, bestEpoch, kind.usesAnchors() ? k : 0,
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    /** s_i = z[u_i] · z[v_i] for the positives, then the negatives: (P + Q). */
    static Var scores(Tape tape, Var z, PairTask.Pairs pos, PairTask.Pairs neg) {
        int[] u = concat(pos.u(), neg.u()), v = concat(pos.v(), neg.v());
        return Reductions.sumCols(tape, Elementwise.mul(tape, Sparse.gather(tape, z, u), Sparse.gather(tape, z, v)));
    }

    /** ROC-AUC of the dot-product scores of {@code pairs} under embeddings z (N, D). */
    static double auc(Tensor z, PairTask.Pairs pairs) {
        int d = z.cols();
        double[] s = new double[pairs.size()];
        for (int i = 0; i < s.length; i++) {
            double dot = 0;
            for (int j = 0; j < d; j++) dot += (double) z.get(pairs.u()[i], j) * z.get(pairs.v()[i], j);
            s[i] = dot;
        }
        return RocAuc.of(s, pairs.label());
    }

    private static float[] labels(PairTask.Pairs pos, PairTask.Pairs neg) {
        float[] y = new float[pos.size() + neg.size()];
        System.arraycopy(pos.label(), 0, y, 0, pos.size());
        return y;   // the negatives' labels stay 0
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
