package dev.posenc.models.encodings;

/**
 * Hyperparameters of every encoding; each encoding reads the ones it uses and validates them when built.
 * Defaults ({@link #defaults}) are the papers' (spec §1, §2):
 *
 * @param positionDims  M, coordinates per position (2 for images); for grouped encodings G × per-group M
 * @param sigma         Gaussian: std of B ~ N(0, σ²), in cycles per unit (Tancik: 10 for natural images)
 * @param gaussianFeatures Gaussian: m, the number of frequencies (Tancik: 256, so 512 features)
 * @param scale         positional: frequencies 2^linspace(0, scale, perAxis) − 1 (Tancik: 6)
 * @param perAxis       positional: frequencies per axis (Tancik: embedding_size/2 = 128)
 * @param fourierDims   LFF: |F|, Fourier features per group (even; cos and sin halves of |F|/2)
 * @param hidden        LFF and mlp: |H|, hidden width of the GELU MLP
 * @param outputDims    LFF, mlp and sine2d: D, output features (D/G per group)
 * @param groups        LFF, lff-only and mlp: G, positional groups, sharing weights
 * @param gamma         LFF: γ, the kernel length scale; W_r has std {@link LffInit#std(double)}
 * @param lffInit       LFF: which reading of the W_r initialisation (spec §1.2)
 * @param lffAmplitude  LFF and lff-only: the features' amplitude, 1/√F (paper) or 1 (Tancik)
 * @param temperature   sine2d: DETR's T = 10000
 * @param gridRows      embed1d and embed2d: rows of the learned position grid (positions' first coordinate)
 * @param gridCols      embed1d and embed2d: columns of the grid (second coordinate)
 * @param tableStd      embed1d and embed2d: the tables' initial std (ViT's pos_embed: 0.02)
 * @param capeGlobalShift   cape1d and cape2d: Δmax, the largest global shift, in position units (≥ 0)
 * @param capeLocalShift    cape1d and cape2d: εmax, the largest local shift, in grid steps (≥ 0)
 * @param capeGlobalScaling cape1d and cape2d: λmax, the largest global scaling factor (≥ 1; log λ uniform)
 * @param capeNormalize     cape1d and cape2d: subtract each sequence's (image's) mean position first
 */
public record EncodingParams(int positionDims, double sigma, int gaussianFeatures, double scale, int perAxis,
                             int fourierDims, int hidden, int outputDims, int groups, double gamma, LffInit lffInit,
                             LffAmplitude lffAmplitude, double temperature, int gridRows, int gridCols,
                             double tableStd, double capeGlobalShift, double capeLocalShift,
                             double capeGlobalScaling, boolean capeNormalize) {
    /**
     * Tancik's image set-up for the mappings (σ 10, m 256, scale 6, 128 per axis); for LFF the popular
     * willGuimont example (|F| 768, |H| 32, D 768, γ 10; the paper's own values were not retrieved) with the
     * paper's std 1/γ and amplitude 1/√F; DETR's temperature 10000; a 7 × 7 grid for the learned tables
     * (28 × 28 images in 4 × 4 patches, the ViT study's default) starting at ViT's N(0, 0.02²); CAPE's text
     * defaults (Δmax 5, εmax 1, λmax 1.03, no normalisation; spec §4.3).
     */
    public static EncodingParams defaults(int positionDims) {
        return new EncodingParams(positionDims, 10, 256, 6, 128, 768, 32, 768, 1, 10, LffInit.PAPER, LffAmplitude.PAPER,
                10000, 7, 7, 0.02, 5, 1, 1.03, false);
    }

    public Builder toBuilder() { return new Builder(this); }

    /** Changes some hyperparameters of a set: {@code params.toBuilder().sigma(2.5).build()}. */
    public static final class Builder {
        private int positionDims, gaussianFeatures, perAxis, fourierDims, hidden, outputDims, groups;
        private int gridRows, gridCols;
        private double sigma, scale, gamma, temperature, tableStd, capeGlobalShift, capeLocalShift, capeGlobalScaling;
        private boolean capeNormalize;
        private LffInit lffInit;
        private LffAmplitude lffAmplitude;

        private Builder(EncodingParams p) {
            positionDims = p.positionDims; sigma = p.sigma; gaussianFeatures = p.gaussianFeatures; scale = p.scale;
            perAxis = p.perAxis; fourierDims = p.fourierDims; hidden = p.hidden; outputDims = p.outputDims;
            groups = p.groups; gamma = p.gamma; lffInit = p.lffInit; lffAmplitude = p.lffAmplitude;
            temperature = p.temperature; gridRows = p.gridRows; gridCols = p.gridCols;
            tableStd = p.tableStd; capeGlobalShift = p.capeGlobalShift; capeLocalShift = p.capeLocalShift;
            capeGlobalScaling = p.capeGlobalScaling; capeNormalize = p.capeNormalize;
        }

        public Builder positionDims(int v) { positionDims = v; return this; }

        public Builder sigma(double v) { sigma = v; return this; }

        public Builder gaussianFeatures(int v) { gaussianFeatures = v; return this; }

        public Builder scale(double v) { scale = v; return this; }

        public Builder perAxis(int v) { perAxis = v; return this; }

        public Builder fourierDims(int v) { fourierDims = v; return this; }

        public Builder hidden(int v) { hidden = v; return this; }

        public Builder outputDims(int v) { outputDims = v; return this; }

        public Builder groups(int v) { groups = v; return this; }

        public Builder gamma(double v) { gamma = v; return this; }

        public Builder lffInit(LffInit v) { lffInit = v; return this; }

        public Builder lffAmplitude(LffAmplitude v) { lffAmplitude = v; return this; }

        public Builder temperature(double v) { temperature = v; return this; }

        /** The learned tables' grid: rows × cols positions. */
        public Builder grid(int rows, int cols) { gridRows = rows; gridCols = cols; return this; }

        public Builder tableStd(double v) { tableStd = v; return this; }

        /** CAPE's augmentation: Δmax, εmax, λmax, and whether positions are centred first. */
        public Builder cape(double globalShift, double localShift, double globalScaling, boolean normalize) {
            capeGlobalShift = globalShift; capeLocalShift = localShift; capeGlobalScaling = globalScaling;
            capeNormalize = normalize;
            return this;
        }

        public EncodingParams build() {
            return new EncodingParams(positionDims, sigma, gaussianFeatures, scale, perAxis, fourierDims, hidden,
                    outputDims, groups, gamma, lffInit, lffAmplitude, temperature, gridRows, gridCols, tableStd,
                    capeGlobalShift, capeLocalShift, capeGlobalScaling, capeNormalize);
        }
    }
}
