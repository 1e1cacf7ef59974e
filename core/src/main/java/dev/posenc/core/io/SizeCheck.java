package dev.posenc.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one place where sizes read from a file (header fields, metadata) are checked before anything is
 * allocated for them. A file is untrusted: a 16-byte header can declare 2 GB, and a 390 KB PNG can declare
 * 20000 × 20000 pixels. Two bounds apply, both checked before the allocation they guard:
 * <ul>
 *   <li><b>the file's own length</b>: raw data can't be larger than the bytes that hold it
 *       ({@link #withinFile}); a compressed stream can't inflate past its format's best ratio
 *       (deflate: {@value #DEFLATE_MAX_RATIO}:1, {@link #deflateBound});</li>
 *   <li><b>a memory budget</b> for what decoding needs beyond the file (an image's pixels), by default what
 *       this JVM's heap can still hold ({@link #heapBudget}).</li>
 * </ul>
 * Every failure is an {@link IOException} whose message names the file and the field, and says what was
 * declared against what the bound allows: never an {@link OutOfMemoryError} later on.
 */
public final class SizeCheck {
    private SizeCheck() {}

    /**
     * Deflate's best compression ratio: a 258-byte match costs at least 2 bits of output, so one input byte
     * inflates to at most 1032 (zlib's technical note on "maximum compression factor"). Bounds gzip and PNG.
     */
    public static final long DEFLATE_MAX_RATIO = 1032;

    /** The product of {@code dims} (each ≥ 0), or an error naming the field when it overflows a long. */
    public static long product(Path file, String field, long... dims) throws IOException {
        long p = 1;
        for (long d : dims) {
            if (d < 0) throw new IOException("%s: %s: expected sizes >= 0, got %d".formatted(file, field, d));
            try {
                p = Math.multiplyExact(p, d);
            } catch (ArithmeticException e) {
                throw new IOException("%s: %s: the sizes %s multiply past 2^63".formatted(file, field,
                        java.util.Arrays.toString(dims)));
            }
        }
        return p;
    }

    /** Bytes a deflate stream of {@code compressedBytes} can inflate to at most. */
    public static long deflateBound(long compressedBytes) {
        return compressedBytes > Long.MAX_VALUE / DEFLATE_MAX_RATIO ? Long.MAX_VALUE : compressedBytes * DEFLATE_MAX_RATIO;
    }

    /**
     * Checks that {@code field}'s declared {@code needed} bytes fit in the {@code available} bytes the file
     * has for them.
     */
    public static void withinFile(Path file, String field, long needed, long available) throws IOException {
        if (needed > available) throw new IOException(
                "%s: truncated: expected %d bytes for %s, but the file has room for at most %d"
                        .formatted(file, needed, field, available));
    }

    /**
     * Checks that decoding {@code field} of {@code source} (a file, or a resource's name) into {@code needed}
     * bytes fits the memory {@code budget}; {@code howToRaise} ends the message (which option or setting
     * changes the budget, or what to do instead).
     */
    public static void withinBudget(String source, String field, long needed, long budget, String howToRaise)
            throws IOException {
        if (needed > budget) throw new IOException("%s: %s needs %s to decode, more than the %s available; %s"
                .formatted(source, field, bytes(needed), bytes(budget), howToRaise));
    }

    /**
     * Bytes this JVM's heap can still take: the maximum heap ({@code -Xmx}) less what is in use now. A budget for
     * heap arrays decoded from a file, checked before decoding, so a file can't end the run in an OOM.
     */
    public static long heapBudget() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** "1.5 GB", "300 MB", "12 KB": for messages. */
    static String bytes(long n) {
        if (n >= 1L << 30) return "%.1f GB".formatted(n / (double) (1L << 30));
        if (n >= 1L << 20) return "%d MB".formatted(n >> 20);
        return "%d KB".formatted((n + 1023) >> 10);
    }
}
