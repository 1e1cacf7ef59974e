package dev.posenc.models.nas;

import dev.posenc.core.Rng;
import dev.posenc.core.Tensor;
import dev.posenc.models.data.FashionMnist;

import java.lang.foreign.MemorySegment;

/**
 * A slice of a data set in a fixed or shuffled order, copied batch by batch into (B, 1, S, S) tensors: the images
 * of a batch need not be contiguous in the data set once it is shuffled.
 */
final class Batches {
    private final FashionMnist.Data data;
    private final int from, count;
    private final int[] order;

    /** Examples [from, from + count) of {@code data}. */
    Batches(FashionMnist.Data data, int from, int count) {
        if (from < 0 || count < 1 || from + count > data.size()) throw new IllegalArgumentException(
                "examples: expected a range inside the %d loaded, got [%d, %d)".formatted(data.size(), from, from + count));
        this.data = data;
        this.from = from;
        this.count = count;
        this.order = new int[count];
        for (int i = 0; i < count; i++) order[i] = from + i;
    }

    int size() { return count; }

    int side() { return data.rows(); }

    /** A new random order (Fisher–Yates from {@code rng}'s stream). */
    void shuffle(Rng rng) {
        java.util.Random r = new java.util.Random(rng.nextStream());
        for (int i = count - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Batches of {@code batch} per pass, the last partial one dropped (BN needs a real batch). */
    int batchesPerPass(int batch) { return Math.max(1, count / batch); }

    /** Copies batch number {@code b} into {@code images} (n, 1, S, S) and {@code labels} (n); n = images' first dim. */
    void fill(int b, int batch, Tensor images, int[] labels) {
        int n = images.shape().dim(0);
        long px = (long) side() * side() * Float.BYTES;
        for (int i = 0; i < n; i++) {
            int src = order[(b * batch + i) % count];
            MemorySegment.copy(data.images().data(), src * px, images.data(), i * px, px);
            labels[i] = data.labels()[src];
        }
    }

    /** How many examples batch b of a pass holds (for evaluation passes, which keep the last partial batch). */
    int evalBatchSize(int b, int batch) { return Math.min(batch, count - b * batch); }

    int evalBatches(int batch) { return (count + batch - 1) / batch; }

    int first() { return from; }
}
