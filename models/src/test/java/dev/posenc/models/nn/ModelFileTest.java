package dev.posenc.models.nn;

import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.RgbImage;
import dev.posenc.core.io.Safetensors;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.train.FitConfig;
import dev.posenc.models.train.FitResult;
import dev.posenc.models.train.ImageFit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Save → load → render gives the same image; foreign, mismatched and corrupt files are refused clearly. */
class ModelFileTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    static final EncodingParams PARAMS = EncodingParams.defaults(2).toBuilder()
            .gaussianFeatures(16).perAxis(6).scale(3).fourierDims(12).hidden(8).outputDims(12).build();
    static final int[] HIDDEN = {9, 7};

    @Test
    void everyEncodingRoundTripsAndRendersTheSame(@TempDir Path dir) throws IOException {
        for (String name : Encodings.CONTINUOUS_NAMES) {
            Path file = dir.resolve(name + ".safetensors");
            try (CoordinateModel model = CoordinateModel.create(name, PARAMS, HIDDEN, new Rng(8))) {
                ModelFile.save(file, model);
                try (CoordinateModel loaded = ModelFile.load(file)) {
                    assertEquals(model.config(), loaded.config());
                    for (ParameterStore.Parameter p : model.store().all()) {
                        Tensor back = loaded.store().get(p.name()).value();
                        assertArrayEquals(p.value().toArray(), back.toArray(), 0f, p.name());
                    }
                    assertEquals(model.render(backend, 9, 11), loaded.render(backend, 9, 11), name);
                }
            }
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary file left behind");
        }
    }

    @Test
    void aFileOfAnotherConfigurationIsRefusedByName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("g.safetensors");
        try (CoordinateModel gaussian = CoordinateModel.create("gaussian", PARAMS, HIDDEN, new Rng(1));
             CoordinateModel wider = CoordinateModel.create("gaussian", PARAMS.toBuilder().sigma(3).build(), HIDDEN,
                     new Rng(1))) {
            ModelFile.save(file, gaussian, Map.of("steps", "300", "test_psnr", "22.1"));
            var e = assertThrows(IOException.class, () -> ModelFile.loadInto(file, wider));
            assertTrue(e.getMessage().contains("encoding.sigma"), e.getMessage());
            ModelFile.loadInto(file, gaussian);  // the same configuration loads; notes are not configuration
            assertEquals(Map.of("steps", "300", "test_psnr", "22.1"), ModelFile.info(file));
            try (CoordinateModel loaded = ModelFile.load(file)) {
                assertEquals(gaussian.config(), loaded.config());
            }
        }
    }

    @Test
    void corruptForeignAndIncompleteFilesAreRefused(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("m.safetensors");
        Map<String, String> config;
        try (CoordinateModel model = CoordinateModel.create("basic", PARAMS, HIDDEN, new Rng(2))) {
            ModelFile.save(good, model);
            config = model.config();
        }
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("t.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThrows(IOException.class, () -> ModelFile.load(truncated));

        try (Arena arena = Arena.ofShared()) {
            var one = new LinkedHashMap<String, Tensor>();
            one.put("x", Tensor.zeros(arena, Shape.of(2)));
            Path foreign = dir.resolve("f.safetensors");
            Safetensors.write(foreign, one, Map.of("note", "not a model"));
            var e = assertThrows(IOException.class, () -> ModelFile.load(foreign));
            assertTrue(e.getMessage().contains("not a posenc coordinate model"), e.getMessage());

            Path missing = dir.resolve("x.safetensors");
            Safetensors.write(missing, one, config);
            var m = assertThrows(IOException.class, () -> ModelFile.load(missing));
            assertTrue(m.getMessage().contains("encoding.b"), m.getMessage());

            Map<String, String> odd = new LinkedHashMap<>(config);
            odd.put("encoding", "nerf");
            Path unknown = dir.resolve("u.safetensors");
            Safetensors.write(unknown, one, odd);
            var u = assertThrows(IOException.class, () -> ModelFile.load(unknown));
            assertTrue(u.getMessage().contains("nerf"), u.getMessage());
        }
    }

    /**
     * Leaves trained models and posenc's renders in target/pytorch-check for the PyTorch cross-check, which
     * runs outside the Java suite: /usr/bin/python3 models/src/test/python/check_pytorch_render.py
     * models/target/pytorch-check. Here it only checks that the files were written.
     */
    @Test
    void writesTrainedModelsAndRendersForThePyTorchCheck() throws IOException {
        Path dir = Path.of("target", "pytorch-check");
        Files.createDirectories(dir);
        FitConfig cfg = FitConfig.defaults().withSize(32).withSteps(3).withLff(32, 16, 16, 1)
                .withSigma(3).withScale(3);
        RgbImage img = gradient(32);
        for (String name : List.of("none", "basic", "positional", "gaussian", "lff", "lff-only", "mlp", "sine2d")) {
            try (FitResult r = ImageFit.fit(backend, img, name, cfg, ImageFit.Progress.NONE)) {
                ModelFile.save(dir.resolve(name + ".safetensors"), r.model());
                RgbImage render = r.model().render(backend, 64, 64);
                ByteBuffer buf = ByteBuffer.allocate(render.pixels().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : render.pixels()) buf.putFloat(v);
                Files.write(dir.resolve(name + ".render64.f32"), buf.array());
                assertEquals(64L * 64 * 3 * 4, Files.size(dir.resolve(name + ".render64.f32")));
            }
        }
    }

    static RgbImage gradient(int size) {
        float[] p = new float[size * size * 3];
        for (int i = 0; i < size * size; i++) {
            int r = i / size, c = i % size;
            p[3 * i] = (float) c / size;
            p[3 * i + 1] = (float) r / size;
            p[3 * i + 2] = (float) (0.5 + 0.5 * Math.sin(0.4 * (r + c)));
        }
        return new RgbImage(size, size, p);
    }
}
