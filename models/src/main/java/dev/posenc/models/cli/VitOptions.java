package dev.posenc.models.cli;

import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.encodings.CapeAugmentation;
import dev.posenc.models.encodings.LffAmplitude;
import dev.posenc.models.vit.VitConfig;
import dev.posenc.models.vit.VitMemory;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The data and budget options that train-vit and compare-pe share (a picocli mixin). */
final class VitOptions {
    private static final VitConfig DEFAULTS = VitConfig.defaults("lff");

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX folder (default: ${DEFAULT-VALUE}."
            + " Missing? apt-get install dataset-fashion-mnist).")
    Path dir = FashionMnist.DEFAULT_DIR;

    @Option(names = "--train-limit", paramLabel = "N",
            description = "Train on the first N training images (default: 10000).")
    int trainLimit = DEFAULTS.trainLimit();

    @Option(names = "--test-limit", paramLabel = "N", description = "Test on the first N test images (default: 2000).")
    int testLimit = DEFAULTS.testLimit();

    @Option(names = "--seed", paramLabel = "S", description = "Seeds the weights and the data order (default: 0).")
    long seed = DEFAULTS.seed();

    @Option(names = "--batch", paramLabel = "B", description = "Images per step (default: 128).")
    int batch = DEFAULTS.batch();

    @Option(names = "--eval-every", paramLabel = "K", description = "Test accuracy every K steps (default: 50).")
    int evalEvery = DEFAULTS.evalEvery();

    @Option(names = "--gamma", paramLabel = "γ", description = "LFF γ in patch units: W_r ~ N(0, γ⁻²) (default: 1).")
    Double gamma;

    @Option(names = "--lff-amplitude", paramLabel = "A",
            description = "LFF feature amplitude: PAPER (1/√F, Li et al. Eq. 2; default) or UNIT (1).")
    LffAmplitude lffAmplitude;

    @Option(names = "--table-std", paramLabel = "S",
            description = "embed1d and embed2d: the tables' initial std (default: 0.02, ViT's).")
    Double tableStd;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam's learning rate (default: 1e-3).")
    Double lr;

    @Option(names = "--cape-global-shift", paramLabel = "Δ",
            description = "cape2d: Δmax, the largest global shift, in patches (default: 1.5, CAPE's 0.5 of the "
                    + "[-1, 1] grid).")
    Double capeGlobalShift;

    @Option(names = "--cape-local-shift", paramLabel = "ε",
            description = "cape2d: εmax, the largest local shift per patch, in patches (default: 0.5).")
    Double capeLocalShift;

    @Option(names = "--cape-scaling", paramLabel = "λ",
            description = "cape2d: λmax ≥ 1, the largest global scaling, log λ ~ U[-log λmax, log λmax] "
                    + "(default: 1.4).")
    Double capeScaling;

    @Option(names = "--small", description = "A small model for quick checks: D 16, 1 block, 2 heads, MLP 32.")
    boolean small;

    /** The run's configuration for {@code encoding}; every number checked by {@link OptionChecks}, naming it. */
    VitConfig config(String encoding) {
        int max = OptionChecks.MAX_COUNT;
        VitConfig c = VitConfig.defaults(encoding).withSeed(seed)
                .withLimits(OptionChecks.inRange("--train-limit", trainLimit, 1, max),
                        OptionChecks.inRange("--test-limit", testLimit, 1, max))
                .withBatch(OptionChecks.inRange("--batch", batch, 1, max))
                .withEvalEvery(OptionChecks.inRange("--eval-every", evalEvery, 1, max));
        if (gamma != null) c = c.withGamma(OptionChecks.positive("--gamma", gamma));
        if (lffAmplitude != null) c = c.withAmplitude(lffAmplitude);
        if (tableStd != null) c = c.withTableStd(OptionChecks.positive("--table-std", tableStd));
        if (lr != null) c = c.withLr(OptionChecks.positive("--lr", lr));
        CapeAugmentation cape = c.cape();
        if (capeGlobalShift != null || capeLocalShift != null || capeScaling != null) {
            c = c.withCape(new CapeAugmentation(
                    capeGlobalShift == null ? cape.globalShift() : atLeast("--cape-global-shift", capeGlobalShift, 0),
                    capeLocalShift == null ? cape.localShift() : atLeast("--cape-local-shift", capeLocalShift, 0),
                    capeScaling == null ? cape.globalScaling() : atLeast("--cape-scaling", capeScaling, 1),
                    cape.normalize()));
        }
        return small ? c.withModel(16, 1, 2, 32) : c;
    }

    private static double atLeast(String option, double v, double min) {
        if (!(v >= min) || Double.isInfinite(v)) throw new IllegalArgumentException(
                "%s: expected a finite number >= %s, got %s".formatted(option, min == 0 ? "0" : "1", v));
        return v;
    }

    /** Refuses a run that would not fit {@code budget} ({@link VitMemory}), naming the option that shrinks it. */
    static void requireMemory(String command, MemoryBudget budget, VitConfig c, int unseenSize) {
        VitMemory m = VitMemory.estimate(c, unseenSize);
        budget.require(command, m.total(), "%s, batch %d: parameters and Adam %s, one training step's activations %s, "
                .formatted(c.encoding(), c.batch(), MemoryBudget.human(m.parameterBytes()), MemoryBudget.human(m.stepBytes()))
                + "evaluation %s, images %s".formatted(MemoryBudget.human(m.evalBytes()), MemoryBudget.human(m.dataBytes())),
                m.lever());
    }
}
