package dev.posenc.models.analysis.ntk;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Activations;
import dev.posenc.core.Rng;
import dev.posenc.core.UnaryOp;
import dev.posenc.models.encodings.Encoding;
import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.nn.CoordinateModel;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.nn.ParameterStore;
import dev.posenc.models.train.FitConfig;

import java.util.List;
import java.util.Map;

/**
 * The network whose tangent kernel is analysed: fit-image's {@link CoordinateModel} itself (the same encodings,
 * Tancik's 3 × [Dense(256) + ReLU] + Dense(3) + sigmoid, stax initialisation, encoding drawn first from one
 * seeded Rng), read as the scalar function
 * <pre>
 *   f(x) = z_L(x)[0]      output channel 0 of the last Dense layer, BEFORE the sigmoid
 * </pre>
 * Why this output: the NTK theory (and its exact linear prediction under gradient descent) is about a model
 * whose output is linear in the last layer. The sigmoid is a fixed squashing applied after that; channel 0 is
 * as good as any (the three channels have identically distributed weights and the same kernel in
 * distribution). Only row 0 and element 0 of the last layer's weight and bias reach f; the other rows get zero
 * gradient and never change under training on f.
 */
public final class NtkNetwork implements AutoCloseable {
    /** The output channel f reads. */
    public static final int CHANNEL = 0;
    /** The encodings this analysis supports: fit-image's table. */
    public static final List<String> ENCODINGS = List.of("none", "basic", "positional", "gaussian", "lff");

    private final String encodingName;
    private final CoordinateModel model;

    private NtkNetwork(String encodingName, CoordinateModel model) {
        this.encodingName = encodingName;
        this.model = model;
    }

    /**
     * fit-image's model for {@code encoding} on {@code dims}-D positions, with fit-image's LFF sizes (|F| 512,
     * |H| 256, D 256, G 1, unit amplitude, γ = 1/(2πσ)), Gaussian σ and positional scale as given.
     */
    public static NtkNetwork create(String encoding, int dims, double sigma, double posencScale, int[] hidden, long seed) {
        return create(encoding, params(dims, sigma, posencScale), hidden, seed);
    }

    /** As {@link #create(String, int, double, double, int[], long)} with explicit encoding hyperparameters. */
    public static NtkNetwork create(String encoding, EncodingParams params, int[] hidden, long seed) {
        if (!ENCODINGS.contains(encoding)) throw new IllegalArgumentException(
                "encoding: expected one of %s, got '%s'".formatted(String.join(", ", ENCODINGS), encoding));
        return new NtkNetwork(encoding, CoordinateModel.create(encoding, params, hidden, new Rng(seed)));
    }

    /** The model a saved {@link CoordinateModel#config()} describes (weights freshly drawn: load the real ones). */
    public static NtkNetwork fromConfig(Map<String, String> config) {
        String encoding = config.get("encoding");
        if (!ENCODINGS.contains(encoding)) throw new IllegalArgumentException(
                "encoding: expected one of %s, got '%s'".formatted(String.join(", ", ENCODINGS), encoding));
        return new NtkNetwork(encoding, CoordinateModel.fromConfig(config));
    }

    /** fit-image's encoding hyperparameters (FitConfig) on {@code dims}-D positions with σ and scale as given. */
    public static EncodingParams params(int dims, double sigma, double posencScale) {
        return FitConfig.defaults().withSigma(sigma).withGamma(FitConfig.gammaFor(sigma)).withScale(posencScale)
                .encodingParams().toBuilder().positionDims(dims).build();
    }

    /** The last layer's outputs before the sigmoid, (N, 3) from positions (N, M); f is column {@link #CHANNEL}. */
    public Var forward(Tape tape, Var positions) {
        Var h = model.encoding().apply(tape, positions);
        List<Dense> layers = model.mlp().layers();
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).apply(tape, h);
            if (i < layers.size() - 1) h = Activations.apply(tape, model.mlp().activation(), h);
        }
        return h;
    }

    /** The hidden activation (ReLU for fit-image's MLP). */
    public UnaryOp activation() { return model.mlp().activation(); }

    public String encodingName() { return encodingName; }

    public Encoding encoding() { return model.encoding(); }

    /** The MLP's Dense layers, input to output. */
    public List<Dense> layers() { return model.mlp().layers(); }

    public Mlp mlp() { return model.mlp(); }

    public ParameterStore store() { return model.store(); }

    public int inputDims() { return model.encoding().inputDims(); }

    @Override public void close() { model.close(); }
}
