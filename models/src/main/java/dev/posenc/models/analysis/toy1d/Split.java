package dev.posenc.models.analysis.toy1d;

import java.util.stream.IntStream;

/**
 * Which grid points train and which test: every {@code every}-th point (i ≡ 0 mod every) trains, all the
 * others test. The two sets are disjoint and together cover the grid.
 *
 * @param train indices of the training points, ascending
 * @param test  indices of the test points, ascending
 */
public record Split(int[] train, int[] test) {
    /** The split of an N = {@code points} grid; {@code every} ≥ 2 so that something is left to test. */
    public static Split everyKth(int points, int every) {
        if (every < 2 || every > points) throw new IllegalArgumentException(
                "--train-every: expected an integer from 2 to the number of points (%d), got %d".formatted(points, every));
        return new Split(IntStream.range(0, points).filter(i -> i % every == 0).toArray(),
                IntStream.range(0, points).filter(i -> i % every != 0).toArray());
    }
}
