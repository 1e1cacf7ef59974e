package dev.posenc.models.analysis.embedders;

import java.nio.file.Path;
import java.util.List;

/** Placeholder until the plotting additions land on main. */
final class EmbeddersPlots {
    private EmbeddersPlots() {}

    static void kernel(Path file, List<EmbeddersAnalysis.Row> rows, int n) {}

    static void tradeoff(Path file, List<EmbeddersAnalysis.Row> rows) {}
}
