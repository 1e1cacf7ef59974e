package dev.posenc.models.graph;

import java.util.Arrays;

/**
 * The area under the ROC curve: the probability that a random positive scores above a random negative, ties
 * counted one half (the Mann–Whitney U statistic over average ranks, as sklearn's roc_auc_score).
 */
public final class RocAuc {
    private RocAuc() {}

    /**
     * AUC of {@code scores} against labels 1 (positive) and 0.
     *
     * @throws IllegalArgumentException when the lengths differ or one class is missing
     */
    public static double of(double[] scores, float[] labels) {
        if (scores.length != labels.length) throw new IllegalArgumentException(
                "auc: labels: expected %d, got %d".formatted(scores.length, labels.length));
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPositive = 0;
        long positives = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double rank = (i + j) / 2.0 + 1;       // average rank of a tie group, 1-based
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1f) { rankSumPositive += rank; positives++; }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) throw new IllegalArgumentException(
                "auc: expected both positives and negatives, got %d and %d".formatted(positives, negatives));
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
