package dev.posenc.models.nn;

import dev.posenc.core.Tensor;
import dev.posenc.core.io.Safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;

/**
 * A {@link CoordinateModel} as a safetensors file: every tensor of its store under its name (trainable
 * weights and fixed buffers, e.g. {@code encoding.b}, the Gaussian mapping's B), and the model's
 * {@link CoordinateModel#config()} as {@code __metadata__}: format and version, encoding name and
 * hyperparameters ({@code encoding.<key>}), MLP widths and activations. That is enough to rebuild it here
 * ({@link #load}) or in PyTorch ({@code models/src/main/python/load_in_pytorch.py}).
 *
 * <p>Writes are atomic (temporary file, then rename: {@link Safetensors#write}). Reading rejects, with an
 * {@link IOException} naming the file and the problem: a corrupt file, a file that is not a posenc model,
 * a configuration that does not rebuild, and any missing, extra or misshapen tensor.
 */
public final class ModelFile {
    private ModelFile() {}

    /** Metadata keys with this prefix are free-form notes (steps, image, PSNR...): kept, never interpreted. */
    public static final String INFO_PREFIX = "info.";

    /** Writes {@code model} to {@code file} (replacing it atomically). Reads the model, modifies nothing. */
    public static void save(Path file, CoordinateModel model) throws IOException { save(file, model, Map.of()); }

    /**
     * The same, with free-form notes stored as {@code info.<key>} in the metadata (e.g. the training run's
     * steps and PSNR); loading ignores them. Read them back with {@link #info(Path)}.
     */
    public static void save(Path file, CoordinateModel model, Map<String, String> info) throws IOException {
        SequencedMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (ParameterStore.Parameter p : model.store().all()) tensors.put(p.name(), p.value());
        Map<String, String> metadata = new LinkedHashMap<>(model.config());
        for (var e : info.entrySet()) metadata.put(INFO_PREFIX + e.getKey(), e.getValue());
        Safetensors.write(file, tensors, metadata);
    }

    /** The free-form notes of a saved model ({@code info.} keys, prefix removed). */
    public static Map<String, String> info(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Map<String, String> notes = new LinkedHashMap<>();
            for (var e : Safetensors.read(file, arena).metadata().entrySet()) {
                String k = e.getKey();
                if (k.startsWith(INFO_PREFIX)) notes.put(k.substring(INFO_PREFIX.length()), e.getValue());
            }
            return notes;
        }
    }

    /** The model configuration part of a file's metadata: everything but the {@code info.} notes. */
    private static Map<String, String> configOf(Map<String, String> metadata) {
        Map<String, String> config = new LinkedHashMap<>(metadata);
        config.keySet().removeIf(k -> k.startsWith(INFO_PREFIX));
        return config;
    }

    /** A new model rebuilt from the file's configuration, holding the file's tensors. The caller closes it. */
    public static CoordinateModel load(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Safetensors.Contents contents = Safetensors.read(file, arena);
            Map<String, String> config = configOf(contents.metadata());
            if (!CoordinateModel.FORMAT.equals(config.get("format"))) throw new IOException(
                    "%s: not a posenc coordinate model (metadata format: expected '%s', got '%s')"
                            .formatted(file, CoordinateModel.FORMAT, config.get("format")));
            CoordinateModel model;
            try {
                model = CoordinateModel.fromConfig(config, declared -> requireDeclaredInFile(file, config, declared,
                        contents));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IOException("%s: the configuration in its metadata does not build a model: %s"
                        .formatted(file, e.getMessage()), e);
            }
            try {
                copyTensors(file, contents, model);
            } catch (IOException | RuntimeException e) {
                model.close();
                throw e;
            }
            return model;
        }
    }

    /**
     * Loads the file's tensors into an existing model, which must have the same configuration (the error
     * names the first key that differs). Modifies the model's values.
     */
    public static void loadInto(Path file, CoordinateModel model) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Safetensors.Contents contents = Safetensors.read(file, arena);
            Map<String, String> mine = model.config(), theirs = configOf(contents.metadata());
            Set<String> keys = new LinkedHashSet<>(mine.keySet());
            keys.addAll(theirs.keySet());
            for (String k : keys) {
                if (!String.valueOf(mine.get(k)).equals(String.valueOf(theirs.get(k)))) throw new IOException(
                        "%s: a model of another configuration: %s: expected %s, got %s"
                                .formatted(file, k, mine.get(k), theirs.get(k)));
            }
            copyTensors(file, contents, model);
        }
    }

    /**
     * The metadata is untrusted: each tensor it declares must be in the file with that shape, checked before the
     * model allocates anything (otherwise {@code mlp.hidden} 40000,40000,40000 allocated tens of GB of weights
     * off-heap, beyond -Xmx, before the first comparison). The file's tensors are already bounded by its length.
     */
    private static void requireDeclaredInFile(Path file, Map<String, String> config,
                                              List<ParameterStore.Parameter> declared, Safetensors.Contents contents)
            throws IOException {
        for (ParameterStore.Parameter p : declared) {
            Tensor t = contents.tensors().get(p.name());
            if (t != null && t.shape().equals(p.shape())) continue;
            throw new IOException("%s: the metadata (%s) declares tensor '%s' of shape %s, but the file holds %s"
                    .formatted(file, sizeKeys(config, p.name()), p.name(), p.shape(),
                            t == null ? "no such tensor; present: " + contents.tensors().keySet() : t.shape()));
        }
    }

    /** The metadata entries that size the tensor {@code name}: those of its part (mlp.*, encoding.*). */
    private static String sizeKeys(Map<String, String> config, String name) {
        String part = name.substring(0, Math.max(0, name.indexOf('.')));
        List<String> keys = new ArrayList<>();
        for (var e : config.entrySet()) {
            String k = e.getKey();
            boolean ofPart = k.startsWith(part + ".") && e.getValue().matches("[0-9,]+");
            if (ofPart) keys.add(k + " = " + e.getValue());
        }
        return keys.isEmpty() ? "configuration" : String.join(", ", keys);
    }

    private static void copyTensors(Path file, Safetensors.Contents contents, CoordinateModel model)
            throws IOException {
        Set<String> extra = new LinkedHashSet<>(contents.tensors().keySet());
        for (ParameterStore.Parameter p : model.store().all()) {
            Tensor t = contents.tensors().get(p.name());
            if (t == null) throw new IOException("%s: tensor '%s': expected %s, got none; present: %s"
                    .formatted(file, p.name(), p.shape(), contents.tensors().keySet()));
            if (!t.shape().equals(p.shape())) throw new IOException("%s: tensor '%s': expected shape %s, got %s"
                    .formatted(file, p.name(), p.shape(), t.shape()));
            extra.remove(p.name());
        }
        if (!extra.isEmpty()) throw new IOException("%s: tensors the model does not have: %s".formatted(file, extra));
        for (ParameterStore.Parameter p : model.store().all()) p.value().copyFrom(contents.tensors().get(p.name()));
    }
}
