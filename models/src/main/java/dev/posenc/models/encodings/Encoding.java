package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.models.nn.Dense;
import dev.posenc.models.nn.ParameterStore;

import java.util.List;
import java.util.Map;

/**
 * A positional encoding: positions (N, M) to features (N, D), as a differentiable step on a {@link Tape}.
 *
 * <p>An encoding declares its tensors (trainable weights and fixed buffers) in the {@link ParameterStore}
 * it is built with; the store must be allocated before {@link #apply} runs. {@link #config()} holds
 * everything that, with {@link Encodings#fromConfig}, rebuilds an encoding of the same shape (the values of
 * its tensors come from the store, e.g. from a saved file). Built by {@link Encodings#create}.
 */
public interface Encoding {
    /** The factory name: {@code none}, {@code basic}, {@code positional}, {@code gaussian}, {@code lff}, ... */
    String name();

    /** M: coordinates per position (for grouped encodings, G × the per-group dimension). */
    int inputDims();

    /** D: features per position. */
    int outputDims();

    /** The tensors this encoding declared, trainable or fixed, in declaration order. */
    List<ParameterStore.Parameter> parameters();

    /** The trainable ones among {@link #parameters()} (empty for the fixed mappings). */
    default List<ParameterStore.Parameter> trainableParameters() {
        return parameters().stream().filter(ParameterStore.Parameter::trainable).toList();
    }

    /** Name and hyperparameters as strings (safetensors metadata), including {@code "encoding" → name()}. */
    Map<String, String> config();

    /** features (N, D) from positions (N, M). Reads the parameters; modifies nothing. */
    Var apply(Tape tape, Var positions);

    /**
     * The encoding's last layer when it is a Linear layer with no activation after it, else null: a caller whose
     * next layer is linear too may then multiply the two weights together ({@code LinearPairRelu}) and run
     * {@link #applyBeforeTail} instead of {@link #apply}. apply(x) = linearTail().apply(applyBeforeTail(x)).
     */
    default Dense linearTail() { return null; }

    /** The features that {@link #linearTail()} maps, (N, In of the tail); only where linearTail() is not null. */
    default Var applyBeforeTail(Tape tape, Var positions) {
        throw new UnsupportedOperationException(name() + ": applyBeforeTail: the encoding has no linear tail");
    }
}
