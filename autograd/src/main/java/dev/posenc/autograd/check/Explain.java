package dev.posenc.autograd.check;

import dev.posenc.core.Backend;

import java.util.List;
import java.util.Map;

/**
 * {@code posenc gradcheck --explain OP}: one op's gradient check shown whole, for a learner: the rule, every number
 * of one small case (the engine's gradient, the central difference, the table's rule, the error) and the source
 * lines that compute each of them. Line numbers are kept honest by {@code ExplainTest}, which reads the sources.
 */
public final class Explain {
    private Explain() {}

    /** A line of source: repository-relative path, 1-based line, and text that line must contain. */
    public record Source(String role, String path, int line, String contains) {
        @Override public String toString() { return "%-26s %s:%d   %s".formatted(role, path, line, contains); }
    }

    /** What is known about an op beyond its numbers: its function, its rule, where they are computed. */
    public record Entry(String function, List<String> rule, List<Source> sources) {}

    private static final String OPS = "autograd/src/main/java/dev/posenc/autograd/ops/";
    private static final String TABLE = "core/src/main/java/dev/posenc/core/Reference64.java";
    private static final String CHECK = "autograd/src/main/java/dev/posenc/autograd/check/GradCheck.java";
    private static final List<Source> NUMERIC = List.of(
            new Source("central difference (f64)", CHECK, 152, "xi[j] = saved + h"),
            new Source("", CHECK, 157, "numeric[j] = (plus - minus) / (2 * h)"));

    /** The ops with a full explanation; every other op of the suite gets its numbers and the table's row name. */
    public static final Map<String, Entry> ENTRIES = Map.of(
            "fourier_features", new Entry("r = [cos z ‖ sin z]·s with z = x·Wᵀ and s = 1/√F;  x (N, M), W (K, M), r (N, 2K)",
                    List.of("with dr = [dc ‖ ds] (the cos half and the sin half of r's gradient):",
                            "  dz = s·(ds ⊙ cos z − dc ⊙ sin z)     (N, K)   cos′ = −sin, sin′ = cos",
                            "  dW = dzᵀ·x                          (K, M)   z = x·Wᵀ is a matmul: its rule",
                            "  dx = dz·W                           (N, M)"),
                    concat(List.of(
                            new Source("engine forward", OPS + "FourierFeatures.java", 45, "be.fourierForward("),
                            new Source("engine backward (op)", OPS + "FourierFeatures.java", 51, "be.fourierBackward("),
                            new Source("kernel (its scalar twin)", "kernels/src/main/java/dev/posenc/kernels/FourierCpu.java", 126, "float g = gElement("),
                            new Source("", "kernels/src/main/java/dev/posenc/kernels/FourierCpu.java", 227, "(dS * cos - dC * sin) * scale"),
                            new Source("", "kernels/src/main/java/dev/posenc/kernels/FourierCpu.java", 128, "dx.set(row, c, dx.get(row, c) + g * w.get(j, c))"),
                            new Source("", "kernels/src/main/java/dev/posenc/kernels/FourierCpu.java", 129, "dw.set(j, c, dw.get(j, c) + g * x.get(row, c))"),
                            new Source("rule (table, f64)", TABLE, 386, "fourierBackward("),
                            new Source("", TABLE, 391, "dz[i * k + j] = s * (ds * Math.cos(")), NUMERIC)),
            "linear", new Entry("y = x·Wᵀ + b;  x (N, In), W (Out, In), b (Out), y (N, Out)",
                    List.of("  dx = dy·W          (N, In)",
                            "  dW = dyᵀ·x         (Out, In)   one outer product dy_r·x_rᵀ per row, summed",
                            "  db = Σ_rows dy     (Out)       b was added to every row"),
                    concat(List.of(
                            new Source("engine forward", OPS + "Linear.java", 39, "be.linear(y2, x2, w.value(), b.value(), false)"),
                            new Source("engine backward", OPS + "Linear.java", 45, "// dx += dy·W"),
                            new Source("", OPS + "Linear.java", 49, "// dW += dyᵀ·x"),
                            new Source("", OPS + "Linear.java", 50, "// db += Σ_r dy"),
                            new Source("rule (table, f64)", TABLE, 88, "linearBackward(")), NUMERIC)));

    private static List<Source> concat(List<Source> a, List<Source> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** The names {@code --explain} accepts: every case of {@link GradCheckSuite}. */
    public static List<String> names() { return GradCheckSuite.cases().stream().map(GradCheckSuite.Case::op).toList(); }

    /**
     * The explanation of {@code op} run on {@code backend}, and whether it passed.
     *
     * @throws IllegalArgumentException for an op the suite does not have, listing those it has
     */
    public static Explained explain(Backend backend, String op) {
        GradCheckSuite.Case c = GradCheckSuite.cases().stream().filter(k -> k.op().equals(op)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("--explain: expected an op of the suite (%s), got '%s'"
                        .formatted(String.join(", ", names()), op)));
        GradCheck.Report report = c.check(backend);
        Entry entry = ENTRIES.get(op);
        StringBuilder b = new StringBuilder();
        b.append("%s, inputs %s%n".formatted(op, c.shapes()));
        if (entry != null) {
            b.append("forward: ").append(entry.function()).append('\n');
            b.append("backward (the rule, derived in docs/autodiff.md):\n");
            for (String line : entry.rule()) b.append(line).append('\n');
        } else {
            b.append("rule: Reference64.%sBackward in %s (derivations: docs/autodiff.md)%n".formatted(c.rule(), TABLE));
        }
        b.append("""
                one small case: inputs drawn from a seed; the checked scalar is L = Σ out ⊙ R for a fixed random R, so
                the output's gradient is R. Per element: the engine's float32 gradient, the central difference
                (L(x + h) − L(x − h))/2h of the double-precision forward, the table's rule in double, and the error
                |engine − central| / max(|engine|, |central|, floor).
                """);
        for (GradCheck.InputReport in : report.inputs()) {
            b.append("input %d %s (floor %.2g):%n".formatted(in.input(), in.shape(), in.floor()));
            b.append("  %-7s %16s %16s %16s %10s%n".formatted("element", "engine (f32)", "central diff", "rule (f64)", "error"));
            for (int j = 0; j < in.analytic().length; j++) {
                b.append("  %-7s %16.9f %16.9f %16.9f %10.2e%n".formatted("[" + j + "]", in.analytic()[j], in.numeric()[j],
                        in.rule()[j], in.relError()[j]));
            }
            b.append("  worst: engine vs central %.2e, rule vs central %.2e, engine vs rule %.2e%n".formatted(
                    in.relError()[in.worst()], in.ruleError(), in.engineVsRule()));
        }
        boolean pass = report.within(GradCheck.DEFAULT_TOLERANCE);
        b.append("max error %.2e %s %.0e: %s%n".formatted(report.maxRelError(), pass ? "≤" : ">", GradCheck.DEFAULT_TOLERANCE,
                pass ? "ok" : "FAIL"));
        if (entry != null) {
            b.append("computed by:\n");
            for (Source s : entry.sources()) b.append("  ").append(s).append('\n');
        }
        return new Explained(b.toString(), pass);
    }

    /** The printed explanation and the verdict. */
    public record Explained(String text, boolean pass) {}
}
