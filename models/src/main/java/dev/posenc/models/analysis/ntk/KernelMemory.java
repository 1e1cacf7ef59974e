package dev.posenc.models.analysis.ntk;

import java.util.Locale;

/**
 * What an N-point kernel analysis needs in memory, so that too many points are refused before anything is
 * allocated. Per kernel entry: the float kernel and two float scratch buffers of {@link StructuredNtk} (12 B,
 * native), its float[] copy (4 B), the double copy and EJML's matrix (16 B), EJML's tridiagonal work matrix
 * (8 B): {@value #BYTES_PER_ENTRY} B. With eigenvectors (spectral-bias), EJML's Q and our copy of the
 * vectors add {@value #BYTES_PER_ENTRY_VECTORS} − {@value #BYTES_PER_ENTRY} B.
 */
public final class KernelMemory {
    static final int BYTES_PER_ENTRY = 40, BYTES_PER_ENTRY_VECTORS = 56;
    /** Leave a quarter of the limit to the model, its activations and the JVM. */
    static final double USABLE = 0.75;

    private KernelMemory() {}

    public static long bytes(long points, boolean vectors) {
        return points * points * (vectors ? BYTES_PER_ENTRY_VECTORS : BYTES_PER_ENTRY);
    }

    /** The most points whose kernel fits in {@code USABLE·limit} bytes. */
    public static int maxPoints(long limit, boolean vectors) {
        return (int) Math.min(46_340, Math.floor(Math.sqrt(USABLE * limit / (vectors ? BYTES_PER_ENTRY_VECTORS : BYTES_PER_ENTRY))));
    }

    /**
     * Throws IllegalArgumentException naming {@code option} when {@code points} need more than the usable part
     * of {@code limit} bytes (the JVM's {@code Runtime.maxMemory()}), saying how much and why.
     */
    public static void require(String option, int points, boolean vectors, long limit) {
        if (points <= maxPoints(limit, vectors)) return;
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%s: %d points need a %d × %d kernel, about %.1f GB (%d bytes per entry: float kernel and scratch, "
                        + "double copies for the eigen-solver%s), more than the %.1f GB this JVM may use; "
                        + "expected at most %d points (or raise the heap: POSENC_JAVA_OPTS=-Xmx...)",
                option, points, points, points, bytes(points, vectors) / 1e9,
                vectors ? BYTES_PER_ENTRY_VECTORS : BYTES_PER_ENTRY, vectors ? " and eigenvectors" : "",
                USABLE * limit / 1e9, maxPoints(limit, vectors)));
    }
}
