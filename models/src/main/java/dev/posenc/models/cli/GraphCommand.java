package dev.posenc.models.cli;

import dev.posenc.core.graph.EdgeLists;
import dev.posenc.core.graph.Graph;
import dev.posenc.models.graph.Anchors;
import dev.posenc.models.graph.GraphModel;
import dev.posenc.models.graph.GraphReport;
import dev.posenc.models.graph.PairTask;
import dev.posenc.models.graph.PairTrainer;
import dev.posenc.models.report.ProgressBar;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code posenc graph}: position-aware GNNs (GIR, Lu et al. 2021; the P-GNN benchmarks) on pair tasks: link
 * prediction on a 20 × 20 grid and on connected-caveman communities, same-community classification of node pairs,
 * and link prediction on an edge-list file. Writes results.csv, results.md and auc.png into {@code --out}.
 */
@Command(name = "graph", sortOptions = false,
        description = "Train GCN, GIN, their anchor-indicated versions, GIR and GCN+GIR on position-aware pair tasks.")
final class GraphCommand implements BackendCommand {
    static final List<String> TASKS = List.of("grid-link", "communities-link", "communities-pairs", "file-link");

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--task", split = ",", paramLabel = "LIST",
            description = "grid-link, communities-link, communities-pairs, file-link (needs --graph) "
                    + "(default: grid-link).")
    private List<String> tasks = List.of("grid-link");

    @Option(names = "--models", split = ",", paramLabel = "LIST",
            description = "gcn, gin, gcn-anchor, gin-anchor, gir, gcn+gir (default: all).")
    private List<String> models = GraphModel.DEFAULT.stream().map(GraphModel::label).toList();

    @Option(names = "--seeds", split = ",", paramLabel = "LIST",
            description = "Seeds: each draws the split, negatives, anchors and weights (default: 0,1,2).")
    private List<Long> seeds = List.of(0L, 1L, 2L);

    @Option(names = "--graph", paramLabel = "FILE",
            description = "file-link: an edge list, one \"u v\" per line ('#' comments; self-loops and repeated edges "
                    + "are dropped and reported), read as undirected.")
    private Path graphFile;

    @Option(names = "--nodes", defaultValue = "0", paramLabel = "N",
            description = "file-link: the node count; ids must lie in [0, N). 0: relabel the ids that occur "
                    + "(default: ${DEFAULT-VALUE}).")
    private int nodes;

    @Option(names = "--epochs", defaultValue = "200", description = "Full-batch epochs per run (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--lr", defaultValue = "0.01", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    private double lr;

    @Option(names = "--anchors", defaultValue = "0", paramLabel = "K",
            description = "Anchors for the anchor models and GIR, 1 to N; 0: round(log2(N)^2), 75 for N = 400 "
                    + "(default: ${DEFAULT-VALUE}).")
    private int anchors;

    @Option(names = "--depth", defaultValue = "3", description = "Message-passing layers (default: ${DEFAULT-VALUE}).")
    private int depth;

    @Option(names = "--hidden", defaultValue = "32", description = "GCN/GIN width and embedding size (default: ${DEFAULT-VALUE}).")
    private int hidden;

    @Option(names = "--gir-width", defaultValue = "16", paramLabel = "D",
            description = "GIR's state per node and anchor (default: ${DEFAULT-VALUE}).")
    private int girWidth;

    @Option(names = "--eval-every", defaultValue = "10", paramLabel = "N",
            description = "Measure validation and test AUC every N epochs (default: ${DEFAULT-VALUE}).")
    private int evalEvery;

    @Option(names = "--out", defaultValue = "out/graph", paramLabel = "DIR",
            description = "Folder for results.csv, results.md and auc.png (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Override public int run(RunContext context) throws Exception {
        OptionChecks.atLeastOne("--task", tasks, TASKS);
        if (models.isEmpty()) throw new IllegalArgumentException("--models: expected at least one, got none");
        List<GraphModel> kinds = models.stream().map(GraphModel::of).toList();
        if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds: expected at least one, got none");
        OptionChecks.inRange("--epochs", epochs, 1, OptionChecks.MAX_COUNT);
        OptionChecks.inRange("--eval-every", evalEvery, 1, OptionChecks.MAX_COUNT);
        OptionChecks.inRange("--depth", depth, 1, 64);
        OptionChecks.inRange("--hidden", hidden, 1, OptionChecks.MAX_WIDTH);
        OptionChecks.inRange("--gir-width", girWidth, 1, OptionChecks.MAX_WIDTH);
        OptionChecks.inRange("--nodes", nodes, 0, OptionChecks.MAX_COUNT);
        OptionChecks.inRange("--anchors", anchors, 0, OptionChecks.MAX_COUNT);
        OptionChecks.positive("--lr", lr);
        boolean fileTask = tasks.contains("file-link");
        if (fileTask && graphFile == null) throw new IllegalArgumentException("--graph: expected an edge-list FILE for --task file-link, got none");
        if (!fileTask && graphFile != null) throw new IllegalArgumentException("--graph: only read by --task file-link, got --task " + String.join(",", tasks));
        PrintStream ps = Streams.of(context.out());
        Graph fileGraph = null;
        if (fileTask) {
            if (!Files.isRegularFile(graphFile)) throw new IllegalArgumentException("--graph: expected a readable file, got " + graphFile);
            EdgeLists.Parsed parsed = EdgeLists.read(graphFile, false, nodes);
            fileGraph = parsed.graph();
            ps.println("graph: read %s: %s; %s".formatted(graphFile, fileGraph, parsed.describe()));
        }
        // Every task is built for the first seed before any training, so that a bad input stops the run at once.
        for (String task : tasks) {
            PairTask t = task(task, seeds.getFirst(), fileGraph);
            if (anchors > 0 && kinds.stream().anyMatch(GraphModel::usesAnchors)) Anchors.draw(t.graph().nodes(), anchors, 0);
        }
        PairTrainer.Config config = new PairTrainer.Config(epochs, lr, evalEvery, anchors,
                new GraphModel.Sizes(hidden, hidden, depth, girWidth));
        ps.println("graph: tasks %s; models %s; seeds %s; %d epochs; %s".formatted(tasks,
                kinds.stream().map(GraphModel::label).toList(), seeds, epochs, context.backend().describe()));
        Files.createDirectories(out);
        List<PairTrainer.Result> results = new ArrayList<>();
        ProgressBar bar = new ProgressBar(ps, ProgressBar.stdoutIsTerminal());
        for (String task : tasks) {
            for (long seed : seeds) {
                PairTask t = task(task, seed, fileGraph);
                for (GraphModel kind : kinds) {
                    bar.start(task + " " + kind.label() + " s" + seed, epochs, ProgressBar.Metric.NONE);
                    PairTrainer.Result r = PairTrainer.train(context.backend(), t, kind, config, seed,
                            (epoch, loss, val) -> bar.update(epoch, loss, val));
                    bar.finish(GraphReport.summary(r));
                    results.add(r);
                }
            }
        }
        SequencedMap<String, String> settings = new LinkedHashMap<>();
        settings.put("tasks", "grid-link: 20×20 grid; communities: 20 connected-caveman cliques of 20, 1 % of edges "
                + "rewired (P-GNN); link: 10 % of edges for validation, 10 % for test, as many negatives; pairs: "
                + "same community or not, 80/10/10" + (fileGraph == null ? "" : "; file-link: " + graphFile + ", " + fileGraph));
        settings.put("models", "%d layers, width %d; anchors %s; GIR per-anchor width %d; node input the constant 1"
                .formatted(depth, hidden, anchors == 0 ? "round(log2(N)^2)" : anchors, girWidth));
        settings.put("training", "full batch, %d epochs, Adam lr %s, BCE on z_u·z_v, fresh negatives each epoch; "
                .formatted(epochs, lr) + "test AUC at the best validation AUC (checked every %d epochs)".formatted(evalEvery));
        settings.put("seeds", seeds.toString());
        settings.put("backend", context.backend().describe());
        GraphReport.write(out, results, settings);
        ps.print(GraphReport.markdown(results, settings));
        ps.println("wrote " + out.resolve("results.md") + ", results.csv, auc.png");
        ps.flush();
        return 0;
    }

    private static PairTask task(String name, long seed, Graph fileGraph) {
        return switch (name) {
            case "grid-link" -> PairTask.gridLink(seed);
            case "communities-link" -> PairTask.communitiesLink(seed);
            case "communities-pairs" -> PairTask.communityPairs(seed);
            case "file-link" -> PairTask.link("file-link", fileGraph, seed);
            default -> throw new IllegalArgumentException("--task: expected one of %s, got %s".formatted(TASKS, name));
        };
    }
}
