package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Rng;

/**
 * An encoding with a training mode that differs from evaluation (CAPE: random shifts and scaling of the
 * positions). {@link Encoding#apply} is the deterministic evaluation mode; {@link #applyTraining} draws from
 * the {@link Rng} passed in, one augmentation per sequence (image) of the batch.
 */
public interface AugmentedEncoding extends Encoding {
    /**
     * Training mode: features (B·T, D) for B sequences that share positions (T, M); row b·T + t is position t
     * of sequence b under its own draw. Reads the parameters; modifies nothing but the draw counter of {@code rng}.
     */
    Var applyTraining(Tape tape, Var positions, int batch, Rng rng);
}
