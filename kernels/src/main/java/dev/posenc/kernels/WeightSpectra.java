package dev.posenc.kernels;

import dev.posenc.core.FftPlan;
import dev.posenc.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The circulant's weight spectra of one head for {@link ToeplitzCpu}: FFT(col) with col the circulant's first column
 * of w's row (natural half spectrum, h + 1 bins) and, on the in-place route, the same by position. Kept between calls
 * with the same weights.
 *
 * <p>Why: kernel-rpe makes one Toeplitz call per feature chunk (64 calls per direction from n = 8192) with the same w,
 * and its backward with the same w and wRev; each call recomputed FFT(col), a real transform of 2h per head: 6 % of
 * kernel-rpe's CPU at every n from 8192, and in the forward (one head) one thread's work while the other waited
 * (bench/RESULTS.md, issue 11, fft7). An entry is found by its exact weights: the row is compared in full with the kept
 * copy (O(n), against the O(n log n) transform saved), so a hit returns what a fresh computation would, bit for bit.
 * Entries are dropped least recently used past {@value #BUDGET_BYTES} bytes.
 */
final class WeightSpectra {
    private WeightSpectra() {}

    /** re, im: the natural half spectrum (h + 1); byPosition: {re, im} by FftInPlace's positions (h), or null. */
    record Spectrum(float[] re, float[] im, float[][] byPosition) {}

    private record Entry(int h, float[] weights, Spectrum spectrum) {
        long bytes() { return 4L * (weights.length + 2L * re().length + 2L * h); }

        float[] re() { return spectrum.re(); }
    }

    static final long BUDGET_BYTES = 48L << 20;
    private static final ArrayDeque<Entry> RECENT = new ArrayDeque<>();   // most recent first; guarded by itself
    private static long held;

    /** Head hd's spectra of w (heads, 2n − 1) for the circulant of length 2h; byPosition when {@code inPlace}. */
    static Spectrum of(Tensor w, int hd, int n, int h, FftPlan plan, boolean inPlace) {
        long span = 2L * n - 1;
        MemorySegment row = w.data().asSlice(hd * span * Float.BYTES, span * Float.BYTES);
        synchronized (RECENT) {
            for (Iterator<Entry> it = RECENT.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.h() != h || e.weights().length != span || inPlace && e.spectrum().byPosition() == null) continue;
                if (MemorySegment.ofArray(e.weights()).mismatch(row) != -1) continue;
                it.remove();
                RECENT.addFirst(e);
                return e.spectrum();
            }
        }
        float[] re = new float[h + 1], im = new float[h + 1];
        ToeplitzCpu.columnSpectrum(w, hd, n, h, re, im);
        Spectrum s = new Spectrum(re, im, inPlace ? ToeplitzInPlace.byPosition(re, im, plan) : null);
        Entry e = new Entry(h, row.toArray(ValueLayout.JAVA_FLOAT), s);
        synchronized (RECENT) {
            RECENT.addFirst(e);
            held += e.bytes();
            while (held > BUDGET_BYTES && RECENT.size() > 1) held -= RECENT.removeLast().bytes();
        }
        return s;
    }
}
