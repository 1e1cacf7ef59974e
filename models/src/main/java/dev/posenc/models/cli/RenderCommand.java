package dev.posenc.models.cli;

import dev.posenc.core.io.Png;
import dev.posenc.core.io.RgbImage;
import dev.posenc.models.nn.CoordinateModel;
import dev.posenc.models.nn.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code posenc render}: evaluates a saved coordinate network on a grid of any size. The network is a
 * continuous function of (x, y) ∈ [0, 1)², so a model fitted at 128×128 renders at 1024×1024 (super-resolution
 * is what a coordinate network is for; how much real detail appears depends on the encoding).
 */
@Command(name = "render", description = "Render a model saved by 'fit-image --save' at any resolution.")
final class RenderCommand implements BackendCommand {
    /** 16384² RGB floats are 3 GiB: beyond that a request is a typo, not a wish. */
    static final int MAX_SIZE = 16384;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A .safetensors file written by fit-image --save.")
    private Path model;

    @Option(names = "--size", paramLabel = "S", defaultValue = "1024", description = "Output side in pixels (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--out", paramLabel = "FILE", description = "PNG to write (default: MODEL with .png, size in the name).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws Exception {
        OptionChecks.inRange("--size", size, 1, MAX_SIZE);
        if (!Files.isRegularFile(model)) throw new IllegalArgumentException(
                "MODEL: expected a .safetensors file written by fit-image --save, got '%s': no such file".formatted(model));
        Path target = out != null ? out : defaultOut(model, size);
        try (CoordinateModel m = ModelFile.load(model)) {
            String bad = m.store().firstNonFinite(context.backend());
            if (bad != null) throw new IllegalArgumentException(("MODEL %s: %s; a model with NaN or Inf weights "
                    + "draws nothing (saved from a diverged run, or damaged)").formatted(model, bad));
            RgbImage image = m.render(context.backend(), size, size, context.checkFinite());
            for (int i = 0; i < image.pixels().length; i++) {
                float v = image.pixels()[i];
                if (!Float.isFinite(v)) throw new IllegalArgumentException(
                        "MODEL %s: its output is %s (first at pixel %d); nothing written".formatted(model,
                                Float.isNaN(v) ? "NaN" : "Inf", i / RgbImage.CHANNELS));
            }
            Png.write(target, image);
            context.out().printf("rendered %s (%s) at %d×%d to %s%n", model, m.encoding().name(), size, size, target);
        }
        return 0;
    }

    static Path defaultOut(Path model, int size) {
        String name = model.getFileName().toString().replaceFirst("\\.safetensors$", "");
        return model.resolveSibling(name + "-" + size + ".png");
    }
}
