package dev.posenc.autograd.check;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.Reference64;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks an op's backward against central differences of an independent double-precision forward, and against
 * the op's rule in the table of gradient rules ({@link Reference64}'s {@code fooBackward}).
 *
 * <p>The scalar checked is L = Σ out ⊙ R for a fixed random R (so every output element matters, each with
 * its own weight). The ANALYTIC gradient ∂L/∂input comes from the real engine: the float32 op on a
 * {@link Tape} with the given backend, backpropagated from seed R. The NUMERIC gradient comes from the
 * {@link Reference64} forward in double: (L(x + h·eⱼ) − L(x − h·eⱼ))/2h with h = 1e-6·max(1, |xⱼ|), whose
 * truncation (~h²) and rounding (~1e-16/h) errors are both far below float32 resolution. So the comparison
 * measures the float32 backward, not the finite difference. The RULE gradient is the table's backward in double,
 * fed the same R. Three comparisons, each within the tolerance: engine vs numeric, rule vs numeric (is the table
 * right?) and engine vs rule (does the engine implement the table?). A wrong rule fails the second and third.
 *
 * <p>Per element the error is |a − n| / max(|a|, |n|, floor): relative for ordinary gradients, absolute
 * (over the floor) for gradients near zero, where a relative error would only measure float32 cancellation:
 * an element that sums O(1) terms to 1e-3 keeps their absolute rounding error of ~1e-7. The floor of an input is
 * max(the given absolute floor, {@value #SCALE_FLOOR} × the largest |numeric gradient| of that input), so it
 * follows the gradient's own scale. A rule that is off by p% still shows an error of p% at the largest elements.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Gradients smaller than this are compared absolutely: float32 noise of O(1) terms is ~1e-7. */
    public static final double DEFAULT_FLOOR = 1e-3;
    /** The float32 CPU engine's worst case over the suite was 3.1e-6 (linear_wide); a rule off by even 0.1%
     *  gives 1e-3. 1e-4 leaves 40x headroom for other backends and summation orders. */
    public static final double DEFAULT_TOLERANCE = 1e-4;
    /** Near-zero elements are judged against this fraction of the input's largest gradient (see class doc). */
    public static final double SCALE_FLOOR = 1e-2;
    private static final double RELATIVE_STEP = 1e-6;

    /** The op under test on the engine: its output from the input variables (in order). */
    @FunctionalInterface
    public interface EngineOp {
        Var apply(Tape tape, List<Var> inputs);
    }

    /** The same op written in plain double loops: its output, row-major, from the inputs (in order). */
    @FunctionalInterface
    public interface ReferenceOp {
        double[] apply(List<double[]> inputs);
    }

    /**
     * The op's rule from the table, in double: one gradient per input (in order) from the inputs and the output's
     * gradient dOut; null for an input the rule does not differentiate.
     */
    @FunctionalInterface
    public interface BackwardRule {
        double[][] apply(List<double[]> inputs, double[] dOut);
    }

    /**
     * Analytic (engine), numeric and rule gradients of one input (rule null when no rule was given); relError is
     * the engine's error against the numeric gradient; ruleError the rule's worst error against the numeric one
     * and engineVsRule the engine's worst error against the rule; maxRelError the worst of all three.
     */
    public record InputReport(int input, Shape shape, double[] analytic, double[] numeric, double[] rule, double[] relError,
                              double floor, int worst, double ruleError, double engineVsRule, double maxRelError) {
        /** The worst few elements, for an assertion message or a table footnote. */
        public String describe(int count) {
            Integer[] order = new Integer[relError.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (p, q) -> Double.compare(relError[q], relError[p]));
            StringBuilder b = new StringBuilder("  input %d %s: max rel err %.3g (floor %.2g)%s%n".formatted(input, shape,
                    maxRelError, floor, rule == null ? "" : "; rule vs numeric %.3g, engine vs rule %.3g"
                            .formatted(ruleError, engineVsRule)));
            for (int i = 0; i < Math.min(count, order.length); i++) {
                int j = order[i];
                b.append("    [%d] analytic %.9g, numeric %.9g, %srel err %.3g%n".formatted(j, analytic[j], numeric[j],
                        rule == null ? "" : "rule %.9g, ".formatted(rule[j]), relError[j]));
            }
            return b.toString();
        }
    }

    /** The outcome for every input of one op. */
    public record Report(String op, List<InputReport> inputs, double floor) {
        public double maxRelError() {
            return inputs.stream().mapToDouble(InputReport::maxRelError).max().orElse(0);
        }

        public boolean within(double tolerance) { return maxRelError() <= tolerance; }

        /** The op, its worst error, and the five worst elements of each input. */
        public String describe() {
            StringBuilder b = new StringBuilder("%s: max rel err %.3g%n".formatted(op, maxRelError()));
            for (InputReport r : inputs) b.append(r.describe(5));
            return b.toString();
        }
    }

    /**
     * Runs the check for every input tensor (all are differentiated; pass constants such as targets and
     * labels inside the ops' closures instead). Reads the inputs, modifies nothing.
     */
    public static Report check(Backend backend, String op, EngineOp engine, ReferenceOp reference,
                               List<Tensor> inputs, long seed, double floor) {
        return check(backend, op, engine, reference, null, inputs, seed, floor);
    }

    /**
     * As {@link #check(Backend, String, EngineOp, ReferenceOp, List, long, double)}, and compares both gradients
     * with the table's {@code rule} too (when not null).
     */
    public static Report check(Backend backend, String op, EngineOp engine, ReferenceOp reference, BackwardRule rule,
                               List<Tensor> inputs, long seed, double floor) {
        List<double[]> analytic = new ArrayList<>();
        double[] weights;
        Shape outShape;
        try (Tape tape = new Tape(backend)) {
            List<Var> vars = inputs.stream().map(tape::variable).toList();
            Var out = engine.apply(tape, vars);
            outShape = out.shape();
            Tensor r = new Rng(seed).normal(tape.arena(), outShape);
            weights = Compare.toDouble(r.toArray());
            tape.backward(out, r);
            for (Var v : vars) analytic.add(Compare.toDouble(v.grad().toArray()));
        }
        List<double[]> x = new ArrayList<>();
        for (Tensor t : inputs) x.add(Compare.toDouble(t.toArray()));
        double[] probe = reference.apply(x);
        if (probe.length != weights.length) throw new IllegalArgumentException(
                "%s: reference: expected %d outputs (engine gave %s), got %d".formatted(op, weights.length, outShape, probe.length));

        double[][] ruled = rule == null ? null : rule.apply(x, weights);
        // A rule may return more gradients than were checked, all null (a linear without its bias).
        for (int i = 0; ruled != null && i < Math.max(ruled.length, x.size()); i++) {
            if (i >= ruled.length || (i >= x.size()) != (ruled[i] == null)) throw new IllegalArgumentException(
                    "%s: rule: expected %d gradients, got %d".formatted(op, x.size(), ruled.length));
        }
        List<InputReport> reports = new ArrayList<>();
        for (int i = 0; i < x.size(); i++) {
            double[] xi = x.get(i), numeric = new double[xi.length], rel = new double[xi.length], a = analytic.get(i);
            double largest = 0;
            for (int j = 0; j < xi.length; j++) {
                double saved = xi[j], h = RELATIVE_STEP * Math.max(1, Math.abs(saved));
                xi[j] = saved + h;
                double plus = dot(reference.apply(x), weights);
                xi[j] = saved - h;
                double minus = dot(reference.apply(x), weights);
                xi[j] = saved;
                numeric[j] = (plus - minus) / (2 * h);
                largest = Math.max(largest, Math.abs(numeric[j]));
            }
            double inputFloor = Math.max(floor, SCALE_FLOOR * largest);
            int worst = 0;
            for (int j = 0; j < xi.length; j++) {
                rel[j] = relativeError(a[j], numeric[j], inputFloor);
                if (rel[j] > rel[worst]) worst = j;
            }
            double[] r = ruled == null ? null : ruled[i];
            if (r != null && r.length != xi.length) throw new IllegalArgumentException(
                    "%s: rule: gradient %d: expected %d elements, got %d".formatted(op, i, xi.length, r.length));
            double ruleError = 0, engineVsRule = 0;
            for (int j = 0; r != null && j < xi.length; j++) {
                ruleError = Math.max(ruleError, relativeError(r[j], numeric[j], inputFloor));
                engineVsRule = Math.max(engineVsRule, relativeError(a[j], r[j], inputFloor));
            }
            double engineError = xi.length == 0 ? 0 : rel[worst];
            reports.add(new InputReport(i, inputs.get(i).shape(), a, numeric, r, rel, inputFloor, worst, ruleError,
                    engineVsRule, Math.max(engineError, Math.max(ruleError, engineVsRule))));
        }
        return new Report(op, reports, floor);
    }

    public static Report check(Backend backend, String op, EngineOp engine, ReferenceOp reference, List<Tensor> inputs, long seed) {
        return check(backend, op, engine, reference, inputs, seed, DEFAULT_FLOOR);
    }

    /** |a − n| / max(|a|, |n|, floor); NaN anywhere counts as infinitely wrong. */
    static double relativeError(double a, double n, double floor) {
        double e = Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), floor);
        return Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
