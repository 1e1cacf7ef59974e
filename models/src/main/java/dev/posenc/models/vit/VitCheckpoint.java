package dev.posenc.models.vit;

import dev.posenc.core.Tensor;
import dev.posenc.core.io.Safetensors;
import dev.posenc.models.nn.ParameterStore;
import dev.posenc.models.optim.Adam;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeSet;

/**
 * A ViT training checkpoint in one safetensors file, written atomically ({@link Safetensors#write}): every
 * tensor of the model under its store name, Adam's moments as {@code adam.m} and {@code adam.v} (the store's
 * slab layout), and in the metadata the configuration ({@code config.*}), the completed epochs and steps,
 * Adam's step counter, the data-order RNG state and the test-accuracy curve so far.
 *
 * <p>The data order of epoch e is a pure function of (seed, e) ({@link VitTrainer#order}), so the RNG state is
 * the seed and the next epoch. With those, a resumed run continues exactly where the uninterrupted one was:
 * the same parameters, bit for bit, after the same number of epochs.
 */
public final class VitCheckpoint {
    static final String FORMAT = "posenc.vit-checkpoint", FORMAT_VERSION = "1";
    static final String M = "adam.m", V = "adam.v";

    private VitCheckpoint() {}

    /** Where training stands: epochs and steps done, and the curve of (step, test accuracy, training loss) so far. */
    public record State(int epochs, int steps, List<CurvePoint> curve) {}

    /** Writes the model, optimiser and {@code state} to {@code file}, replacing it atomically. */
    public static void write(Path file, Vit model, Adam adam, State state) throws IOException {
        SequencedMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (ParameterStore.Parameter p : model.store().all()) tensors.put(p.name(), p.value());
        tensors.put(M, adam.firstMoment());
        tensors.put(V, adam.secondMoment());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", FORMAT_VERSION);
        model.config().toMap().forEach((k, v) -> meta.put("config." + k, v));
        meta.put("epochs_done", Integer.toString(state.epochs()));
        meta.put("steps_done", Integer.toString(state.steps()));
        meta.put("adam.steps", Integer.toString(adam.steps()));
        meta.put("rng.seed", Long.toString(model.config().seed()));
        meta.put("rng.next_epoch", Integer.toString(state.epochs()));
        List<String> points = new ArrayList<>();
        for (CurvePoint pt : state.curve()) {
            points.add(String.format(Locale.ROOT, "%d:%s:%s", pt.step(), pt.testAccuracy(), pt.trainLoss()));
        }
        meta.put("curve", String.join(",", points));
        Safetensors.write(file, tensors, meta);
    }

    /**
     * Loads {@code file} into {@code model} and {@code adam} (both overwritten) and returns where training stood.
     *
     * @throws IllegalArgumentException if the checkpoint is not a ViT checkpoint or was trained with another
     *         configuration (listing the differences); only the number of epochs may differ
     */
    public static State restore(Path file, Vit model, Adam adam) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Safetensors.Contents c = Safetensors.read(file, arena);
            Map<String, String> meta = c.metadata();
            if (!FORMAT.equals(meta.get("format")) || !FORMAT_VERSION.equals(meta.get("format_version"))) {
                throw new IllegalArgumentException("checkpoint %s: expected format %s version %s, got %s version %s"
                        .formatted(file, FORMAT, FORMAT_VERSION, meta.get("format"), meta.get("format_version")));
            }
            Map<String, String> saved = new LinkedHashMap<>();
            meta.forEach((k, v) -> { if (k.startsWith("config.")) saved.put(k.substring(7), v); });
            Map<String, String> now = model.config().toMap();
            if (!saved.equals(now)) {
                List<String> diffs = new ArrayList<>();
                for (String k : new TreeSet<>(union(saved, now))) {
                    if (!String.valueOf(saved.get(k)).equals(String.valueOf(now.get(k)))) {
                        diffs.add("%s: checkpoint %s, this run %s".formatted(k, saved.get(k), now.get(k)));
                    }
                }
                throw new IllegalArgumentException(("checkpoint %s: expected the configuration of this run, got one "
                        + "that differs in %s; resume with the options it was trained with (only --epochs may change)")
                        .formatted(file, String.join("; ", diffs)));
            }
            for (ParameterStore.Parameter p : model.store().all()) copy(file, c, p.name(), p.value());
            copy(file, c, M, adam.firstMoment());
            copy(file, c, V, adam.secondMoment());
            adam.restoreSteps(intOf(file, meta, "adam.steps"));
            return new State(intOf(file, meta, "epochs_done"), intOf(file, meta, "steps_done"),
                    curveOf(meta.get("curve")));
        }
    }

    private static java.util.Set<String> union(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static void copy(Path file, Safetensors.Contents c, String name, Tensor into) {
        Tensor t = c.get(name);
        if (!t.shape().equals(into.shape())) throw new IllegalArgumentException(
                "checkpoint %s: tensor %s: expected %s, got %s".formatted(file, name, into.shape(), t.shape()));
        into.copyFrom(t);
    }

    private static int intOf(Path file, Map<String, String> meta, String key) {
        try {
            return Integer.parseInt(meta.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint %s: %s: expected an integer, got %s".formatted(file, key,
                    meta.get(key)));
        }
    }

    /** "step:accuracy:loss,…"; a point without the loss (checkpoints written before it was kept) gets NaN. */
    static List<CurvePoint> curveOf(String s) {
        List<CurvePoint> curve = new ArrayList<>();
        if (s == null || s.isEmpty()) return curve;
        for (String pt : s.split(",")) {
            String[] f = pt.split(":");
            curve.add(new CurvePoint(Integer.parseInt(f[0]), Double.parseDouble(f[1]),
                    f.length > 2 ? Double.parseDouble(f[2]) : Double.NaN));
        }
        return curve;
    }
}
