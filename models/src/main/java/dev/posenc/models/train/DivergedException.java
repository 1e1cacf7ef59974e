package dev.posenc.models.train;

import dev.posenc.autograd.Tape;

/**
 * A training run whose numbers stopped being finite. It is an error, never a result: a NaN loss used to end
 * as "nan" in results.csv with exit code 0. Thrown at the first step whose loss (which the trainer reads
 * anyway, so the check costs nothing) is NaN or infinite, by the tape's per-op check under
 * {@code --check-finite} (then naming the op), or when the parameters are not finite after the last update.
 */
public final class DivergedException extends ArithmeticException {
    private DivergedException(String message, Throwable cause) {
        super(message);
        if (cause != null) initCause(cause);
    }

    /** The loss of {@code step} (1-based) was {@code loss}; {@code remedy} says what to change, e.g. "a smaller --lr". */
    public static DivergedException atLoss(String encoding, int step, double loss, String remedy) {
        return new DivergedException("encoding %s diverged at step %d: training loss %s; try %s (or --check-finite to "
                .formatted(encoding, step, loss, remedy) + "name the op that made the first NaN/Inf)", null);
    }

    /** The tape's finite check stopped {@code step}: e names the op. */
    public static DivergedException atOp(String encoding, int step, Tape.NonFiniteException e) {
        return new DivergedException("step %d, encoding %s: %s".formatted(step, encoding, e.getMessage()), e);
    }

    /** After the last update ({@code step}) a parameter is not finite; {@code which} names it. */
    public static DivergedException afterUpdate(String encoding, int step, String which, String remedy) {
        return new DivergedException("encoding %s diverged in the update of step %d: %s; try %s"
                .formatted(encoding, step, which, remedy), null);
    }
}
