package dev.posenc.models.vit;

/**
 * One evaluation during ViT training: the step it followed, the test accuracy there, and the mean training loss
 * over the batches since the previous point (the paper's "loss falls faster" is read from this column).
 *
 * @param trainLoss NaN for points restored from a checkpoint written before the loss was recorded
 */
public record CurvePoint(int step, double testAccuracy, double trainLoss) {}
