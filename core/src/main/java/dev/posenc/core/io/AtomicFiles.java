package dev.posenc.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole-file writes that either replace the target completely or leave it as it was: the bytes go to a
 * temporary file in the target's folder (same file system, so the rename cannot turn into a copy), are forced
 * to disk, and the temporary file is then renamed over the target with {@code ATOMIC_MOVE}. A reader never sees
 * a half-written PNG or CSV, and a crash or a failed encoder leaves the previous file intact.
 * Lives in core because {@link Png} needs it; the report writers in models use it too.
 *
 * <p>What a kill leaves: the temporary files of writes under way are deleted by a shutdown hook, so an exit
 * the JVM sees (the end of main, {@code System.exit}, Ctrl-C, SIGTERM) leaves none. A SIGKILL or a power cut
 * runs no hook; {@link #removeStale} (called by the commands on their output folders) removes those at the next
 * run. The one process-wide registry here is on purpose: a shutdown hook can only reach global state.
 *
 * <p>Failures name the file being written or its folder, never the hidden temporary file, and keep the
 * system's reason ("No space left on device", "Permission denied").
 */
public final class AtomicFiles {
    private static final int BUFFER_BYTES = 1 << 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** ".NAME.PID.RANDOM.tmp": the writer's process id tells a live write from a killed one. */
    private static final Pattern TEMP = Pattern.compile("^\\..+\\.(\\d+)\\.[0-9a-f]{16}\\.tmp$");
    /** ".NAME.RANDOM.tmp", written before the process id was in the name: stale once untouched for a while. */
    private static final Pattern OLD_TEMP = Pattern.compile("^\\..+\\.[0-9a-f]{16}\\.tmp$");
    /** An old-style temporary file not modified for this long belongs to no live write (writes stream). */
    static final Duration OLD_TEMP_AGE = Duration.ofMinutes(1);
    /** Temporary files of writes under way in this JVM, deleted by the shutdown hook. */
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    private AtomicFiles() {}

    /** The body of a write: it receives the stream of the temporary file; throwing aborts the write. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces {@code file} with what {@code body} writes. On any exception the old file is left untouched.
     * An exception the body throws passes through as it is; one from the file system names {@code file}.
     */
    public static void write(Path file, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new IOException(
                "%s: cannot write, the folder %s does not exist".formatted(file, dir));
        Path tmp = newTempFile(dir, file);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(new Naming(Channels.newOutputStream(ch), file), BUFFER_BYTES);
                body.writeTo(out);
                out.flush();
                ch.force(true); // on disk before the rename, so a crash cannot leave an empty file under the name
            } catch (FileSystemException e) {
                throw cannotWrite(file, e);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw cannotWrite(file, e);
            }
        } finally {
            Files.deleteIfExists(tmp); // only still there if something failed before the move
            LIVE.remove(tmp);
        }
    }

    /**
     * A new empty hidden file beside {@code file}, registered for deletion at exit until {@link #write}
     * renames or deletes it; created with the process's umask (rw-r--r-- usually), unlike
     * Files.createTempFile's owner-only rw-------, which the rename would hand on to a user's results.
     *
     * @throws IOException naming the folder and the reason when no file can be made there
     */
    public static Path newTempFile(Path dir, Path file) throws IOException {
        ShutdownHook.install();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(".%s.%d.%016x.tmp".formatted(file.getFileName(), ProcessHandle.current().pid(),
                    RANDOM.nextLong()));
            try {
                LIVE.add(tmp);
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                LIVE.remove(tmp);
                if (attempt == 9) throw e;
            } catch (IOException e) {
                LIVE.remove(tmp);
                throw new IOException("%s: cannot write in the folder %s: %s".formatted(file, dir, reason(e)), e);
            }
        }
    }

    /**
     * Deletes the temporary files that killed writes left in {@code dir}: those whose writer process is gone,
     * and old-style ones (no process id in the name) untouched for {@link #OLD_TEMP_AGE}. Other files,
     * hidden or not, are never touched. Returns how many were deleted; a folder that cannot be listed has none.
     */
    public static int removeStale(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int removed = 0;
        Instant old = Instant.now().minus(OLD_TEMP_AGE);
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                Matcher m = TEMP.matcher(name);
                boolean stale = m.matches() ? !writerAlive(m.group(1))
                        : OLD_TEMP.matcher(name).matches() && Files.getLastModifiedTime(f).toInstant().isBefore(old);
                if (stale && Files.isRegularFile(f) && Files.deleteIfExists(f)) removed++;
            }
        }
        return removed;
    }

    private static boolean writerAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Replaces {@code file} with {@code bytes}. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /** Replaces {@code file} with {@code text} in UTF-8. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static IOException cannotWrite(Path file, IOException e) {
        return new IOException("%s: cannot write: %s".formatted(file, reason(e)), e);
    }

    /**
     * The system's reason for {@code e}, without the (temporary) file's name that FileSystemException puts in
     * front of it: "No space left on device", "permission denied".
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) return f.getReason();
            return switch (f) {
                case java.nio.file.NoSuchFileException n -> "the file system makes no new file here";
                case java.nio.file.AccessDeniedException a -> "permission denied";
                default -> f.getClass().getSimpleName();
            };
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The temporary file's stream, whose failures (a full disk) name the file being written. */
    private static final class Naming extends FilterOutputStream {
        private final Path file;

        Naming(OutputStream out, Path file) {
            super(out);
            this.file = file;
        }

        @Override public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw cannotWrite(file, e);
            }
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw cannotWrite(file, e);
            }
        }
    }

    /** Registered once, on the first temporary file (class initialisation is thread-safe and lazy). */
    private static final class ShutdownHook {
        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (Path tmp : LIVE) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException e) {
                        // the JVM is exiting: nothing to tell, and removeStale gets it at the next run
                    }
                }
            }, "posenc-temp-files"));
        }

        static void install() {}
    }
}
