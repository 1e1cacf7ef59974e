package dev.posenc.models.vit;

import dev.posenc.models.encodings.CapeAugmentation;
import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.encodings.LffAmplitude;
import dev.posenc.models.encodings.LffInit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One ViT run on Fashion-MNIST: the model's shape, its positional encoding, and the training budget's fixed
 * part (everything but the number of epochs, so that a resumed run may extend a finished one).
 * Defaults ({@link #defaults}) follow spec §1.4 item 3: 28 × 28 images in 4 × 4 patches (a 7 × 7 grid, 49
 * tokens plus the class token), D 64, 4 pre-norm blocks of 4 heads and an MLP of 2·D, LFF with |F| 64,
 * |H| 32, γ 1 on positions in patch units; Adam at 1e-3, batches of 128, trained on the first
 * {@value #DEFAULT_TRAIN_LIMIT} training images (78 steps of 128: about a minute per epoch on 2 busy cores,
 * where a step took 0.65–1.3 s) and tested on the first {@value #DEFAULT_TEST_LIMIT} test images.
 *
 * @param encoding    positional encoding: one of {@link #ENCODINGS}
 * @param imageSize   side of the (square) training images, a multiple of {@code patch}
 * @param patch       side of a patch, > 0
 * @param dim         D, the token width; divisible by heads (and by 4 for sine2d)
 * @param depth       L, the number of transformer blocks
 * @param heads       attention heads per block
 * @param mlpHidden   hidden width of each block's GELU MLP
 * @param fourierDims LFF |F| (lff-only has D = |F|, so it needs |F| = D)
 * @param lffHidden   LFF and mlp |H|
 * @param gamma       LFF γ, in patch units: W_r ~ N(0, 1/γ²) radians per patch
 * @param amplitude   LFF and lff-only feature amplitude: PAPER (1/√F, Li et al. Eq. 2, the default) or UNIT (1)
 * @param tableStd    embed1d and embed2d: the tables' initial std (ViT's 0.02 by default)
 * @param lr          Adam's learning rate (constant)
 * @param batch       images per step; the last partial batch of an epoch is dropped
 * @param seed        seeds the weights (body first, then the encoding) and the data order
 * @param trainLimit  train on the first trainLimit training images
 * @param testLimit   test on the first testLimit test images
 * @param evalEvery   test accuracy every this many steps (and at the end of each epoch)
 * @param cape        cape2d's augmentation, in patch units on centred positions (see {@link #defaultCape})
 */
public record VitConfig(String encoding, int imageSize, int patch, int dim, int depth, int heads, int mlpHidden,
                        int fourierDims, int lffHidden, double gamma, LffAmplitude amplitude, double tableStd,
                        double lr, int batch, long seed, int trainLimit, int testLimit, int evalEvery,
                        CapeAugmentation cape) {
    /** The encodings of the study, in the paper's table order; {@code none} adds no positions at all. */
    public static final List<String> ENCODINGS =
            List.of("embed1d", "embed2d", "sine2d", "cape2d", "mlp", "lff-only", "lff", "none");
    public static final int CLASSES = 10;
    static final int DEFAULT_TRAIN_LIMIT = 10000, DEFAULT_TEST_LIMIT = 2000;

    public VitConfig {
        if (!ENCODINGS.contains(encoding)) throw new IllegalArgumentException(
                "vit: encoding: expected one of %s, got '%s'".formatted(ENCODINGS, encoding));
        positive("patch", patch);
        positive("imageSize", imageSize);
        if (imageSize % patch != 0) throw new IllegalArgumentException(
                "vit: imageSize: expected a multiple of the patch size %d, got %d".formatted(patch, imageSize));
        positive("dim", dim);
        positive("depth", depth);
        positive("heads", heads);
        if (dim % heads != 0) throw new IllegalArgumentException(
                "vit: heads: expected a divisor of dim = %d, got %d".formatted(dim, heads));
        positive("mlpHidden", mlpHidden);
        positive("batch", batch);
        positive("trainLimit", trainLimit);
        positive("testLimit", testLimit);
        positive("evalEvery", evalEvery);
        if (amplitude == null) throw new IllegalArgumentException("vit: amplitude: expected PAPER or UNIT, got null");
        if (!(tableStd > 0) || Double.isInfinite(tableStd)) throw new IllegalArgumentException(
                "vit: tableStd: expected > 0, got " + tableStd);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("vit: lr: expected > 0, got " + lr);
        if (cape == null) throw new IllegalArgumentException("vit: cape: expected an augmentation, got null");
        // fourierDims, lffHidden and gamma are checked by the encoding that uses them, under its name
    }

    private static void positive(String arg, int v) {
        if (v <= 0) throw new IllegalArgumentException("vit: %s: expected > 0, got %d".formatted(arg, v));
    }

    /** Spec §1.4 item 3 for {@code encoding}, seed 0. */
    public static VitConfig defaults(String encoding) {
        return new VitConfig(encoding, 28, 4, 64, 4, 4, 128, 64, 32, 1.0, LffAmplitude.PAPER, 0.02, 1e-3, 128, 0,
                DEFAULT_TRAIN_LIMIT, DEFAULT_TEST_LIMIT, 50, defaultCape(28 / 4));
    }

    /**
     * CAPE's ViT setting (spec §4.3: Δmax 0.5, λmax 1.4 on a grid spanning [−1, 1]) in patch units for a
     * {@code grid} × {@code grid} training grid, on centred positions (normalize): [−1, 1] spans grid − 1 patches,
     * so Δmax = 0.5·(grid − 1)/2 patches. εmax 0.5 patch: the public ViT config's 0.5 (spec §4.3); the spec's
     * other reading, εmax 1 step, lets neighbouring patches swap places.
     */
    public static CapeAugmentation defaultCape(int grid) {
        return new CapeAugmentation(0.5 * (grid - 1) / 2.0, 0.5, 1.4, true);
    }

    /** Patches per side at the training resolution. */
    public int grid() { return imageSize / patch; }

    /** The encoding's hyperparameters: 2-D positions in patch units, output D, the training grid for tables. */
    public EncodingParams encodingParams() {
        return EncodingParams.defaults(2).toBuilder().fourierDims(fourierDims).hidden(lffHidden).outputDims(dim)
                .gamma(gamma).lffInit(LffInit.PAPER).lffAmplitude(amplitude)
                .tableStd(tableStd).grid(grid(), grid())
                .cape(cape.globalShift(), cape.localShift(), cape.globalScaling(), cape.normalize()).build();
    }

    /** Everything above as strings, for a checkpoint's metadata; equal maps mean the same run. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("encoding", encoding);
        m.put("image_size", Integer.toString(imageSize));
        m.put("patch", Integer.toString(patch));
        m.put("dim", Integer.toString(dim));
        m.put("depth", Integer.toString(depth));
        m.put("heads", Integer.toString(heads));
        m.put("mlp_hidden", Integer.toString(mlpHidden));
        m.put("fourier_dims", Integer.toString(fourierDims));
        m.put("lff_hidden", Integer.toString(lffHidden));
        m.put("gamma", Double.toString(gamma));
        m.put("lff_amplitude", amplitude.name());
        m.put("table_std", Double.toString(tableStd));
        m.put("lr", Double.toString(lr));
        m.put("batch", Integer.toString(batch));
        m.put("seed", Long.toString(seed));
        m.put("train_limit", Integer.toString(trainLimit));
        m.put("test_limit", Integer.toString(testLimit));
        m.put("eval_every", Integer.toString(evalEvery));
        if (encoding.equals("cape2d")) {   // only where it matters, so the other encodings' checkpoints stay valid
            m.put("cape_global_shift", Double.toString(cape.globalShift()));
            m.put("cape_local_shift", Double.toString(cape.localShift()));
            m.put("cape_global_scaling", Double.toString(cape.globalScaling()));
            m.put("cape_normalize", Boolean.toString(cape.normalize()));
        }
        return m;
    }

    /** A one-line summary for logs and results.md. */
    public String describe() {
        return String.format(Locale.ROOT, "%d×%d images, %d×%d patches, D %d, %d blocks × %d heads, MLP %d, "
                + "|F| %d, |H| %d, γ %s, amplitude %s, table std %s; Adam %s, batch %d, seed %d, %d train / %d test "
                + "images", imageSize, imageSize, patch, patch, dim, depth, heads, mlpHidden, fourierDims, lffHidden,
                gamma, amplitude, tableStd, lr, batch, seed, trainLimit, testLimit)
                + (encoding.equals("cape2d") ? String.format(Locale.ROOT, "; CAPE Δmax %s, εmax %s patches, λmax %s%s",
                cape.globalShift(), cape.localShift(), cape.globalScaling(), cape.normalize() ? ", centred" : "") : "");
    }

    public VitConfig withEncoding(String v) { return edit(e -> e.encoding = v); }

    public VitConfig withGamma(double v) { return edit(e -> e.gamma = v); }

    public VitConfig withAmplitude(LffAmplitude v) { return edit(e -> e.amplitude = v); }

    public VitConfig withTableStd(double v) { return edit(e -> e.tableStd = v); }

    public VitConfig withLr(double v) { return edit(e -> e.lr = v); }

    public VitConfig withSeed(long v) { return edit(e -> e.seed = v); }

    public VitConfig withLimits(int train, int test) {
        return edit(e -> {
            e.trainLimit = train;
            e.testLimit = test;
        });
    }

    public VitConfig withBatch(int v) { return edit(e -> e.batch = v); }

    public VitConfig withCape(CapeAugmentation v) { return edit(e -> e.cape = v); }

    public VitConfig withEvalEvery(int v) { return edit(e -> e.evalEvery = v); }

    public VitConfig withSize(int imageSize, int patch) {
        return edit(e -> {
            e.imageSize = imageSize;
            e.patch = patch;
        });
    }

    /** A smaller model: width, blocks, heads, MLP width, and |F| = width so that lff-only still fits. */
    public VitConfig withModel(int dim, int depth, int heads, int mlpHidden) {
        return edit(e -> {
            e.dim = dim;
            e.depth = depth;
            e.heads = heads;
            e.mlpHidden = mlpHidden;
            e.fourierDims = dim;
        });
    }

    /** This configuration with some fields changed; the constructor validates the result. */
    private VitConfig edit(Consumer<Editor> change) {
        Editor e = new Editor(this);
        change.accept(e);
        return new VitConfig(e.encoding, e.imageSize, e.patch, e.dim, e.depth, e.heads, e.mlpHidden, e.fourierDims,
                e.lffHidden, e.gamma, e.amplitude, e.tableStd, e.lr, e.batch, e.seed, e.trainLimit, e.testLimit,
                e.evalEvery, e.cape);
    }

    /** The record's fields, mutable, for {@link #edit}: one place that lists the constructor's arguments. */
    private static final class Editor {
        String encoding;
        int imageSize, patch, dim, depth, heads, mlpHidden, fourierDims, lffHidden, batch, trainLimit, testLimit,
                evalEvery;
        double gamma, tableStd, lr;
        LffAmplitude amplitude;
        CapeAugmentation cape;
        long seed;

        Editor(VitConfig c) {
            encoding = c.encoding; imageSize = c.imageSize; patch = c.patch; dim = c.dim; depth = c.depth;
            heads = c.heads; mlpHidden = c.mlpHidden; fourierDims = c.fourierDims; lffHidden = c.lffHidden;
            gamma = c.gamma; amplitude = c.amplitude; tableStd = c.tableStd; lr = c.lr; batch = c.batch;
            seed = c.seed; trainLimit = c.trainLimit; testLimit = c.testLimit; evalEvery = c.evalEvery;
            cape = c.cape;
        }
    }
}
