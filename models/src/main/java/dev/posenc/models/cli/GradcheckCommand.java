package dev.posenc.models.cli;

import dev.posenc.autograd.check.Explain;
import dev.posenc.autograd.check.GradCheckSuite;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code posenc gradcheck}: every differentiable op's analytic gradient, computed by the engine on the chosen
 * backend, against central differences of its double-precision reference. Prints one row per op (shapes, max
 * relative error, verdict) and exits non-zero if any op fails, so scripts can gate on it. {@code --explain OP}
 * shows one op's check whole ({@link Explain}).
 */
@Command(name = "gradcheck", description = "Check every differentiable op's gradient against central differences.")
final class GradcheckCommand implements BackendCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--verbose", description = "For failing ops, also print the worst elements of each input.")
    private boolean verbose;

    @Option(names = "--explain", paramLabel = "OP",
            description = "Check one op and show it whole: its rule, every number of one small case (engine, central "
                    + "difference, rule, error) and the source lines computing them, e.g. --explain fourier_features.")
    private String explain;

    @Override public int run(RunContext context) {
        if (explain != null) {
            Explain.Explained x = Explain.explain(context.backend(), explain);
            context.out().print(x.text());
            context.out().flush();
            return x.pass() ? 0 : 1;
        }
        List<GradCheckSuite.Row> rows = GradCheckSuite.run(context.backend());
        context.out().println("backend: " + context.backend().describe());
        context.out().print(GradCheckSuite.table(rows));
        for (GradCheckSuite.Row row : rows) {
            if (!row.pass() && verbose) context.out().println(row.op() + ":\n" + row.report().describe());
        }
        context.out().flush();
        return rows.stream().allMatch(GradCheckSuite.Row::pass) ? 0 : 1;
    }
}
