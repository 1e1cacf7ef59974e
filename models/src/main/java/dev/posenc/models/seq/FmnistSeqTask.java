package dev.posenc.models.seq;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.models.data.FashionMnist;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Sequential Fashion-MNIST: each 28 × 28 image (normalised as the ViT loads it, {@link FashionMnist}) read as a sequence
 * of its 196 2 × 2 patches in row-major order, 4 pixels per token, plus a class token: n = 197. The model sees no
 * grid, only the order, so where a patch lies must come from the positions (absolute, or relative offsets: the row
 * above is 14 tokens back).
 */
public final class FmnistSeqTask implements SeqTask {
    static final int PATCH = 2, GRID = 14;
    private final FashionMnist.Data train, test;
    private final Arena arena; // keeps the data reachable as long as the task is

    private FmnistSeqTask(FashionMnist.Data train, FashionMnist.Data test, Arena arena) {
        this.train = train;
        this.test = test;
        this.arena = arena;
    }

    /** The first trainLimit / testLimit images; the data live as long as the JVM's auto arena keeps them. */
    public static FmnistSeqTask load(Path dir, int trainLimit, int testLimit) throws IOException {
        Arena arena = Arena.ofAuto(); // loaded once per command, not on a hot path
        return new FmnistSeqTask(FashionMnist.load(dir, FashionMnist.Split.TRAIN, trainLimit, arena),
                FashionMnist.load(dir, FashionMnist.Split.TEST, testLimit, arena), arena);
    }

    @Override public String name() { return "fmnist-seq"; }

    @Override public int tokens() { return GRID * GRID; }

    @Override public int inputFeatures() { return PATCH * PATCH; }

    @Override public int vocabulary() { return 0; }

    @Override public int classes() { return FashionMnist.CLASSES; }

    @Override public boolean classToken() { return true; }

    @Override public int labelFrom() { return 0; }

    @Override public Batch trainBatch(Arena arena, long seed, int step, int size) {
        long stream = new Rng((seed ^ 0x5E0F_DA7AL) * 0x9E3779B97F4A7C15L + step).nextStream();
        int[] pick = new int[size];                                // sampled with replacement: a pure function of (seed, step)
        for (int i = 0; i < size; i++) pick[i] = (int) (Rng.unit(stream, i) * train.size());
        return patches(arena, train, pick);
    }

    @Override public Batch testSet(Arena arena) {
        int[] all = new int[test.size()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return patches(arena, test, all);
    }

    /** (B, 196, 4): token t = gy·14 + gx holds pixels (2gy + py, 2gx + px) in row-major (py, px) order. */
    private static Batch patches(Arena arena, FashionMnist.Data data, int[] pick) {
        Tensor out = Tensor.zeros(arena, Shape.of(pick.length, GRID * GRID, PATCH * PATCH));
        int[] labels = new int[pick.length];
        Tensor im = data.images();
        long o = 0;
        for (int b = 0; b < pick.length; b++) {
            long src = (long) pick[b] * 28 * 28;
            labels[b] = data.labels()[pick[b]];
            for (int gy = 0; gy < GRID; gy++)
                for (int gx = 0; gx < GRID; gx++)
                    for (int py = 0; py < PATCH; py++)
                        for (int px = 0; px < PATCH; px++) out.set(o++, im.get(src + (2L * gy + py) * 28 + 2 * gx + px));
        }
        return new Batch(out, labels);
    }

    @Override public String describe() {
        return "sequential Fashion-MNIST: 196 tokens of 2×2 pixels + a class token; %d training / %d test images"
                .formatted(train.size(), test.size());
    }
}
