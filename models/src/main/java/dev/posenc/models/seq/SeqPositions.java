package dev.posenc.models.seq;

import dev.posenc.autograd.Tape;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Absolute positions added to the tokens before the first block, pluggable by name ({@code train-seq --pe}): a new
 * encoding implements {@link #table} and is listed in {@link #create}. Relative positions live inside attention
 * (the rpe kinds of {@link AttentionKind}); the two can be combined.
 */
public interface SeqPositions {
    List<String> NAMES = List.of("sine", "none");

    String name();

    /** The (T, D) table added to every sequence of T tokens, or null for none. Allocated on {@code tape}. */
    Tensor table(Tape tape, int tokens, int dim);

    static SeqPositions create(String name) {
        return switch (name) {
            case "sine" -> new Sine();
            case "none" -> new None();
            default -> throw new IllegalArgumentException("--pe: expected one of %s, got '%s'".formatted(String.join(", ", NAMES), name));
        };
    }

    /** Vaswani et al. 2017: PE[t, 2i] = sin(t/10000^{2i/D}), PE[t, 2i+1] = cos(t/10000^{2i/D}); fixed, not learned. */
    record Sine() implements SeqPositions {
        @Override public String name() { return "sine"; }

        @Override public Tensor table(Tape tape, int tokens, int dim) {
            Tensor t = tape.alloc(tokens, dim);
            for (int p = 0; p < tokens; p++) {
                for (int c = 0; c < dim; c++) {
                    double angle = p / Math.pow(10000, (c - c % 2) / (double) dim);
                    t.set(p, c, (float) (c % 2 == 0 ? Math.sin(angle) : Math.cos(angle)));
                }
            }
            return t;
        }
    }

    /** No absolute positions: the model sees order only through relative attention, if at all. */
    record None() implements SeqPositions {
        @Override public String name() { return "none"; }

        @Override public Tensor table(Tape tape, int tokens, int dim) { return null; }
    }
}
