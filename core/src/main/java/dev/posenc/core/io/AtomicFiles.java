package dev.posenc.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file writes that either replace the target completely or leave it as it was: the bytes go to a
 * temporary file in the target's folder (same file system, so the rename cannot turn into a copy), are forced
 * to disk, and the temporary file is then renamed over the target with {@code ATOMIC_MOVE}. A reader never sees
 * a half-written PNG or CSV, and a crash or a failed encoder leaves the previous file intact.
 * Lives in core because {@link Png} needs it; the report writers in models use it too.
 */
public final class AtomicFiles {
    private static final int BUFFER_BYTES = 1 << 16;

    private AtomicFiles() {}

    /** The body of a write: it receives the stream of the temporary file; throwing aborts the write. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Replaces {@code file} with what {@code body} writes. On any exception the old file is left untouched. */
    public static void write(Path file, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new IOException(
                "%s: cannot write, the folder %s does not exist".formatted(file, dir));
        Path tmp = newTempFile(dir, file);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER_BYTES);
                body.writeTo(out);
                out.flush();
                ch.force(true); // on disk before the rename, so a crash cannot leave an empty file under the name
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp); // only still there if something failed before the move
        }
    }

    /**
     * A new empty hidden file beside {@code file}, created with the process's umask (rw-r--r-- usually), unlike
     * Files.createTempFile's owner-only rw-------, which the rename would hand on to a user's results.
     */
    public static Path newTempFile(Path dir, Path file) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(".%s.%016x.tmp".formatted(file.getFileName(), RANDOM.nextLong()));
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 9) throw e;
            }
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** Replaces {@code file} with {@code bytes}. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /** Replaces {@code file} with {@code text} in UTF-8. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
