package dev.posenc.models.analysis.toy1d;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.UnaryOp;
import dev.posenc.models.encodings.Encoding;
import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.nn.ParameterStore;
import dev.posenc.models.optim.Adam;

import java.lang.foreign.Arena;

/**
 * One fit of the 1-D toy: f(x) = Mlp(γ(x)) with x (N, 1) in [0, 1), the fit-image network (ReLU, stax
 * initialisation) but with one linear output, as in the 1-D notebook (its targets lie in [−0.5, 0.5], where a
 * sigmoid would only get in the way). Full-batch Adam on loss 0.5·mean((f − y)²) over the training points;
 * PSNR = −10·log10(MSE), the signal's peak-to-peak range being 1.
 */
final class SignalFit {
    private SignalFit() {}

    /** PSNRs (dB) after the last step, on the training points and on the test points. */
    record Result(double trainPsnr, double testPsnr) {}

    /**
     * Fits {@code mapping} ({@code gaussian}: σ = scale; {@code positional}: 2^linspace(0, scale, m) − 1) to
     * {@code signal}. The weights and B come from {@code seed}, so two fits with one seed share their
     * initialisation and, for the Gaussian, the direction of B (B = σ·Z with the same Z).
     */
    static Result fit(Backend backend, String mapping, double scale, Toy1dConfig c, double[] signal, Split split,
                      long seed) {
        EncodingParams params = EncodingParams.defaults(1).toBuilder().sigma(scale).scale(scale)
                .gaussianFeatures(c.features()).perAxis(c.features()).build();
        try (ParameterStore store = new ParameterStore(); Arena arena = Arena.ofShared();
             Tape tape = new Tape(backend)) {
            Encoding enc = Encodings.create(mapping, params, store);
            Mlp mlp = new Mlp(store, "mlp", enc.outputDims(), c.hidden(), 1, UnaryOp.RELU, null, Dense.InitScheme.STAX);
            store.allocate(new Rng(seed));
            Tensor trainX = positions(arena, split.train(), signal.length), trainY = targets(arena, split.train(), signal);
            Tensor testX = positions(arena, split.test(), signal.length), testY = targets(arena, split.test(), signal);
            try (Adam adam = new Adam(store, AdamConfig.adam((float) c.lr()))) {
                for (int step = 0; step < c.steps(); step++) {
                    tape.reset();
                    store.zeroGrad();
                    Var pred = mlp.apply(tape, enc.apply(tape, tape.constant(trainX)));
                    tape.backward(Elementwise.scale(tape, Losses.mse(tape, pred, tape.constant(trainY)), 0.5f));
                    adam.step(backend);
                }
            }
            return new Result(psnr(backend, tape, enc, mlp, trainX, trainY), psnr(backend, tape, enc, mlp, testX, testY));
        }
    }

    private static double psnr(Backend backend, Tape tape, Encoding enc, Mlp mlp, Tensor x, Tensor y) {
        tape.reset();
        try (var _ = tape.noGrad()) {
            Var pred = mlp.apply(tape, enc.apply(tape, tape.constant(x)));
            return -10 * Math.log10(backend.mse(pred.value(), y));
        }
    }

    /** x_i = i/N for the given indices, as an (n, 1) tensor. */
    private static Tensor positions(Arena arena, int[] indices, int points) {
        Tensor t = Tensor.zeros(arena, Shape.of(indices.length, 1));
        for (int r = 0; r < indices.length; r++) t.set(r, (float) indices[r] / points);
        return t;
    }

    private static Tensor targets(Arena arena, int[] indices, double[] signal) {
        Tensor t = Tensor.zeros(arena, Shape.of(indices.length, 1));
        for (int r = 0; r < indices.length; r++) t.set(r, (float) signal[indices[r]]);
        return t;
    }
}
