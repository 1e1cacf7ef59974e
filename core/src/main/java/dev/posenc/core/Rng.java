package dev.posenc.core;

import java.lang.foreign.Arena;

/**
 * Seeded, counter-based random numbers. Element {@code i} of the {@code k}-th draw is a pure function of
 * (seed, k, i), so a fill split across any number of threads, in any chunking, gives the same numbers as
 * a sequential one (see {@link #fillNormal(Tensor, float, float, long, long)}).
 *
 * <p>Each draw ({@code normal}, {@code uniform}) advances the draw counter, so two draws from one Rng
 * differ, and a program that makes the same draws in the same order gets the same numbers.
 * Not thread-safe: one Rng per owner, passed in explicitly.
 */
public final class Rng {
    private final long seed;
    private long draw;

    public Rng(long seed) { this.seed = seed; }

    public long seed() { return seed; }

    /** A new tensor of N(mean, std²) samples (Box–Muller over counter-based uniforms). */
    public Tensor normal(Arena arena, Shape shape, float mean, float std) {
        Tensor t = Tensor.zeros(arena, shape);
        fillNormal(t, mean, std);
        return t;
    }

    public Tensor normal(Arena arena, Shape shape) { return normal(arena, shape, 0f, 1f); }

    /** A new tensor of U[lo, hi) samples. */
    public Tensor uniform(Arena arena, Shape shape, float lo, float hi) {
        Tensor t = Tensor.zeros(arena, shape);
        fillUniform(t, lo, hi);
        return t;
    }

    public void fillNormal(Tensor t, float mean, float std) {
        long stream = nextStream();
        fillNormal(t, mean, std, stream, 0, t.size());
    }

    public void fillUniform(Tensor t, float lo, float hi) {
        long stream = nextStream();
        for (long i = 0; i < t.size(); i++) t.set(i, (float) (lo + (hi - lo) * unit(stream, i)));
    }

    /** Advances the draw counter and returns the key of the new draw; pass it to the range fills. */
    public long nextStream() { return mix(seed + 0x9E3779B97F4A7C15L * ++draw); }

    /**
     * Fills elements [from, to) of draw {@code stream} with normals. Any split of [0, n) into ranges, run
     * on any threads, writes the same values: element i depends only on (stream, i).
     */
    public static void fillNormal(Tensor t, float mean, float std, long stream, long from, long to) {
        for (long i = from; i < to; i++) t.set(i, (float) (mean + std * standardNormal(stream, i)));
    }

    /** The i-th standard normal of a draw: Box–Muller on the pair of uniforms (2⌊i/2⌋, 2⌊i/2⌋+1). */
    public static double standardNormal(long stream, long i) {
        long pair = i & ~1L;
        double u1 = unit(stream, pair);
        double u2 = unit(stream, pair + 1);
        double radius = Math.sqrt(-2.0 * Math.log(1.0 - u1)); // 1 − u1 ∈ (0, 1]: log never sees 0
        double angle = 2.0 * Math.PI * u2;
        return (i & 1L) == 0 ? radius * Math.cos(angle) : radius * Math.sin(angle);
    }

    /** The i-th uniform in [0, 1) of a draw: 53 bits of a SplitMix64 finaliser. */
    public static double unit(long stream, long i) {
        return (mix(stream ^ mix(i + 0x632BE59BD9B4E019L)) >>> 11) * 0x1.0p-53;
    }

    /** A uniform integer in [0, bound) from the sequential stream, for shuffles and sampling. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound: expected > 0, got " + bound);
        return (int) (unit(nextStream(), 0) * bound);
    }

    /** Stafford's variant 13 of the SplitMix64 finaliser: a bijection with full avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
