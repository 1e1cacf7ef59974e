package dev.posenc.models.cli;

import dev.posenc.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Output folders are made ready before any work: created if missing, proved writable by making (and
 * deleting) a file in them, and cleared of the temporary files that killed runs left ({@link AtomicFiles#removeStale}).
 * An unwritable {@code --out} used to surface only after the first encoding had trained, naming a hidden
 * temporary file; now the error comes first and names the option and the folder.
 */
final class OutputFolders {
    private OutputFolders() {}

    /** {@code dir}, ready for writing; errors name {@code option}, the folder and the system's reason. */
    static Path prepare(String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IllegalArgumentException(
                "%s: expected a folder, got the file %s".formatted(option, dir));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("%s: cannot create the folder %s: %s".formatted(option, dir, AtomicFiles.reason(e)));
        }
        Path probe = dir.resolve(".posenc-write-check.%d.tmp".formatted(ProcessHandle.current().pid()));
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
            AtomicFiles.removeStale(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("%s: cannot write in the folder %s: %s".formatted(option, dir, AtomicFiles.reason(e)));
        }
        return dir;
    }
}
