package dev.posenc.models.nn;

import dev.posenc.core.Rng;
import dev.posenc.models.EditMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Saved models whose metadata lies about their size: refused by comparing the shapes the metadata declares
 * with the tensors in the file, before the network is built (its weights are off-heap, outside -Xmx).
 */
class ModelFileLimitsTest {
    @TempDir Path dir;

    /** A small saved model (basic encoding, hidden 9, 7) whose metadata is then edited. */
    Path savedWith(String key, String value) throws IOException {
        Path file = dir.resolve("edited.safetensors");
        try (CoordinateModel model = CoordinateModel.create("basic", ModelFileTest.PARAMS, ModelFileTest.HIDDEN,
                new Rng(3))) {
            ModelFile.save(file, model);
        }
        return EditMetadata.set(file, key, value);
    }

    static long heapAllocatedBy(org.junit.jupiter.api.function.Executable body) throws Throwable {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        body.execute();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void hugeHiddenWidthsAreRefusedBeforeBuildingTheNetwork() throws IOException {
        // 40000² floats per layer: tens of GB off-heap, allocated before any tensor was compared
        Path file = savedWith("mlp.hidden", "40000,40000,40000");
        IOException e = assertThrows(IOException.class, () -> ModelFile.load(file));
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()) && m.contains("mlp.hidden") && m.contains("'mlp.0.weight'")
                && m.contains("(40000, 4)") && m.contains("(9, 4)"), m);
    }

    @Test
    void hugeEncodingSizeIsRefusedWithoutAllocatingItsTable() throws Throwable {
        // basic's identity B was filled from a heap array of position_dims² floats while the model was declared
        Path file = savedWith("encoding.position_dims", "20000");
        IOException[] e = new IOException[1];
        long heap = heapAllocatedBy(() -> e[0] = assertThrows(IOException.class, () -> ModelFile.load(file)));
        assertTrue(heap < 64L << 20, "allocated %,d bytes of heap".formatted(heap));
        assertTrue(e[0].getMessage().contains("encoding.position_dims") && e[0].getMessage().contains("'encoding.b'"),
                e[0].getMessage());
    }

    @Test
    void aLayerTheFileDoesNotHoldIsNamedBeforeBuilding() throws IOException {
        Path file = savedWith("mlp.hidden", "9,7,5");
        String m = assertThrows(IOException.class, () -> ModelFile.load(file)).getMessage();
        assertTrue(m.contains("mlp.hidden") && m.contains("'mlp.2.weight'"), m);
    }
}
