package dev.posenc.models.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Where a multi-encoding run keeps what it finished before the run is complete: {@code DIR/partial/}, with
 * the same file names as the complete run's. The reports (and saved models) are rewritten there after each
 * encoding, so a kill keeps what was finished; the complete files in {@code DIR} are replaced only when the
 * whole run completes, models first and the reports that list them after. So an interrupted rerun never
 * replaces a complete earlier results.csv with a partial one, and the reports and models in {@code DIR} always
 * belong to the same (complete) run.
 *
 * @param dir   the complete run's folder (prepared by {@link OutputFolders})
 * @param names the file names this run writes, the only ones {@link #clear} removes
 */
record PartialOutput(Path dir, List<String> names) {
    static final String FOLDER = "partial";

    /** The partial folder, prepared and emptied of an earlier interrupted run's files of these names. */
    static PartialOutput open(String option, Path dir, List<String> names) throws IOException {
        PartialOutput p = new PartialOutput(dir, List.copyOf(names));
        OutputFolders.prepare(option, p.partial());
        p.clear();
        return p;
    }

    Path partial() { return dir.resolve(FOLDER); }

    /** Moves {@code name} from the partial folder to the complete one (a rename: atomic on one file system). */
    void publish(String name) throws IOException {
        Path from = partial().resolve(name);
        if (Files.exists(from)) Files.move(from, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes this run's files from the partial folder. */
    void clear() throws IOException {
        for (String name : names) Files.deleteIfExists(partial().resolve(name));
    }

    /** {@link #clear()}, then removes the partial folder if nothing else is in it: the run is complete. */
    void finish() throws IOException {
        if (!Files.isDirectory(partial())) return;      // a --save sharing the folder with --out finished it
        clear();
        try (var rest = Files.list(partial())) {
            if (rest.findAny().isEmpty()) Files.delete(partial());
        }
    }

    /** True if an encoding finished and its files are in the partial folder. */
    boolean hasAny() { return names.stream().anyMatch(n -> Files.exists(partial().resolve(n))); }
}
