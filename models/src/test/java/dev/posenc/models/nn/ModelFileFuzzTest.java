package dev.posenc.models.nn;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.posenc.core.Rng;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.Safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Fuzzes {@link ModelFile#load}'s metadata: a small saved model (each encoding in turn) whose configuration
 * entries are each kept or replaced by fuzzer strings, sizes among them ({@code mlp.hidden},
 * {@code encoding.position_dims}...). The invariant: load succeeds with exactly the file's tensors, or throws an
 * IOException naming the file; nothing else escapes, and since shapes are compared before the network is
 * built, nothing is allocated beyond the file's own tensors. Regression inputs: {@code src/test/resources/
 * dev/posenc/models/nn/ModelFileFuzzTestInputs/load}; fuzzing: README "Fuzzing".
 */
class ModelFileFuzzTest {
    static final List<String> ENCODINGS = List.of("none", "basic", "positional", "gaussian", "lff");

    private record Saved(SequencedMap<String, Tensor> tensors, Map<String, String> metadata) {}

    private static List<Saved> saved;
    private static Path file;
    private static Arena arena;

    private static synchronized void open() throws IOException {
        if (saved != null) return;
        file = Files.createTempFile("posenc-fuzz-", ".safetensors");
        file.toFile().deleteOnExit();
        arena = Arena.ofShared();
        List<Saved> all = new ArrayList<>();
        for (String encoding : ENCODINGS) {
            try (CoordinateModel model = CoordinateModel.create(encoding, ModelFileTest.PARAMS, ModelFileTest.HIDDEN,
                    new Rng(4))) {
                ModelFile.save(file, model);
            }
            Safetensors.Contents c = Safetensors.read(file, arena);
            all.add(new Saved(c.tensors(), c.metadata()));
        }
        saved = all;
    }

    @FuzzTest(maxDuration = "30s")
    void load(FuzzedDataProvider data) {
        Saved base;
        try {
            open();
            base = saved.get(data.consumeInt(0, saved.size() - 1));
            Map<String, String> meta = new LinkedHashMap<>();
            for (var e : base.metadata().entrySet()) {
                meta.put(e.getKey(), data.consumeBoolean() ? data.consumeString(24) : e.getValue());
            }
            if (data.consumeBoolean()) meta.put(data.consumeString(24), data.consumeString(24));
            Safetensors.write(file, base.tensors(), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("fuzz set-up", e);
        }
        try (CoordinateModel model = ModelFile.load(file)) {
            for (ParameterStore.Parameter p : model.store().all()) {
                Tensor t = base.tensors().get(p.name());
                if (t == null || !t.shape().equals(p.shape())) throw new AssertionError(
                        "loaded %s, which the file does not hold".formatted(p));
            }
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains(file.toString())) throw new AssertionError(
                    "the error must name the file: " + e.getMessage(), e);
        }
    }
}
