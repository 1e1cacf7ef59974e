package dev.posenc.bench;

import dev.posenc.core.Compare;
import dev.posenc.core.Tensor;

/**
 * The check every op-family bench runs in its {@code @Setup} before timing: the vector kernel's result against
 * its scalar twin (or a second route), so a bench never times a kernel that has gone wrong. The tolerance is
 * relative to the result's largest magnitude, since the twins sum in different orders.
 */
final class TwinCheck {
    private TwinCheck() {}

    /** Throws, naming {@code what}, unless |got − want| ≤ rtol·(max|want| + |want|) everywhere. */
    static void require(String what, Tensor want, Tensor got, double rtol) {
        Compare c = Compare.of(want, got, rtol * maxAbs(want), rtol);
        if (!c.ok()) throw new IllegalStateException(what + ": " + c.describe());
    }

    /** A scalar result (a loss) against its twin's, relative. */
    static void require(String what, double want, double got, double rtol) {
        if (!(Math.abs(got - want) <= rtol * Math.abs(want))) {
            throw new IllegalStateException("%s: expected %.9g, got %.9g".formatted(what, want, got));
        }
    }

    static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.toArray()) m = Math.max(m, Math.abs(v));
        return m;
    }
}
