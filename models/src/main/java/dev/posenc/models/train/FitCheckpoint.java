package dev.posenc.models.train;

import dev.posenc.core.Tensor;
import dev.posenc.core.io.RgbImage;
import dev.posenc.core.io.Safetensors;
import dev.posenc.models.nn.CoordinateModel;
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
import java.util.zip.CRC32;

/**
 * One image fit's checkpoint in one safetensors file, written atomically ({@link Safetensors#write}): every
 * tensor of the coordinate model under its store name, Adam's moments as {@code adam.m} and {@code adam.v}, and in
 * the metadata what identifies the run ({@link #identity}: the model's configuration, image size, seed, learning
 * rate and a CRC-32 of the image's pixels), the steps done, the training time so far and the PSNR curve.
 *
 * <p>A fit is full-batch Adam with no randomness after initialisation, so the parameters, the moments and Adam's step
 * counter are the whole state: a resumed fit continues exactly where the interrupted one was, and ends with the same
 * parameters, bit for bit, as one run without a break (ImageFitTest checks it). The paper's 512² runs take hours on
 * a CPU; this is what lets them survive a reboot.
 */
public final class FitCheckpoint {
    static final String FORMAT = "posenc.fit-checkpoint", FORMAT_VERSION = "1";

    private FitCheckpoint() {}

    /**
     * Where a fit stands.
     *
     * @param steps     Adam steps done
     * @param stepNanos training time of those steps (evaluations excluded), for the steps/s of the whole fit
     * @param curve     the evaluations so far, in step order
     */
    public record State(int steps, long stepNanos, List<FitResult.CurvePoint> curve) {
        public State {
            curve = List.copyOf(curve);
        }
    }

    /**
     * What must match for a checkpoint to continue a run: the model's configuration (encoding and its
     * hyperparameters, MLP), the image size, the seed, the learning rate and the image's pixels. The number of
     * steps and the evaluation interval may change.
     */
    static SequencedMap<String, String> identity(CoordinateModel model, FitConfig config, double lr, RgbImage image) {
        SequencedMap<String, String> id = new LinkedHashMap<>();
        model.config().forEach((k, v) -> id.put("model." + k, v));
        id.put("fit.size", Integer.toString(config.size()));
        id.put("fit.seed", Long.toString(config.seed()));
        id.put("fit.lr", Double.toString(lr));
        id.put("image.crc32", Long.toHexString(pixelCrc(image)));
        return id;
    }

    private static long pixelCrc(RgbImage image) {
        CRC32 crc = new CRC32();
        byte[] bits = new byte[4];
        for (float p : image.pixels()) {
            int b = Float.floatToIntBits(p);
            bits[0] = (byte) b;
            bits[1] = (byte) (b >>> 8);
            bits[2] = (byte) (b >>> 16);
            bits[3] = (byte) (b >>> 24);
            crc.update(bits);
        }
        return crc.getValue();
    }

    /** Writes the model, Adam and {@code state} to {@code file}, replacing it atomically. */
    static void write(Path file, CoordinateModel model, Adam adam, Map<String, String> identity, State state)
            throws IOException {
        try (Arena arena = Arena.ofConfined()) {      // host copies of device tensors (none on the CPU backend)
            SequencedMap<String, Tensor> tensors = CheckpointTensors.of(arena, model.store(), adam);
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", FORMAT);
            meta.put("format_version", FORMAT_VERSION);
            meta.putAll(identity);
            meta.put("steps_done", Integer.toString(state.steps()));
            meta.put("adam.steps", Integer.toString(adam.steps()));
            meta.put("step_nanos", Long.toString(state.stepNanos()));
            List<String> points = new ArrayList<>();
            for (FitResult.CurvePoint pt : state.curve()) {
                points.add(String.format(Locale.ROOT, "%d:%s:%s", pt.step(), pt.trainPsnr(), pt.testPsnr()));
            }
            meta.put("curve", String.join(",", points));
            Safetensors.write(file, tensors, meta);
        }
    }

