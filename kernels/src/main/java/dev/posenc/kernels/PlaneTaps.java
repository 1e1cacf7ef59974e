package dev.posenc.kernels;

import dev.posenc.core.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The window taps of a stride-1 "same" convolution or pooling (output H × W = input H × W, 2·p = d·(k − 1)) on
 * COMPACT planes, with the edges handled by lane masks instead of a padded copy. Output pixel i = y·W + x reads
 * input i + shift(t) for tap t = (ky, kx), shift(t) = (ky·d − p)·W + (kx·d − p): the same flat shift for every
 * pixel, so a tap over a vector of L consecutive pixels is one load at i + shift(t). Lanes whose tap falls outside
 * the image (a row above or below, or a column wrapped into the neighbouring row) are switched off by
 * {@code mask(v, t)}; a plane of H·W pixels is ⌈H·W / L⌉ vectors and the last one's lanes past H·W are off too.
 * Masked-off lanes load as 0 and are never stored, so the kernels read and write NCHW tensors in place: no pad,
 * no compaction, and a 7 × 7 plane costs 4 vectors (49 of 64 lanes) instead of 7 rows of 7.
 * <p>
 * {@code transposed} negates every shift (input pixel j gathers from output j − shift(t)): the backward of a
 * same convolution is a same convolution with the transposed taps, which is how {@link DepthwiseCpu} and
 * {@link PoolCpu} compute their input gradients as gathers instead of scatters ({@link ConvDirect} does the same on
 * its padded planes, without masks).
 */
final class PlaneTaps {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final ByteOrder BO = ByteOrder.nativeOrder();

    final int h, w, hw, vectors, taps;
    /** Flat input shift of tap t (row-major over (ky, kx)). */
    final int[] shift;
    /** The smallest and largest shift. */
    final int minShift, maxShift;
    /** Floats either side of a plane copied by {@link #haloCopy}: a multiple of L, at least every |shift|. */
    final int halo;
    /** Lane bits of vector v and tap t at [v·taps + t]: the output pixel is in the plane and its tap input too. */
    final long[] mask;
    /** Lane bits of vector v at [v]: the pixel is in the plane (all but the last vector: every lane). */
    final long[] inside;

    private PlaneTaps(Key key) {
        ConvGeometry g = key.g();
        int h = key.h(), w = key.w();
        boolean transposed = key.transposed();
        if (L > 64) throw new IllegalStateException("PlaneTaps: lane masks are longs, the vector has " + L + " lanes");
        this.h = h;
        this.w = w;
        this.hw = h * w;
        this.vectors = (hw + L - 1) / L;
        this.taps = g.kernel() * g.kernel();
        this.shift = new int[taps];
        this.mask = new long[vectors * taps];
        this.inside = new long[vectors];
        int sign = transposed ? -1 : 1;
        for (int t = 0; t < taps; t++) {
            int dy = sign * ((t / g.kernel()) * g.dilation() - g.padding()), dx = sign * ((t % g.kernel()) * g.dilation() - g.padding());
            shift[t] = dy * w + dx;
            for (int i = 0; i < vectors * L; i++) {
                int y = i / w, x = i % w;
                boolean in = i < hw && y + dy >= 0 && y + dy < h && x + dx >= 0 && x + dx < w;
                if (in) mask[(i / L) * taps + t] |= 1L << (i % L);
            }
        }
        for (int i = 0; i < hw; i++) inside[i / L] |= 1L << (i % L);
        this.minShift = java.util.Arrays.stream(shift).min().orElse(0);
        this.maxShift = java.util.Arrays.stream(shift).max().orElse(0);
        this.halo = (Math.max(-minShift, maxShift) + L - 1) / L * L;
    }

    /** The tables for (g, h, w, transposed), cached: a conv call should not rebuild ~2·10³ mask bits. */
    record Key(ConvGeometry g, int h, int w, boolean transposed) {}

    /** True when {@code g} keeps the size at stride 1: the geometry these tables describe. */
    static boolean fits(ConvGeometry g) { return g.stride() == 1 && 2 * g.padding() == g.extent() - 1; }

    /** The forward taps of a same geometry on H × W planes. */
    static PlaneTaps of(ConvGeometry g, int h, int w) { return CACHE.computeIfAbsent(new Key(g, h, w, false), PlaneTaps::new); }

    /** The transposed taps (shifts negated), for input gradients. */
    static PlaneTaps transposed(ConvGeometry g, int h, int w) { return CACHE.computeIfAbsent(new Key(g, h, w, true), PlaneTaps::new); }

    /** Immutable tables, so one cache serves every backend; a network has a handful of plane sizes. */
    private static final Map<Key, PlaneTaps> CACHE = new ConcurrentHashMap<>();

    /** Floats of a buffer for {@link #haloCopy}: the plane's whole vectors with {@link #halo} floats either side. */
    long haloFloats() { return 2L * halo + (long) vectors * L; }

    /**
     * Copies the plane at float {@code base} of src to float {@link #halo} of buf ({@link #haloFloats} long); returns
     * buf. For an edge plane (the first and the last of a tensor, see {@link #interior}): there a whole-vector tap load
     * or store would leave the segment, and a masked access past a segment's end takes the Vector API's out-of-range
     * path (a per-lane check behind a branch whose profile every kernel shares): as the JIT compiled the kernels, the 2
     * edge planes of 1,024 cost a third of the depthwise backward (conv7, bench/RESULTS.md). The floats around the
     * copy are stale: the kernels blend masked-off lanes away before any arithmetic.
     */
    MemorySegment haloCopy(MemorySegment buf, MemorySegment src, long base) {
        MemorySegment.copy(src, base * Float.BYTES, buf, (long) halo * Float.BYTES, (long) hw * Float.BYTES);
        return buf;
    }

    /** Copies the plane at float {@link #halo} of buf back to float {@code base} of dst. */
    void haloStore(MemorySegment dst, long base, MemorySegment buf) {
        MemorySegment.copy(buf, (long) halo * Float.BYTES, dst, base * Float.BYTES, (long) hw * Float.BYTES);
    }

    /** True when every shifted whole-vector load (and store) of the plane at {@code base} stays inside {@code floats}. */
    boolean interior(long base, long floats) {
        return base + minShift >= 0 && base + (long) vectors * L + maxShift <= floats;
    }

    /** The L floats at float index {@code at} of seg, lanes outside {@code bits} zero (and never read). */
    static FloatVector load(MemorySegment seg, long at, long bits) {
        return FloatVector.fromMemorySegment(S, seg, at * Float.BYTES, BO, VectorMask.fromLong(S, bits));
    }

    /** Stores the lanes of v inside {@code bits} at float index {@code at} of seg. */
    static void store(FloatVector v, MemorySegment seg, long at, long bits) {
        v.intoMemorySegment(seg, at * Float.BYTES, BO, VectorMask.fromLong(S, bits));
    }
}
