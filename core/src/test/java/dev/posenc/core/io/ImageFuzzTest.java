package dev.posenc.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;

/**
 * Fuzzes {@link Png#read(java.io.InputStream, String, long)}: every javax.imageio format it accepts (PNG, JPEG,
 * GIF, BMP, TIFF, WBMP), under {@link FuzzInvariant}. Regression mode (every build): the inputs in
 * {@code src/test/resources/dev/posenc/core/io/ImageFuzzTestInputs/read}; fuzzing: see README "Fuzzing".
 */
class ImageFuzzTest {
    /** A 1-megapixel limit keeps each execution short; the checks it exercises are the same as at 100. */
    static final long MAX_PIXELS = 1 << 20;
    /** Decoding within the limit may take the raster (≤ 8 bytes a pixel) and the floats (12), plus the file. */
    static final long HEAP_PER_PIXEL = 20, HEAP_PER_BYTE = 64;
    static final String NAME = "fuzz-input";

    @FuzzTest(maxDuration = "30s")
    void read(byte[] data) {
        FuzzInvariant.check(NAME, FuzzInvariant.HEAP_FIXED + HEAP_PER_PIXEL * MAX_PIXELS + HEAP_PER_BYTE * data.length,
                () -> Png.read(new ByteArrayInputStream(data), NAME, MAX_PIXELS));
    }
}
