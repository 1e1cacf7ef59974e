package dev.posenc.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import dev.posenc.core.AdamConfig;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019), one fused pass over parameter,
 * gradient and moments, following torch.optim.Adam/AdamW's single-tensor code operation by operation:
 * <pre>
 *   AdamW:  p = p·(1 − lr·wd)                   (decoupled decay, before the update)
 *   Adam:   g = g + wd·p                        (L2 decay, inside the moments)
 *   m = m + (1−β1)·(g − m)                      (torch's lerp_, in its form for β1 > 0.5)
 *   v = β2·v + (1−β2)·g·g
 *   p = p − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε)  (t = step, counting from 1)
 * </pre>
 * The bias corrections are computed once per step in double, as Python does, then rounded to float.
 * The decay is applied as p·decay and g + l2·p with (decay, l2) = (1 − lr·wd, 0) for AdamW and (1, wd) for
 * Adam: multiplying by 1 and adding 0·p change nothing for finite p, and the loop has no branch.
 * Twin: {@link #stepScalar}; the vector loop finishes with the twin's element update, and the two agree bit
 * for bit (the same float operations in the same order; Java never contracts a·b + c into an fma).
 */
public final class AdamCpu {
    private AdamCpu() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** About 20 ops per element: below 16K elements a thread hand-off costs more than it saves. */
    private static final long MIN_PER_TASK = 1 << 14;

    /** The per-step scalars, derived once from the config and the step number. */
    private record Coefficients(float decay, float l2, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                                float stepSize, float bias2Sqrt, float eps) {
        static Coefficients of(AdamConfig c, int step) {
            double bias1 = 1 - Math.pow(c.beta1(), step), bias2 = 1 - Math.pow(c.beta2(), step);
            boolean decoupled = c.decoupledWeightDecay();
            return new Coefficients(decoupled ? (float) (1 - (double) c.lr() * c.weightDecay()) : 1f,
                    decoupled ? 0f : c.weightDecay(), (float) (1 - (double) c.beta1()), c.beta2(),
                    (float) (1 - (double) c.beta2()), (float) (c.lr() / bias1), (float) Math.sqrt(bias2), c.eps());
        }
    }

    /**
     * One Adam/AdamW step (see the class comment), {@code step} ≥ 1 being the number of this step.
     * Modifies param, m and v.
     *
     * @throws IllegalArgumentException when a shape differs from param's or step &lt; 1
     */
    public static void step(Parallel p, Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step) {
        check(param, grad, m, v, step);
        Coefficients k = Coefficients.of(config, step);
        MemorySegment ps = param.data(), gs = grad.data(), ms = m.data(), vs = v.data();
        p.forRange(param.size(), MIN_PER_TASK, (from, to) -> stepRange(ps, gs, ms, vs, k, from, to));
    }

    /** The twin of {@link #step}: a plain loop over elements. Modifies param, m and v. */
    public static void stepScalar(Tensor param, Tensor grad, Tensor m, Tensor v, AdamConfig config, int step) {
        check(param, grad, m, v, step);
        Coefficients k = Coefficients.of(config, step);
        for (long i = 0; i < param.size(); i++) stepElement(param.data(), grad.data(), m.data(), v.data(), k, i);
    }

    private static void stepRange(MemorySegment param, MemorySegment grad, MemorySegment m, MemorySegment v,
                                  Coefficients k, long from, long to) {
        FloatVector decay = FloatVector.broadcast(S, k.decay()), l2 = FloatVector.broadcast(S, k.l2());
        FloatVector oneMinusBeta1 = FloatVector.broadcast(S, k.oneMinusBeta1());
        FloatVector beta2 = FloatVector.broadcast(S, k.beta2()), oneMinusBeta2 = FloatVector.broadcast(S, k.oneMinusBeta2());
        FloatVector stepSize = FloatVector.broadcast(S, k.stepSize()), bias2Sqrt = FloatVector.broadcast(S, k.bias2Sqrt());
        FloatVector eps = FloatVector.broadcast(S, k.eps());
        long i = from;
        for (long bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector pv = FloatVector.fromMemorySegment(S, param, off, ORDER);
            FloatVector g = FloatVector.fromMemorySegment(S, grad, off, ORDER).add(l2.mul(pv));
            pv = pv.mul(decay);
            FloatVector mv = FloatVector.fromMemorySegment(S, m, off, ORDER);
            mv = mv.add(oneMinusBeta1.mul(g.sub(mv)));
            FloatVector vv = FloatVector.fromMemorySegment(S, v, off, ORDER);
            vv = vv.mul(beta2).add(oneMinusBeta2.mul(g).mul(g));
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).div(bias2Sqrt).add(eps);
            pv = pv.sub(stepSize.mul(mv).div(denom));
            mv.intoMemorySegment(m, off, ORDER);
            vv.intoMemorySegment(v, off, ORDER);
            pv.intoMemorySegment(param, off, ORDER);
        }
        for (; i < to; i++) stepElement(param, grad, m, v, k, i);
    }

    /** One element: the lane of {@link #stepRange}, operation for operation. */
    private static void stepElement(MemorySegment param, MemorySegment grad, MemorySegment m, MemorySegment v,
                                    Coefficients k, long i) {
        float p = param.getAtIndex(FLOAT, i);
        float g = grad.getAtIndex(FLOAT, i) + k.l2() * p;
        p = p * k.decay();
        float mi = m.getAtIndex(FLOAT, i);
        mi = mi + k.oneMinusBeta1() * (g - mi);
        float vi = v.getAtIndex(FLOAT, i);
        vi = vi * k.beta2() + k.oneMinusBeta2() * g * g;
        float denom = (float) Math.sqrt(vi) / k.bias2Sqrt() + k.eps();
        p = p - k.stepSize() * mi / denom;
        m.setAtIndex(FLOAT, i, mi);
        v.setAtIndex(FLOAT, i, vi);
        param.setAtIndex(FLOAT, i, p);
    }

    private static void check(Tensor param, Tensor grad, Tensor m, Tensor v, int step) {
        String op = "adamStep";
        Shapes.same(op, "grad", param, grad);
        Shapes.same(op, "m", param, m);
        Shapes.same(op, "v", param, v);
        Shapes.require(step >= 1, op, "step", ">= 1 (steps count from 1)", step);
    }
}
