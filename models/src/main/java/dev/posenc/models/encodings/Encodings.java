package dev.posenc.models.encodings;

import dev.posenc.models.nn.ParameterStore;

import java.util.List;
import java.util.Map;

/** Builds encodings by name, from hyperparameters or from a saved {@link Encoding#config()}. */
public final class Encodings {
    private Encodings() {}

    /** Every valid name, in the order of the papers' tables. */
    public static final List<String> NAMES =
            List.of("none", "basic", "positional", "gaussian", "lff", "lff-only", "mlp", "sine1d", "sine2d", "cape1d",
                    "cape2d", "embed1d", "embed2d");

    /** The encodings of 1-D positions only (tokens of a sequence): the rest take M ≥ 1 or M = 2. */
    public static final List<String> ONE_D_NAMES = List.of("sine1d", "cape1d");

    /**
     * The encodings of continuous 2-D positions, those a coordinate network (fit-image) can use: every name but
     * the learned tables, which look positions up by whole grid cell, and the 1-D sinusoids.
     */
    public static final List<String> CONTINUOUS_NAMES =
            NAMES.stream().filter(n -> !n.startsWith("embed") && !ONE_D_NAMES.contains(n)).toList();

    /**
     * The encoding {@code name} with hyperparameters {@code p}, declaring its tensors in {@code store}
     * (which must not be allocated yet). Throws IllegalArgumentException for an unknown name (listing the valid
     * ones) or an invalid hyperparameter (naming it).
     */
    public static Encoding create(String name, EncodingParams p, ParameterStore store) {
        return switch (name) {
            case "none" -> new Identity(p);
            case "basic" -> FourierMapping.basic(p, store);
            case "positional" -> FourierMapping.positional(p, store);
            case "gaussian" -> FourierMapping.gaussian(p, store);
            case "lff" -> new Lff(Lff.Variant.LFF, p, store);
            case "lff-only" -> new Lff(Lff.Variant.LFF_ONLY, p, store);
            case "mlp" -> new Lff(Lff.Variant.MLP, p, store);
            case "sine1d" -> new Sine1d(p, store);
            case "sine2d" -> new Sine2d(p, store);
            case "cape1d" -> new Cape(1, p, store);
            case "cape2d" -> new Cape(2, p, store);
            case "embed1d" -> new LearnedTable(LearnedTable.Kind.EMBED_1D, p, store);
            case "embed2d" -> new LearnedTable(LearnedTable.Kind.EMBED_2D, p, store);
            default -> throw new IllegalArgumentException("encoding: expected one of %s, got '%s'".formatted(NAMES, name));
        };
    }

    /** The hyperparameters that {@code config} (from {@link Encoding#config()}) records, over the defaults. */
    public static EncodingParams paramsOf(Map<String, String> config) {
        String dims = config.get("position_dims");
        if (dims == null) throw new IllegalArgumentException(
                "encoding config: position_dims: expected a value, got none");
        EncodingParams.Builder b = EncodingParams.defaults(parseInt("position_dims", dims)).toBuilder();
        for (var e : config.entrySet()) {
            String k = e.getKey(), v = e.getValue();
            switch (k) {
                case "encoding", "position_dims" -> { }
                case "sigma" -> b.sigma(parseDouble(k, v));
                case "features" -> b.gaussianFeatures(parseInt(k, v));
                case "scale" -> b.scale(parseDouble(k, v));
                case "per_axis" -> b.perAxis(parseInt(k, v));
                case "fourier_dims" -> b.fourierDims(parseInt(k, v));
                case "hidden" -> b.hidden(parseInt(k, v));
                case "output_dims" -> b.outputDims(parseInt(k, v));
                case "groups" -> b.groups(parseInt(k, v));
                case "gamma" -> b.gamma(parseDouble(k, v));
                case "init" -> b.lffInit(parseInit(v));
                case "amplitude" -> b.lffAmplitude(parseAmplitude(v));
                case "temperature" -> b.temperature(parseDouble(k, v));
                case "table_std" -> b.tableStd(parseDouble(k, v));
                case "grid_rows" -> b.grid(parseInt(k, v), b.build().gridCols());
                case "grid_cols" -> b.grid(b.build().gridRows(), parseInt(k, v));
                case "cape_global_shift", "cape_local_shift", "cape_global_scaling", "cape_normalize" -> { }
                default -> throw new IllegalArgumentException("encoding config: unknown key '%s'".formatted(k));
            }
        }
        EncodingParams p = b.build();
        return b.cape(doubleOr(config, "cape_global_shift", p.capeGlobalShift()),
                doubleOr(config, "cape_local_shift", p.capeLocalShift()),
                doubleOr(config, "cape_global_scaling", p.capeGlobalScaling()),
                config.containsKey("cape_normalize") ? parseBoolean("cape_normalize", config.get("cape_normalize"))
                        : p.capeNormalize()).build();
    }

    private static double doubleOr(Map<String, String> config, String key, double otherwise) {
        String v = config.get(key);
        return v == null ? otherwise : parseDouble(key, v);
    }

    private static boolean parseBoolean(String key, String v) {
        if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException(
                "encoding config: %s: expected true or false, got '%s'".formatted(key, v));
        return Boolean.parseBoolean(v);
    }

    /** Rebuilds an encoding from its {@link Encoding#config()}; its tensors are then loaded into the store. */
    public static Encoding fromConfig(Map<String, String> config, ParameterStore store) {
        String name = config.get("encoding");
        if (name == null) throw new IllegalArgumentException("encoding config: encoding: expected a name, got none");
        return create(name, paramsOf(config), store);
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("encoding config: %s: expected an integer, got '%s'".formatted(key, v));
        }
    }

    private static double parseDouble(String key, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("encoding config: %s: expected a number, got '%s'".formatted(key, v));
        }
    }

    /** Configs written before the option have no "amplitude": they are the paper's 1/√F, the default. */
    private static LffAmplitude parseAmplitude(String v) {
        try {
            return LffAmplitude.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encoding config: amplitude: expected one of %s, got '%s'"
                    .formatted(List.of(LffAmplitude.values()), v));
        }
    }

    private static LffInit parseInit(String v) {
        try {
            return LffInit.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("encoding config: init: expected one of %s, got '%s'"
                    .formatted(List.of(LffInit.values()), v));
        }
    }
}
