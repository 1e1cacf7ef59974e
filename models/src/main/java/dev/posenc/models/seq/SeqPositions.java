package dev.posenc.models.seq;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Reshape;
import dev.posenc.core.Rng;
import dev.posenc.core.Tensor;
import dev.posenc.models.encodings.AugmentedEncoding;
import dev.posenc.models.encodings.Encoding;
import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.nn.ParameterStore;

import java.util.List;

/**
 * Absolute positions added to the tokens before the first block, by name ({@code train-seq --pe}). Relative positions
 * live inside attention (the rpe kinds of {@link AttentionKind}); the two can be combined.
 * <ul>
 *   <li>{@code none}: nothing added; {@code sine}: Vaswani's fixed table, built here (the original train-seq default).</li>
 *   <li>{@code sine1d}, {@code cape1d}, {@code lff}, {@code embed1d}: the models.encodings of token index t = 0..T−1
 *       (token units). cape1d augments in training only ({@link AugmentedEncoding}, one draw per sequence);
 *       evaluation reads plain positions.</li>
 *   <li>{@code embed1d} is a learned table of {@code tableLength} rows (the longest training sequence). A longer sequence
 *       is evaluated by interpolation: t is scaled to t·(L − 1)/(T − 1), so the first and last tokens keep the first and
 *       last rows and the rest are linear mixes of neighbouring rows (the ViT's resampling of its position table).</li>
 * </ul>
 */
public interface SeqPositions {
    List<String> NAMES = List.of("none", "sine", "sine1d", "embed1d", "cape1d", "lff");

    String name();

    /** x (B, T, D) plus the positions of its T tokens; {@code augment} non-null: training mode (cape1d draws from it). */
    Var add(Tape tape, Var x, Rng augment);

    /** Throws IllegalArgumentException naming --pe and the valid names for an unknown {@code name}. */
    static void check(String name) {
        if (!NAMES.contains(name)) throw new IllegalArgumentException(
                "--pe: expected one of %s, got '%s'".formatted(String.join(", ", NAMES), name));
    }

    /** Declares what {@code name} learns in {@code store} (not yet allocated). */
    static SeqPositions create(String name, int dim, int tableLength, ParameterStore store) {
        check(name);
        return switch (name) {
            case "none" -> new None();
            case "sine" -> new Sine(dim);
            default -> new Encoded(name, Encodings.create(name, params(name, dim, tableLength), store), tableLength);
        };
    }

    /**
     * The encodings' hyperparameters for token positions: D outputs; lff with 64 Fourier features (its image default 768
     * would dwarf a D-32 model); cape1d with Δmax = L (training sees shifted positions up to about 2L), εmax ½, λmax 1.1.
     */
    private static EncodingParams params(String name, int dim, int tableLength) {
        int m = name.equals("embed1d") ? 2 : 1;
        return EncodingParams.defaults(m).toBuilder().outputDims(dim).fourierDims(64).hidden(dim).grid(1, tableLength)
                .cape(tableLength, 0.5, 1.1, false).build();
    }

    /** No absolute positions: the model sees order only through relative attention, if at all. */
    record None() implements SeqPositions {
        @Override public String name() { return "none"; }

        @Override public Var add(Tape tape, Var x, Rng augment) { return x; }
    }

    /** Vaswani et al. 2017: PE[t, 2i] = sin(t/10000^{2i/D}), PE[t, 2i+1] = cos(t/10000^{2i/D}); fixed, not learned. */
    record Sine(int dim) implements SeqPositions {
        @Override public String name() { return "sine"; }

        @Override public Var add(Tape tape, Var x, Rng augment) {
            return Elementwise.addBatchBroadcast(tape, x, tape.constant(table(tape, x.shape().dim(1), dim)));
        }
    }

    private static Tensor table(Tape tape, int tokens, int dim) {
        Tensor t = tape.alloc(tokens, dim);
        for (int p = 0; p < tokens; p++) {
            for (int c = 0; c < dim; c++) {
                double angle = p / Math.pow(10000, (c - c % 2) / (double) dim);
                t.set(p, c, (float) (c % 2 == 0 ? Math.sin(angle) : Math.cos(angle)));
            }
        }
        return t;
    }

    /** An {@link Encoding} of token indices; embed1d's (row 0, column t), the others' t. */
    record Encoded(String name, Encoding encoding, int tableLength) implements SeqPositions {
        @Override public Var add(Tape tape, Var x, Rng augment) {
            int b = x.shape().dim(0), t = x.shape().dim(1);
            boolean table = encoding.inputDims() == 2;
            Tensor pos = tape.alloc(t, encoding.inputDims());
            double stretch = table && t > tableLength ? (tableLength - 1) / (double) (t - 1) : 1;
            for (int i = 0; i < t; i++) pos.set(i, encoding.inputDims() - 1, (float) (i * stretch));
            if (augment != null && encoding instanceof AugmentedEncoding a) {
                Var pe = a.applyTraining(tape, tape.constant(pos), b, augment);           // (B·T, D)
                return Elementwise.add(tape, x, Reshape.apply(tape, pe, x.shape()));
            }
            return Elementwise.addBatchBroadcast(tape, x, encoding.apply(tape, tape.constant(pos)));
        }
    }
}
