package dev.posenc.models.cli;

import dev.posenc.models.encodings.Encodings;
import dev.posenc.models.images.BuiltinImages;
import dev.posenc.models.nas.EncodingReport;
import dev.posenc.models.nas.EncodingSearch;
import dev.posenc.models.report.ProgressBar;
import dev.posenc.models.train.FitConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code posenc nas encoding}: a supernet whose positional encoding is a DARTS mixture of candidates; α selection
 * against perturbation selection against the ground truth of training each candidate alone
 * ({@link EncodingSearch}). Only the fit-image task exists so far.
 */
@Command(name = "encoding", sortOptions = false,
        description = {"Choose a positional encoding by DARTS: α against perturbation (DARTS-PT) against fit-image's",
                "ground truth of training each candidate alone. Writes results.csv, candidates.csv, results.md, alpha.png."})
final class NasEncodingCommand implements BackendCommand {
    static final List<String> FIT_IMAGE_DEFAULT = List.of("none", "basic", "positional", "gaussian", "lff");

    @Option(names = "--task", defaultValue = "fit-image", paramLabel = "fit-image",
            description = "The task: fit-image (the astronaut; the ViT task is not implemented yet) (default: ${DEFAULT-VALUE}).")
    private String task;

    @Option(names = "--encodings", split = ",", paramLabel = "LIST",
            description = "Candidate encodings (default: none,basic,positional,gaussian,lff).")
    private List<String> encodings = FIT_IMAGE_DEFAULT;

    @Option(names = "--size", defaultValue = "64", paramLabel = "S", description = "Image side (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--steps", defaultValue = "200", paramLabel = "N",
            description = "Steps of each ground-truth fit and of the supernet (default: ${DEFAULT-VALUE}).")
    private int steps;

    @Option(names = "--seeds", split = ",", defaultValue = "0,1,2", paramLabel = "LIST", description = "Seeds (default: ${DEFAULT-VALUE}).")
    private List<Long> seeds;

    @Option(names = "--lr", defaultValue = "1e-3", description = "The supernet weights' Adam learning rate (default: ${DEFAULT-VALUE}).")
    private float lr;

    @Option(names = "--arch-lr", defaultValue = "3e-3", description = "α's Adam learning rate (default: ${DEFAULT-VALUE}).")
    private float archLr;

    @Option(names = "--out", defaultValue = "nas-encoding-out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public int run(RunContext context) throws Exception {
        if (task.equals("vit")) throw new IllegalArgumentException(
                "--task: the vit task is not implemented yet; expected fit-image, got 'vit'");
        if (!task.equals("fit-image")) throw new IllegalArgumentException("--task: expected fit-image (or vit, not implemented yet), got '%s'".formatted(task));
        if (encodings.isEmpty()) throw new IllegalArgumentException("--encodings: expected at least one of %s, got none".formatted(Encodings.CONTINUOUS_NAMES));
        List<String> names = new ArrayList<>();
        for (String e : encodings) {
            if (!Encodings.CONTINUOUS_NAMES.contains(e)) throw new IllegalArgumentException(
                    "--encodings: expected names from %s, got '%s'".formatted(String.join(",", Encodings.CONTINUOUS_NAMES), e));
            if (names.contains(e)) throw new IllegalArgumentException("--encodings: expected each encoding once, got '%s' twice".formatted(e));
            names.add(e);
        }
        if (names.size() < 2) throw new IllegalArgumentException("--encodings: expected at least two candidates to choose from, got " + names.size());
        if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds: expected at least one seed, got none");
        OptionChecks.evenInRange("--size", size, 8, 1024);
        OptionChecks.inRange("--steps", steps, 1, 1_000_000);
        OptionChecks.inRange("--lr", lr, 0, true, 10, "a learning rate");
        OptionChecks.inRange("--arch-lr", archLr, 0, true, 10, "a learning rate");
        FitConfig config = FitConfig.defaults().withSize(size).withSteps(steps).withSigma(FitConfig.sigmaFor(size))
                .withScale(FitConfig.scaleFor(size)).withGamma(FitConfig.gammaFor(FitConfig.sigmaFor(size)));
        PrintStream ps = Streams.of(context.out());
        PartialOutput reports = PartialOutput.open("--out", OutputFolders.prepare("--out", out), EncodingReport.FILES);
        SequencedMap<String, String> settings = new LinkedHashMap<>();
        settings.put("task", "fit-image on the astronaut at %d×%d, %d steps per fit and for the supernet".formatted(size, size, steps));
        settings.put("candidates", String.join(", ", names));
        settings.put("supernet", "a first layer per encoding, mixed by softmax(α), then fit-image's MLP; weights Adam %s, α Adam %s"
                .formatted(lr, archLr));
        settings.put("backend", context.backend().describe());
        ps.println("nas encoding: " + settings.get("task") + "; " + context.backend().describe());
        var image = BuiltinImages.load("astronaut", size, 0);
        ProgressBar bar = new ProgressBar(ps, ProgressBar.stdoutIsTerminal());
        List<EncodingSearch.Result> results = new ArrayList<>();
        for (long seed : seeds) {
            try {
                results.add(EncodingSearch.run(context.backend(), image, names, config, steps, lr, archLr, seed, context.checkFinite(), bar));
            } catch (RuntimeException e) {
                bar.abandon();
                throw e;
            }
            EncodingReport.write(reports.partial(), results, settings);
        }
        EncodingReport.write(out, results, settings);
        reports.finish();
        ps.print(EncodingReport.markdown(results, settings));
        ps.println("wrote " + out.resolve("results.md") + ", results.csv, candidates.csv, alpha.png");
        ps.flush();
        return 0;
    }
}
