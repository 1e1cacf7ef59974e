package dev.posenc.models.optim;

import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;
import dev.posenc.core.io.Safetensors;
import dev.posenc.models.nn.ParameterStore;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The tensors of a training checkpoint, shared by every trainer that writes one (train-vit, fit-image): each
 * parameter of the store under its name, and Adam's moments as {@code adam.m} and {@code adam.v} in the store's slab
 * layout. The trainers add their own metadata (what identifies the run, where it stands).
 */
public final class CheckpointTensors {
    public static final String M = "adam.m", V = "adam.v";

    private CheckpointTensors() {}

    /**
     * Checks a checkpoint's {@code format} and {@code format_version} metadata.
     *
     * @throws IllegalArgumentException naming {@code file}, what was expected and what came
     */
    public static void requireFormat(Path file, Map<String, String> meta, String format, String version) {
        if (!format.equals(meta.get("format")) || !version.equals(meta.get("format_version"))) {
            throw new IllegalArgumentException("checkpoint %s: expected format %s version %s, got %s version %s"
                    .formatted(file, format, version, meta.get("format"), meta.get("format_version")));
        }
    }

    /** Host copies (in {@code arena}, for device tensors) of the parameters and Adam's moments, in store order. */
    public static SequencedMap<String, Tensor> of(Arena arena, ParameterStore store, Adam adam) {
        TensorMemory memory = store.memory();
        SequencedMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (ParameterStore.Parameter p : store.all()) tensors.put(p.name(), memory.toHost(arena, p.value()));
        tensors.put(M, memory.toHost(arena, adam.firstMoment()));
        tensors.put(V, memory.toHost(arena, adam.secondMoment()));
        return tensors;
    }

    /**
     * Overwrites the store's parameters and Adam's moments with those of {@code contents} and sets Adam's step
     * counter to {@code adamSteps}.
     *
     * @throws IllegalArgumentException naming {@code file} and the tensor if one is missing or has another shape
     */
    public static void restore(Path file, Safetensors.Contents contents, ParameterStore store, Adam adam, int adamSteps) {
        TensorMemory memory = store.memory();
        for (ParameterStore.Parameter p : store.all()) copy(file, contents, p.name(), p.value(), memory);
        copy(file, contents, M, adam.firstMoment(), memory);
        copy(file, contents, V, adam.secondMoment(), memory);
        adam.restoreSteps(adamSteps);
    }

    private static void copy(Path file, Safetensors.Contents c, String name, Tensor into, TensorMemory memory) {
        Tensor t = c.tensors().get(name);
        if (t == null) throw new IllegalArgumentException("checkpoint %s: tensor %s: expected %s, got none; present: %s"
                .formatted(file, name, into.shape(), c.tensors().keySet()));
        if (!t.shape().equals(into.shape())) throw new IllegalArgumentException(
                "checkpoint %s: tensor %s: expected %s, got %s".formatted(file, name, into.shape(), t.shape()));
        memory.copy(into, t);
    }
}
