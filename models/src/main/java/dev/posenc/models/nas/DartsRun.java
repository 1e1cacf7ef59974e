package dev.posenc.models.nas;

import dev.posenc.core.Backend;
import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.report.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * The entry point of {@code nas darts}: loads and resizes the data once, runs {@link DartsSeed} per seed, and
 * writes the reports ({@link DartsReport}) into the partial folder after each seed and into {@code out} at the end.
 */
public final class DartsRun {
    private DartsRun() {}

    /** The files a run writes (the partial folder keeps the same names). */
    public static List<String> files() { return DartsReport.FILES; }

    public static List<DartsSeed.Result> run(Backend backend, DartsSettings s, List<NasOp> candidates, List<Long> seeds, Path data,
                                             Path out, Path partial, boolean checkFinite, PrintStream ps) throws IOException {
        SequencedMap<String, String> settings = new LinkedHashMap<>();
        settings.put("data and network", s.describe());
        settings.put("candidates", String.join(", ", candidates.stream().map(o -> o.label).toList()));
        settings.put("network", "stem conv 3×3 → cell (C) → conv 3×3 stride 2 (2C) → cell (2C) → pool → linear; "
                + "each cell n1 = e0(s), n2 = e1(s) + e2(n1), out = n1 + n2");
        settings.put("backend", backend.describe());
        ps.println("nas darts: " + s.describe() + "; " + backend.describe());
        List<DartsSeed.Result> results = new ArrayList<>();
        try (Arena arena = Arena.ofShared()) {
            FashionMnist.Data train = FashionMnist.resized(
                    FashionMnist.load(data, FashionMnist.Split.TRAIN, s.train() + s.val(), arena), s.size(), arena);
            FashionMnist.Data test = FashionMnist.resized(
                    FashionMnist.load(data, FashionMnist.Split.TEST, s.test(), arena), s.size(), arena);
            ProgressBar bar = new ProgressBar(ps, ProgressBar.stdoutIsTerminal());
            for (long seed : seeds) {
                try {
                    results.add(DartsSeed.run(backend, s, candidates, seed, train, test, checkFinite, bar));
                } catch (RuntimeException e) {
                    bar.abandon();
                    throw e;
                }
                DartsReport.write(partial, results, candidates, settings);
            }
        }
        DartsReport.write(out, results, candidates, settings);
        ps.print(DartsReport.markdown(results, settings));
        ps.println("wrote " + out.resolve("results.md") + ", results.csv, alpha.csv, projections.csv, alpha.png, accuracy.png");
        ps.flush();
        return results;
    }
}
