package dev.posenc.models.analysis.kernel;

import java.nio.file.Path;
import java.util.List;

/** Placeholder until the plotting additions land on main. */
final class KernelPlots {
    private KernelPlots() {}

    static void kernel(Path file, List<KernelCommand.Profile> profiles, double gamma, int features) {}

    static void rmse(Path file, List<KernelCommand.Row> rows) {}
}
