package dev.posenc.models.examples;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.AdamConfig;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.encodings.EncodingParams;
import dev.posenc.models.encodings.LffAmplitude;
import dev.posenc.models.nn.CoordinateModel;
import dev.posenc.models.nn.ModelFile;
import dev.posenc.models.optim.Adam;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * The README's "Using posenc from Java" program: train an LFF encoder plus a small MLP on your own positions
 * (N, 2) and targets (N, 3) in (0, 1), save it as safetensors, load it back and predict. {@code FitYourOwnDataTest}
 * runs it, so it cannot rot. Run with {@code --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED}.
 */
public final class FitYourOwnData {
    private FitYourOwnData() {}

    public static void main(String[] args) throws IOException {
        try (Backend backend = new CpuBackend()) {
            Result r = run(backend, Path.of(args.length > 0 ? args[0] : "my-lff.safetensors"), 300);
            System.out.printf("mse: %.5f before training, %.5f after, %.5f after loading%n", r.before(), r.after(), r.loaded());
        }
    }

    /** The mean squared errors before and after training, and of the model loaded back from {@code file}. */
    public record Result(double before, double after, double loaded) {}

    public static Result run(Backend backend, Path file, int steps) throws IOException {
        int n = 400;
        try (Arena data = Arena.ofShared()) {
            // Your data goes here: positions (n, 2) and targets (n, 3) in (0, 1). This example: three waves.
            Tensor positions = new Rng(1).uniform(data, Shape.of(n, 2), 0f, 1f);
            Tensor targets = Tensor.zeros(data, Shape.of(n, 3));
            for (int i = 0; i < n; i++) {
                double x = positions.get(i, 0), y = positions.get(i, 1);
                targets.set(i, 0, (float) (0.5 + 0.4 * Math.sin(2 * Math.PI * 3 * x)));
                targets.set(i, 1, (float) (0.5 + 0.4 * Math.cos(2 * Math.PI * 2 * y)));
                targets.set(i, 2, (float) (0.5 + 0.4 * Math.sin(2 * Math.PI * (x + y))));
            }
            // LFF (Li et al. 2021): |F| 64 Fourier features of frequencies ~ N(0, γ⁻²), then an MLP 32 → D 64;
            // then two hidden layers of 64 and a sigmoid output of 3.
            EncodingParams lff = EncodingParams.defaults(2).toBuilder().fourierDims(64).hidden(32).outputDims(64)
                    .gamma(1 / (2 * Math.PI * 5)).lffAmplitude(LffAmplitude.UNIT).build();
            Tensor out = Tensor.zeros(data, Shape.of(n, 3));
            double before, after;
            try (CoordinateModel model = CoordinateModel.create("lff", lff, new int[] {64, 64}, new Rng(0));
                 Adam adam = new Adam(model.store(), AdamConfig.adam(3e-3f));
                 Tape tape = new Tape(backend)) {
                model.predict(backend, positions, out, n);
                before = backend.mse(out, targets);
                for (int step = 0; step < steps; step++) {
                    tape.reset();                       // one tape for the loop: its memory is reused each step
                    model.store().zeroGrad();           // the tape adds into parameter gradients: start at 0
                    Var pred = model.forward(tape, tape.constant(positions));
                    tape.backward(Losses.mse(tape, pred, tape.constant(targets)));
                    adam.step(backend);
                }
                model.predict(backend, positions, out, n);
                after = backend.mse(out, targets);
                ModelFile.save(file, model);            // safetensors, with the model's configuration in its header
            }
            try (CoordinateModel loaded = ModelFile.load(file)) {
                loaded.predict(backend, positions, out, n);
                return new Result(before, after, backend.mse(out, targets));
            }
        }
    }
}
