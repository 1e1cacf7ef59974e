package dev.posenc.models.vit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.io.Safetensors;
import dev.posenc.models.optim.Adam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Fuzzes {@link VitCheckpoint#restore}'s metadata: a valid tiny checkpoint whose training-state fields
 * (epochs, steps, Adam's steps, the RNG state, the curve) are each kept or replaced by fuzzer strings. The
 * invariant: restore succeeds with a state in range, or throws its own IllegalArgumentException (or the
 * safetensors reader's IOException) naming the file; nothing else escapes. Corrupt bytes are
 * SafetensorsFuzzTest's job. Regression inputs: {@code src/test/resources/dev/posenc/models/vit/
 * VitCheckpointFuzzTestInputs/restore}; fuzzing: README "Fuzzing".
 */
class VitCheckpointFuzzTest {
    static final List<String> FIELDS = List.of("epochs_done", "steps_done", "adam.steps", "rng.next_epoch",
            "rng.seed", "curve");
    static final int STEPS_PER_EPOCH = VitCheckpointLimitsTest.STEPS_PER_EPOCH;

    private static Vit model;
    private static Adam adam;
    private static Path file;
    private static SequencedMap<String, dev.posenc.core.Tensor> tensors;
    private static Map<String, String> valid;
    private static Arena arena;

    /** The tiny checkpoint, once per JVM: its tensors and metadata are reused by every execution. */
    private static synchronized void open() throws IOException {
        if (model != null) return;
        VitConfig config = VitTrainerTest.tiny("lff");
        model = new Vit(config);
        adam = new Adam(model.store(), AdamConfig.adam((float) config.lr()));
        adam.restoreSteps(12);
        file = Files.createTempFile("posenc-fuzz-", ".safetensors");
        file.toFile().deleteOnExit();
        VitCheckpoint.write(file, model, adam, new VitCheckpoint.State(2, 12, List.of(
                new CurvePoint(6, 0.5, 1.9), new CurvePoint(12, 0.75, 1.2))));
        arena = Arena.ofShared();
        Safetensors.Contents c = Safetensors.read(file, arena);
        tensors = c.tensors();
        valid = c.metadata();
    }

    @FuzzTest(maxDuration = "30s")
    void restore(FuzzedDataProvider data) {
        try {
            open();
            Map<String, String> meta = new LinkedHashMap<>(valid);
            for (String key : FIELDS) if (data.consumeBoolean()) meta.put(key, data.consumeString(64));
            Safetensors.write(file, tensors, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("fuzz set-up", e);
        }
        try {
            VitCheckpoint.State s = VitCheckpoint.restore(file, model, adam, STEPS_PER_EPOCH);
            if (s.epochs() < 0 || s.steps() != s.epochs() * STEPS_PER_EPOCH) throw new AssertionError("restored " + s);
        } catch (IllegalArgumentException | IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains(file.toString())) throw new AssertionError(
                    "the error must name the file: " + e.getMessage(), e);
        }
    }
}
