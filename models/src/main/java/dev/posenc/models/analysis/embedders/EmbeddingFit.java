package dev.posenc.models.analysis.embedders;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.nn.ParameterStore;
import dev.posenc.models.optim.Adam;

import java.lang.foreign.Arena;

/**
 * Fits y ≈ f(Ψ(x)) on the training rows of an embedding and measures PSNR = −10·log10(MSE) on the training
 * and test rows (signals in [0, 1], so the peak is 1). Full-batch Adam (torch's arithmetic: β 0.9, 0.999,
 * ε 1e-8) on the loss mean((f − y)²), through the engine's Backend and autograd:
 * <ul>
 *   <li>depth 0: f = Ψ·w + b, one linear layer (Zheng et al.'s 1-D set-up), starting at w = 0, b = 0;</li>
 *   <li>depth D: D hidden layers of {@code width} with ReLU, then a linear output, torch.nn.Linear's init.</li>
 * </ul>
 * Why the linear layer starts at zero: with torch's U(±1/√d) start, a coordinate of w that no training row
 * excites keeps its random start, and a test point of a narrow embedder reads mostly those coordinates: its
 * prediction carries noise of std ≈ ‖Ψ(x)‖/√(3d) ≈ 0.02, a ceiling of about 30 dB that has nothing to do with
 * the embedder. From zero, the fit is the minimum-change one that Adam reaches, and the narrow embedders'
 * test PSNR is what their overlap with the training rows allows.
 * The reported PSNRs are of the final weights (no average over the last steps).
 */
public final class EmbeddingFit {
    /** PSNRs of one fit. */
    public record Result(double trainPsnr, double testPsnr) {
        /** The training MSE, 10^(−PSNR/10). */
        public double trainMse() { return Math.pow(10, -trainPsnr / 10); }
    }

    private EmbeddingFit() {}

    /**
     * Fits on {@code train} (rows × d, row-major) with targets {@code yTrain}, then evaluates on both sets.
     * Reads its inputs only; the weights live and die inside the call.
     */
    public static Result fit(Backend backend, double[] train, double[] yTrain, double[] test, double[] yTest, int d,
                             int depth, int width, int steps, double lr, long seed) {
        int[] hidden = new int[depth];
        java.util.Arrays.fill(hidden, width);
        try (ParameterStore store = new ParameterStore(); Arena arena = Arena.ofShared()) {
            Mlp net = new Mlp(store, "fit", d, hidden, 1, UnaryOp.RELU, null, Dense.InitScheme.TORCH);
            store.allocate(new Rng(seed));
            if (depth == 0) backend.scale(store.trainableValues(), store.trainableValues(), 0f);
            Tensor xTrain = tensor(arena, train, yTrain.length, d), tTrain = tensor(arena, yTrain, yTrain.length, 1);
            try (Tape tape = new Tape(backend); Adam adam = new Adam(store, AdamConfig.adam((float) lr))) {
                for (int step = 0; step < steps; step++) {
                    tape.reset();
                    store.zeroGrad();
                    Var loss = Losses.mse(tape, net.apply(tape, tape.constant(xTrain)), tape.constant(tTrain));
                    tape.backward(loss);
                    adam.step(backend);
                }
                return new Result(psnr(tape, net, xTrain, yTrain),
                        psnr(tape, net, tensor(arena, test, yTest.length, d), yTest));
            }
        }
    }

    /** −10·log10 of the mean squared error of the net on (x, y), accumulated in double. */
    private static double psnr(Tape tape, Mlp net, Tensor x, double[] y) {
        tape.reset();
        try (var _ = tape.noGrad()) {
            Tensor pred = net.apply(tape, tape.constant(x)).value();
            double se = 0;
            for (int i = 0; i < y.length; i++) se += Math.pow(pred.get(i) - y[i], 2);
            return -10 * Math.log10(se / y.length);
        }
    }

    private static Tensor tensor(Arena arena, double[] values, int rows, int cols) {
        Tensor t = Tensor.zeros(arena, dev.posenc.core.Shape.of(rows, cols));
        for (int i = 0; i < values.length; i++) t.set(i, (float) values[i]);
        return t;
    }
}
