package dev.posenc.models.seq;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The tasks {@code train-seq --task} knows, by name. */
public final class SeqTasks {
    private SeqTasks() {}

    public static final List<String> NAMES = List.of("fmnist-seq", "lookback", "reverse");

    /** What a task may be configured with; each task reads what it needs. */
    public record Options(Path dataDir, int trainLimit, int testLimit, int length, int lookback, int vocabulary, int testSequences,
                          int trainLength, List<Integer> testLengths) {}

    public static SeqTask create(String name, Options o) throws IOException {
        return switch (name) {
            case "fmnist-seq" -> FmnistSeqTask.load(o.dataDir(), o.trainLimit(), o.testLimit());
            case "lookback" -> new LookbackTask(o.length(), o.lookback(), o.vocabulary(), o.testSequences());
            case "reverse" -> new ReverseTask(o.trainLength(), o.testLengths(), o.vocabulary(), o.testSequences());
            default -> throw new IllegalArgumentException("--task: expected one of %s, got '%s'".formatted(String.join(", ", NAMES), name));
        };
    }
}
