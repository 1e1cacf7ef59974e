package dev.posenc.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Fuzzes {@link Safetensors#read} ({@link FuzzInvariant}). Regression mode (every build): the inputs in
 * {@code src/test/resources/dev/posenc/core/io/SafetensorsFuzzTestInputs/read}; fuzzing: see README "Fuzzing".
 */
class SafetensorsFuzzTest {
    /** The header's JSON becomes maps, lists and boxed longs: a few dozen bytes per byte of header at most. */
    static final long HEAP_PER_BYTE = 64;

    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) {
        Path file = FuzzInvariant.write(data, ".safetensors");
        FuzzInvariant.check(file.toString(), FuzzInvariant.HEAP_FIXED + HEAP_PER_BYTE * data.length, () -> {
            try (Arena arena = Arena.ofConfined()) {
                Safetensors.read(file, arena);
            }
        });
    }
}
