package dev.posenc.models.encodings;

/**
 * A position outside what an encoding was built for, when the encoding cannot extrapolate: a learned table
 * has one row per position it saw in training and no row for any other. Callers that probe unseen positions
 * (the ViT's unseen-resolution evaluation) catch this type and report "n/a: cannot extrapolate" instead of
 * failing; it is an IllegalArgumentException, so everyone else sees a bad argument.
 */
public final class ExtrapolationException extends IllegalArgumentException {
    public ExtrapolationException(String message) { super(message); }
}
