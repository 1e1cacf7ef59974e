package dev.posenc.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The stride-1 layout that turns every window tap into ONE long vector run. An H × W plane is copied into a padded
 * Hp × Wp plane (Hp = H + 2p, Wp = W + 2p) and outputs are computed over Ho rows of the padded width Wp. In flat
 * indices, output i = y·Wp + x then reads padded input i + ky·d·Wp + kx·d for tap (ky, kx): the same shift for
 * every pixel, so a tap is one run of Ho·Wp floats instead of Ho runs of Wo (14 floats, shorter than one AVX-512
 * vector, on the DARTS toy's images). Columns x ≥ Wo of the wide output are junk and are dropped by
 * {@link #compact}; gradients enter through {@link #widen}, which zeroes them, so the junk never reaches a
 * weight or an input gradient. The padded plane has {@link #slack} extra floats so the last tap's run stays inside.
 */
final class PaddedPlane {
    private PaddedPlane() {}

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** Floats of one padded plane including the slack: Hp·Wp + extent − 1. */
    static long size(int h, int w, int p, int extent) { return (long) (h + 2 * p) * (w + 2 * p) + extent - 1; }

    /** Extra floats after the padded plane. */
    static int slack(int extent) { return extent - 1; }

    /** dst (one padded plane of {@link #size} floats) = {@code fill} around the H × W plane src. */
    static void pad(MemorySegment dst, long dOff, MemorySegment src, long sOff, int h, int w, int p, int extent, float fill) {
        int wp = w + 2 * p;
        long total = size(h, w, p, extent);
        if (fill == 0f) dst.asSlice(dOff * Float.BYTES, total * Float.BYTES).fill((byte) 0);
        else for (long i = 0; i < total; i++) dst.setAtIndex(F, dOff + i, fill);
        for (int y = 0; y < h; y++) {
            MemorySegment.copy(src, (sOff + (long) y * w) * Float.BYTES, dst, (dOff + (long) (y + p) * wp + p) * Float.BYTES,
                    (long) w * Float.BYTES);
        }
    }

    /** out (Ho × Wo at oOff) = the first Wo columns of each row of wide (Ho × Wp at wOff). */
    static void compact(MemorySegment out, long oOff, MemorySegment wide, long wOff, int ho, int wo, int wp) {
        for (int y = 0; y < ho; y++) {
            MemorySegment.copy(wide, (wOff + (long) y * wp) * Float.BYTES, out, (oOff + (long) y * wo) * Float.BYTES,
                    (long) wo * Float.BYTES);
        }
    }

    /** wide (Ho × Wp) = g (Ho × Wo) with the junk columns zero. */
    static void widen(MemorySegment wide, long wOff, MemorySegment g, long gOff, int ho, int wo, int wp) {
        wide.asSlice(wOff * Float.BYTES, (long) ho * wp * Float.BYTES).fill((byte) 0);
        for (int y = 0; y < ho; y++) {
            MemorySegment.copy(g, (gOff + (long) y * wo) * Float.BYTES, wide, (wOff + (long) y * wp) * Float.BYTES,
                    (long) wo * Float.BYTES);
        }
    }

    /** dx (H × W at xOff) += the interior of the padded gradient plane dpad. */
    static void addInterior(MemorySegment dx, long xOff, MemorySegment dpad, long pOff, int h, int w, int p) {
        int wp = w + 2 * p;
        for (int y = 0; y < h; y++) PixelRuns.axpy(dx, xOff + (long) y * w, dpad, pOff + (long) (y + p) * wp + p, w, 1f);
    }

    /** The flat shift of tap (ky, kx) in a padded plane of width wp. */
    static int shift(int ky, int kx, int dilation, int wp) { return ky * dilation * wp + kx * dilation; }
}
