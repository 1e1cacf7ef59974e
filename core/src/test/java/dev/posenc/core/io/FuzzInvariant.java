package dev.posenc.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every reader fuzz test asserts, whatever the bytes: the reader returns, or throws its own
 * {@link IOException} whose message names the file; nothing else escapes (an OutOfMemoryError, a
 * StackOverflowError, an unchecked exception such as AIOOBE, NumberFormatException or NPE: Jazzer reports them
 * as findings), and the heap it allocates stays within what the file justifies.
 */
final class FuzzInvariant {
    private FuzzInvariant() {}

    /**
     * Heap any read may take whatever its input: class loading and first-call initialisation (formatters, regex,
     * ImageIO's registry; 34 MB measured under Jazzer's instrumentation) and stream buffers. Small beside what a
     * lying header asked for (gigabytes).
     */
    static final long HEAP_FIXED = 64L << 20;

    /** One scratch file per JVM, rewritten by each execution (tmpfs when there is one: no disk wear). */
    private static Path scratch;

    static synchronized Path write(byte[] data, String suffix) {
        try {
            if (scratch == null) {
                Path shm = Path.of("/dev/shm");
                Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
                scratch = Files.createTempFile(dir, "posenc-fuzz-", suffix);
                scratch.toFile().deleteOnExit();
            }
            return Files.write(scratch, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    interface Read {
        void run() throws IOException;
    }

    /**
     * Runs {@code read}; an IOException must name {@code name}; the heap allocated must stay within
     * {@code allowedBytes}. Other throwables propagate to Jazzer as findings.
     */
    static void check(String name, long allowedBytes, Read read) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            read.run();
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains(name)) throw new AssertionError(
                    "the error must name " + name + ": " + e.getMessage(), e);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        if (allocated > allowedBytes) throw new AssertionError(
                "allocated %,d bytes of heap, more than the %,d the input justifies".formatted(allocated, allowedBytes));
    }
}
