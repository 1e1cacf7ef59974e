package dev.posenc.models.vit;

import dev.posenc.core.AdamConfig;
import dev.posenc.models.EditMetadata;
import dev.posenc.models.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Checkpoint metadata out of range or malformed: refused naming the file and the field, never parsed wrong. */
class VitCheckpointLimitsTest {
    @TempDir Path dir;
    /** The tiny run: 96 training images in batches of 16. */
    static final int STEPS_PER_EPOCH = 6;

    /** A valid checkpoint after 2 epochs (12 steps), then {@code key} set to {@code value} in its metadata. */
    Path checkpointWith(String key, String value) throws IOException {
        Path file = dir.resolve("checkpoint.safetensors");
        VitConfig config = VitTrainerTest.tiny("lff");
        try (Vit model = new Vit(config); Adam adam = new Adam(model.store(), AdamConfig.adam((float) config.lr()))) {
            adam.restoreSteps(12);
            VitCheckpoint.write(file, model, adam, new VitCheckpoint.State(2, 12, List.of(
                    new CurvePoint(4, 0.25, 2.2), new CurvePoint(6, 0.5, 1.9), new CurvePoint(12, 0.75, 1.2))));
        }
        return key == null ? file : EditMetadata.set(file, key, value);
    }

    VitCheckpoint.State restore(Path file) throws IOException {
        VitConfig config = VitTrainerTest.tiny("lff");
        try (Vit model = new Vit(config); Adam adam = new Adam(model.store(), AdamConfig.adam((float) config.lr()))) {
            return VitCheckpoint.restore(file, model, adam, STEPS_PER_EPOCH);
        }
    }

    @Test
    void aValidCheckpointRestores() throws IOException {
        VitCheckpoint.State s = restore(checkpointWith(null, null));
        assertEquals(2, s.epochs());
        assertEquals(12, s.steps());
        assertEquals(List.of(new CurvePoint(4, 0.25, 2.2), new CurvePoint(6, 0.5, 1.9), new CurvePoint(12, 0.75, 1.2)),
                s.curve());
    }

    @Test
    void curveWithoutLossesFromOlderCheckpointsStillRestores() throws IOException {
        VitCheckpoint.State s = restore(checkpointWith("curve", "6:0.5,12:0.75"));
        assertTrue(Double.isNaN(s.curve().getFirst().trainLoss()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "epochs_done    | -1",
            "epochs_done    | 3",
            "epochs_done    | 2147483648",
            "steps_done     | 2147483647",
            "steps_done     | 13",
            "steps_done     | twelve",
            "adam.steps     | -5",
            "adam.steps     | 11",
            "rng.next_epoch | 5",
            "rng.seed       | 42",
            "curve          | 1",
            "curve          | x:0.5:1",
            "curve          | 4:1.5:2",
            "curve          | 4:NaN:2",
            "curve          | 99:0.5:1",
            "curve          | 6:0.5:1,4:0.5:1",
            "curve          | 4:0.5:-1",
            "curve          | 4:0.5:1:7",
            "curve          | 4:0.5:1,,6:0.5:1",
    })
    void outOfRangeOrMalformedFieldIsRefusedByName(String key, String value) throws IOException {
        Path file = checkpointWith(key, value);
        Exception e = assertThrows(IllegalArgumentException.class, () -> restore(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(key), e.getMessage());
    }
}