    /**
     * Loads {@code file} into {@code model} and {@code adam} (both overwritten) and returns where the fit stood.
     *
     * @throws IllegalArgumentException if the file is not a fit checkpoint, belongs to another run (listing the
     *         differences), has more steps than {@code maxSteps}, or has a field out of range (naming file and field)
     */
    static State restore(Path file, CoordinateModel model, Adam adam, Map<String, String> identity, int maxSteps)
            throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Safetensors.Contents c = Safetensors.read(file, arena);
            Map<String, String> meta = c.metadata();
            CheckpointTensors.requireFormat(file, meta, FORMAT, FORMAT_VERSION);
            List<String> diffs = new ArrayList<>();
            TreeSet<String> keys = new TreeSet<>(identity.keySet());
            meta.keySet().stream().filter(k -> k.startsWith("model.") || k.startsWith("fit.") || k.startsWith("image."))
                    .forEach(keys::add);
            for (String k : keys) {
                if (!String.valueOf(meta.get(k)).equals(String.valueOf(identity.get(k)))) {
                    diffs.add("%s: checkpoint %s, this run %s".formatted(k, meta.get(k), identity.get(k)));
                }
            }
            if (!diffs.isEmpty()) throw new IllegalArgumentException(("checkpoint %s: expected one of this run, got one "
                    + "that differs in %s; resume with the options and image it was made with (only --steps and "
                    + "--eval-every may change)").formatted(file, String.join("; ", diffs)));
            State state = stateOf(file, meta, maxSteps);
            CheckpointTensors.restore(file, c, model.store(), adam, state.steps());
            return state;
        }
    }

    private static State stateOf(Path file, Map<String, String> meta, int maxSteps) {
        int steps = (int) longIn(file, meta, "steps_done", 0, maxSteps, " (this run's --steps)");
        longIn(file, meta, "adam.steps", steps, steps, " (one per step done)");
        long nanos = longIn(file, meta, "step_nanos", 0, Long.MAX_VALUE, "");
        return new State(steps, nanos, curveOf(file, meta.get("curve"), steps));
    }

    private static long longIn(Path file, Map<String, String> meta, String key, long min, long max, String why) {
        long v;
        try {
            v = Long.parseLong(String.valueOf(meta.get(key)));
        } catch (NumberFormatException e) {
            throw field(file, key, "expected an integer", meta.get(key));
        }
        if (v < min || v > max) {
            throw field(file, key, (min == max ? "expected %d" : "expected an integer in [%d, %d]").formatted(min, max)
                    + why, meta.get(key));
        }
        return v;
    }

    private static IllegalArgumentException field(Path file, String key, String expected, String got) {
        return new IllegalArgumentException("checkpoint %s: %s: %s, got '%s'".formatted(file, key, expected, got));
    }

    /** "step:train:test,…" with steps increasing in (0, steps]; PSNRs are doubles (the first test one may be NaN). */
    private static List<FitResult.CurvePoint> curveOf(Path file, String s, int steps) {
        if (s == null) throw field(file, "curve", "expected a value", null);
        List<FitResult.CurvePoint> curve = new ArrayList<>();
        if (s.isEmpty()) return curve;
        int last = 0;
        for (String pt : s.split(",", -1)) {
            String[] p = pt.split(":", -1);
            FitResult.CurvePoint point;
            try {
                if (p.length != 3) throw new NumberFormatException();
                point = new FitResult.CurvePoint(Integer.parseInt(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]));
            } catch (NumberFormatException e) {
                throw field(file, "curve", "expected points step:train:test, one is '%s' in".formatted(pt), s);
            }
            if (point.step() <= last || point.step() > steps) {
                throw field(file, "curve", "expected steps increasing in (0, %d]; the point '%s' is not, in"
                        .formatted(steps, pt), s);
            }
            curve.add(point);
            last = point.step();
        }
        return curve;
    }

}
