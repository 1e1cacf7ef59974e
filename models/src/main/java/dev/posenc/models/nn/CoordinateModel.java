package dev.posenc.models.nn;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.RgbImage;
import dev.posenc.models.encodings.Encoding;
import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.encodings.Encodings;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A coordinate network (Tancik et al.): RGB (N, 3) = Mlp(encoding(positions (N, 2))), with the MLP of
 * {@link Mlp#tancik}. Owns its {@link ParameterStore}: close the model to free every weight.
 *
 * <p>Positions are (x, y) = (column/width, row/height) in [0, 1), the layout of the notebook's
 * {@code meshgrid}. {@link #predict} and {@link #render} run in chunks of rows on one reused tape without
 * gradients, so rendering 1024×1024 needs the activations of one chunk, not of a million pixels.
 */
public final class CoordinateModel implements AutoCloseable {
    /** Rows per forward chunk when rendering: 8192 rows × (512 + 3·256) floats ≈ 42 MB of activations. */
    public static final int DEFAULT_CHUNK_ROWS = 8192;
    static final String FORMAT = "posenc.coordinate-model";
    static final String FORMAT_VERSION = "1";

    private final ParameterStore store;
    private final Encoding encoding;
    private final Mlp mlp;

    private CoordinateModel(ParameterStore store, Encoding encoding, Mlp mlp) {
        this.store = store;
        this.encoding = encoding;
        this.mlp = mlp;
    }

    /**
     * A new model: the encoding {@code encodingName} with {@code params}, then Tancik's MLP with the given
     * hidden widths ({@link Mlp#TANCIK_HIDDEN} for the paper's), initialised from {@code rng} (encoding first).
     */
    public static CoordinateModel create(String encodingName, EncodingParams params, int[] hidden, Rng rng) {
        CoordinateModel model = declare(encodingName, params, hidden);
        try {
            model.store.allocate(rng);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The model's layers with their tensors declared but not allocated (nothing big exists yet). */
    private static CoordinateModel declare(String encodingName, EncodingParams params, int[] hidden) {
        ParameterStore store = new ParameterStore();
        try {
            Encoding enc = Encodings.create(encodingName, params, store);
            return new CoordinateModel(store, enc, Mlp.tancik(store, "mlp", enc.outputDims(), hidden));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Sees a model's declared tensors before they are allocated; throws to stop the build. */
    @FunctionalInterface
    public interface DeclarationCheck {
        void check(List<ParameterStore.Parameter> declared) throws IOException;
    }

    /**
     * A model of the shape {@link #config()} describes, with freshly initialised weights (seed 0): the
     * caller loads the real values into {@link #store()} (see {@code ModelFile}).
     */
    public static CoordinateModel fromConfig(Map<String, String> config) {
        try {
            return fromConfig(config, declared -> {});
        } catch (IOException e) {
            throw new AssertionError("the empty check throws nothing", e);
        }
    }

    /**
     * {@link #fromConfig(Map)} with {@code check} run on the declared tensors before anything is allocated:
     * a config read from a file is untrusted, and its widths alone decide gigabytes of off-heap weights.
     */
    public static CoordinateModel fromConfig(Map<String, String> config, DeclarationCheck check) throws IOException {
        String format = config.get("format");
        if (!FORMAT.equals(format)) throw new IllegalArgumentException(
                "model config: format: expected '%s', got '%s'".formatted(FORMAT, format));
        if (!FORMAT_VERSION.equals(config.get("format_version"))) throw new IllegalArgumentException(
                "model config: format_version: expected %s, got %s"
                        .formatted(FORMAT_VERSION, config.get("format_version")));
        Map<String, String> enc = new LinkedHashMap<>();
        for (var e : config.entrySet()) {
            if (e.getKey().equals("encoding")) enc.put("encoding", e.getValue());
            else if (e.getKey().startsWith("encoding.")) enc.put(e.getKey().substring(9), e.getValue()); // "encoding."
        }
        String mlpKind = config.get("mlp");
        if (!"tancik".equals(mlpKind)) throw new IllegalArgumentException(
                "model config: mlp: expected 'tancik', got '%s'".formatted(mlpKind));
        int[] hidden = parseWidths(config.get("mlp.hidden"));
        EncodingParams params = Encodings.paramsOf(enc);
        CoordinateModel model = declare(enc.get("encoding"), params, hidden);
        try {
            if (!model.config().equals(config)) throw new IllegalArgumentException(
                    "model config: expected a consistent configuration, got %s (rebuilt as %s)"
                            .formatted(config, model.config()));
            check.check(model.store.all());
            model.store.allocate(new Rng(0));
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static int[] parseWidths(String s) {
        if (s == null) throw new IllegalArgumentException("model config: mlp.hidden: expected widths, got none");
        try {
            return s.isEmpty() ? new int[0] : Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "model config: mlp.hidden: expected comma-separated widths, got '%s'".formatted(s));
        }
    }

    /** rgb (N, 3) in (0, 1) from positions (N, 2): the differentiable forward, for training. */
    public Var forward(Tape tape, Var positions) {
        // LFF ends in a Linear layer and the MLP starts with one: the two run as one (LinearPairRelu).
        Dense tail = encoding.linearTail();
        if (tail != null && mlp.fusesAfter()) return mlp.applyAfter(tape, encoding.applyBeforeTail(tape, positions), tail);
        return mlp.apply(tape, encoding.apply(tape, positions));
    }

    /**
     * out (N, 3) = the model at positions (N, 2), computed {@code chunkRows} rows at a time without
     * gradients. Modifies out only.
     */
    public void predict(Backend backend, Tensor positions, Tensor out, int chunkRows) {
        try (Tape tape = new Tape(backend)) {
            predict(tape, positions, out, chunkRows);
        }
    }

    /**
     * {@link #predict(Backend, Tensor, Tensor, int)} on a caller's tape, which is {@link Tape#reset()} before
     * each chunk: a loop that evaluates often (a trainer) reuses one slab and allocates nothing. Everything
     * recorded on the tape before the call is dead after it. positions and out may be host tensors or in the
     * tape backend's memory (host ones are copied through it). Modifies out.
     */
    public void predict(Tape tape, Tensor positions, Tensor out, int chunkRows) {
        if (chunkRows <= 0) throw new IllegalArgumentException("predict: chunkRows: expected > 0, got " + chunkRows);
        if (positions.rank() != 2 || positions.cols() != encoding.inputDims()) throw new IllegalArgumentException(
                "predict: positions: expected (N, %d), got %s".formatted(encoding.inputDims(), positions.shape()));
        boolean outOk = out.rank() == 2 && out.rows() == positions.rows() && out.cols() == mlp.out();
        if (!outOk) throw new IllegalArgumentException(
                "predict: out: expected (%d, %d), got %s".formatted(positions.rows(), mlp.out(), out.shape()));
        try (var _ = tape.noGrad(); var _ = store().placedOn(tape.backend().memory())) {
            for (int from = 0; from < positions.rows(); from += chunkRows) {
                int to = Math.min(positions.rows(), from + chunkRows);
                tape.reset();
                Var y = forward(tape, tape.constant(tape.upload(positions.rowRange(from, to))));
                tape.backend().memory().copy(out.rowRange(from, to), y.value());   // out may be host or backend memory
            }
        }
    }

    /** The image the model draws at height × width: pixel (r, c) is the model at (c/width, r/height). */
    public RgbImage render(Backend backend, int height, int width) { return render(backend, height, width, false); }

    /**
     * {@link #render(Backend, int, int)}, with the tape's per-op finite check when {@code checkFinite}
     * ({@link Tape.NonFiniteException} names the op that made the first NaN/Inf).
     */
    public RgbImage render(Backend backend, int height, int width, boolean checkFinite) {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException(
                "render: expected a positive height and width, got %d × %d".formatted(height, width));
        if (encoding.inputDims() != 2) throw new IllegalArgumentException(
                "render: expected a model of 2-D positions, got %d-D".formatted(encoding.inputDims()));
        float[] pixels = new float[Math.multiplyExact(Math.multiplyExact(height, width), RgbImage.CHANNELS)];
        long total = (long) height * width;
        try (Tape tape = new Tape(backend, checkFinite); var _ = tape.noGrad()) {
            for (long from = 0; from < total; from += DEFAULT_CHUNK_ROWS) {
                int rows = (int) Math.min(DEFAULT_CHUNK_ROWS, total - from);
                tape.reset();
                Tensor xy = tape.alloc(rows, 2);
                for (int i = 0; i < rows; i++) {
                    long p = from + i;
                    xy.set(i, 0, (float) (p % width) / width);
                    xy.set(i, 1, (float) (p / width) / height);
                }
                Tensor rgb = forward(tape, tape.constant(xy)).value();
                int at = (int) (from * RgbImage.CHANNELS);
                for (int i = 0; i < rows * RgbImage.CHANNELS; i++) pixels[at + i] = rgb.get(i);
            }
        }
        return new RgbImage(height, width, pixels);
    }

    /**
     * Everything that rebuilds this model's shape (safetensors metadata): format, encoding name and
     * hyperparameters (as {@code encoding.<key>}), MLP widths and activations.
     */
    public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("format", FORMAT);
        c.put("format_version", FORMAT_VERSION);
        for (var e : encoding.config().entrySet()) {
            c.put(e.getKey().equals("encoding") ? "encoding" : "encoding." + e.getKey(), e.getValue());
        }
        c.put("mlp", "tancik");
        c.put("mlp.hidden", String.join(",", Arrays.stream(mlp.hidden()).mapToObj(Integer::toString).toList()));
        c.put("mlp.out", Integer.toString(mlp.out()));
        c.put("mlp.activation", mlp.activation().name().toLowerCase());
        c.put("mlp.output", mlp.output() == null ? "none" : mlp.output().name().toLowerCase());
        return c;
    }

    public Encoding encoding() { return encoding; }

    public Mlp mlp() { return mlp; }

    public ParameterStore store() { return store; }

    @Override public void close() { store.close(); }
}
