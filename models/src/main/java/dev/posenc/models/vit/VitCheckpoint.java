package dev.posenc.models.vit;

import dev.posenc.core.Tensor;
import dev.posenc.core.io.Safetensors;
import dev.posenc.models.optim.Adam;
import dev.posenc.models.optim.CheckpointTensors;

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

    private VitCheckpoint() {}

    /** Where training stands: epochs and steps done, and the curve of (step, test accuracy, training loss) so far. */
    public record State(int epochs, int steps, List<CurvePoint> curve) {}

    /** Writes the model, optimiser and {@code state} to {@code file}, replacing it atomically. */
    public static void write(Path file, Vit model, Adam adam, State state) throws IOException {
        try (Arena arena = Arena.ofConfined()) {   // host copies of device tensors (none on the CPU backend)
            write(file, model, adam, state, arena);
        }
    }

    private static void write(Path file, Vit model, Adam adam, State state, Arena arena) throws IOException {
        SequencedMap<String, Tensor> tensors = CheckpointTensors.of(arena, model.store(), adam);
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
     * Every metadata field is parsed within its range and checked against the others: {@code epochs_done} ≥ 0,
     * {@code steps_done} = epochs_done × {@code stepsPerEpoch} (the trainer's steps per epoch for this run's data),
     * {@code adam.steps} = steps_done, {@code rng.next_epoch} = epochs_done, {@code rng.seed} = the seed of the
     * configuration, and a curve of points with increasing steps in (0, steps_done], accuracies in [0, 1] and
     * finite losses ≥ 0. (A file with {@code epochs_done} −1 used to train one epoch too many.)
     *
     * @throws IllegalArgumentException if the checkpoint is not a ViT checkpoint, was trained with another
     *         configuration (listing the differences; only the number of epochs may differ), or has a field out
     *         of range or malformed (naming the file and the field)
     */
    public static State restore(Path file, Vit model, Adam adam, int stepsPerEpoch) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Safetensors.Contents c = Safetensors.read(file, arena);
            Map<String, String> meta = c.metadata();
            CheckpointTensors.requireFormat(file, meta, FORMAT, FORMAT_VERSION);
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
            State state = stateOf(file, meta, model.config().seed(), stepsPerEpoch);
            CheckpointTensors.restore(file, c, model.store(), adam, state.steps());
            return state;
        }
    }

    /** The training state in {@code meta}, each field in its range and consistent with the others (see restore). */
    private static State stateOf(Path file, Map<String, String> meta, long seed, int stepsPerEpoch) {
        MetaField f = new MetaField(file, meta);
        if (stepsPerEpoch <= 0) throw new IllegalArgumentException("restore: stepsPerEpoch: expected > 0, got " + stepsPerEpoch);
        int epochs = f.intIn("epochs_done", 0, Integer.MAX_VALUE / stepsPerEpoch, "");
        int steps = epochs * stepsPerEpoch;
        f.intIn("steps_done", steps, steps, " (epochs_done %d × %d steps per epoch)".formatted(epochs, stepsPerEpoch));
        f.intIn("adam.steps", steps, steps, " (one per step done)");
        f.intIn("rng.next_epoch", epochs, epochs, " (the epoch after epochs_done)");
        if (f.longOf("rng.seed") != seed) throw f.error("rng.seed", "expected the configuration's seed " + seed);
        return new State(epochs, steps, curveOf(f, steps));
    }

    /** One checkpoint's metadata fields, parsed with errors that name the file and the field. */
    private record MetaField(Path file, Map<String, String> meta) {
        String raw(String key) {
            String v = meta.get(key);
            if (v == null) throw new IllegalArgumentException("checkpoint %s: %s: expected a value, got none".formatted(file, key));
            return v;
        }

        long longOf(String key) {
            try {
                return Long.parseLong(raw(key));
            } catch (NumberFormatException e) {
                throw error(key, "expected an integer");
            }
        }

        /** The integer {@code key} in [min, max]; {@code why} explains the range in the error. */
        int intIn(String key, int min, int max, String why) {
            long v = longOf(key);
            if (v < min || v > max) throw error(key, (min == max ? "expected %d" : "expected an integer in [%d, %d]")
                    .formatted(min, max) + why);
            return (int) v;
        }

        IllegalArgumentException error(String key, String expected) {
            return new IllegalArgumentException("checkpoint %s: %s: %s, got '%s'".formatted(file, key, expected,
                    meta.get(key)));
        }
    }

    private static java.util.Set<String> union(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }


    /**
     * "step:accuracy:loss,…" with steps increasing in (0, steps], accuracies in [0, 1] and losses finite ≥ 0; a point
     * without the loss (checkpoints written before it was kept) gets NaN.
     */
    private static List<CurvePoint> curveOf(MetaField f, int steps) {
        String s = f.raw("curve");
        List<CurvePoint> curve = new ArrayList<>();
        if (s.isEmpty()) return curve;
        int last = 0;
        for (String pt : s.split(",", -1)) {
            String[] p = pt.split(":", -1);
            if (p.length < 2 || p.length > 3) throw f.error("curve", "expected points step:accuracy:loss, one is '%s' in"
                    .formatted(pt));
            int step;
            double accuracy, loss;
            try {
                step = Integer.parseInt(p[0]);
                accuracy = Double.parseDouble(p[1]);
                loss = p.length > 2 ? Double.parseDouble(p[2]) : Double.NaN;
            } catch (NumberFormatException e) {
                throw f.error("curve", "expected numbers in the point '%s' of".formatted(pt));
            }
            boolean ok = step > last && step <= steps && accuracy >= 0 && accuracy <= 1
                    && (p.length == 2 || (loss >= 0 && loss < Double.POSITIVE_INFINITY));
            if (!ok) throw f.error("curve", ("expected steps increasing in (0, %d], accuracies in [0, 1] and finite "
                    + "losses >= 0; the point '%s' is not, in").formatted(steps, pt));
            curve.add(new CurvePoint(step, accuracy, loss));
            last = step;
        }
        return curve;
    }
}
