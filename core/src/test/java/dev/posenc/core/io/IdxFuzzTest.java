package dev.posenc.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;

/**
 * Fuzzes {@link Idx}'s image and label readers on the same bytes ({@link FuzzInvariant}). Regression mode (every
 * build): the inputs in {@code src/test/resources/dev/posenc/core/io/IdxFuzzTestInputs/read}, gzipped ones
 * among them; fuzzing: see README "Fuzzing".
 */
class IdxFuzzTest {
    /**
     * A plain file justifies its bytes, read in chunks and copied once (about 3×); a gzip file what it inflates
     * to, at most {@link SizeCheck#DEFLATE_MAX_RATIO} times its length.
     */

    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) {
        Path file = FuzzInvariant.write(data, ".idx");
        boolean gzip = data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b;
        long allowed = FuzzInvariant.HEAP_FIXED + 3 * (gzip ? SizeCheck.deflateBound(data.length) : data.length);
        FuzzInvariant.check(file.toString(), allowed, () -> Idx.readImages(file));
        FuzzInvariant.check(file.toString(), allowed, () -> Idx.readLabels(file));
        FuzzInvariant.check(file.toString(), allowed, () -> Idx.readImages(file, 3));
    }
}
