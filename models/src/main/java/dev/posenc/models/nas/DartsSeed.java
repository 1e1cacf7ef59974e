package dev.posenc.models.nas;

import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.optim.Adam;
import dev.posenc.models.report.ProgressBar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One seed of {@code nas darts}: search the supernet, select an architecture by α and by perturbation
 * (DARTS-PT, Wang et al. 2021, {@code pt_project} with {@code proj_crit=acc}, {@code edge_decision=random}), and
 * retrain both discrete networks from scratch with the same budget.
 * <pre>
 *   α selection:   op(e) = argmax_{o ≠ none} α_e,o
 *   PT selection:  for edges in random order: op(e) = argmin_o acc_val(supernet with o removed from e);
 *                  project e to one-hot(op(e)); fine-tune weights and the remaining α for tuneEpochs
 * </pre>
 */
public final class DartsSeed {
    private DartsSeed() {}

    /** One selection's outcome. */
    record Row(long seed, String selection, NasOp[] architecture, double supernetValAcc, double retrainTestAcc,
               int skipCount, double seconds) {
        String architectureText() { return String.join("|", Arrays.stream(architecture).map(o -> o.label).toList()); }
    }

    /** α's softmax per edge after a search epoch, and what α would select then. */
    record AlphaPoint(long seed, int epoch, double[][] softmax, NasOp[] selection) {}

    /** The PT accuracies of one projection: edge, accuracy with each candidate removed, the chosen one. */
    record Projection(long seed, int edge, double[] accuracyWithout, NasOp chosen) {}

    /**
     * One seed's rows, α trace and projections; {@code jitSeconds} is the JIT's compilation time during the seed (NaN
     * where the JVM does not report it): the first seed of a run carries the warm-up, so its {@code seconds} are not
     * comparable with later seeds'.
     */
    public record Result(List<Row> rows, List<AlphaPoint> alphaTrace, List<Projection> projections, double jitSeconds) {}

    static Result run(Backend backend, DartsSettings s, List<NasOp> candidates, long seed, FashionMnist.Data trainSet,
                      FashionMnist.Data testSet, boolean checkFinite, ProgressBar bar) {
        Batches train = new Batches(trainSet, 0, s.train()), val = new Batches(trainSet, s.train(), s.val());
        Batches all = new Batches(trainSet, 0, s.train() + s.val()), test = new Batches(testSet, 0, s.test());
        Rng rng = new Rng(seed);
        List<AlphaPoint> trace = new ArrayList<>();
        List<Projection> projections = new ArrayList<>();
        int k = candidates.size(), steps = train.batchesPerPass(s.batch());
        double jit0 = jitSeconds();
        try (NasTrainer trainer = new NasTrainer(backend, s.batch(), checkFinite);
             CellNet supernet = new CellNet(candidates, null, s.channels(), seed);
             ArchWeights arch = new ArchWeights(CellNet.EDGES, k, seed + 1);
             Adam archAdam = new Adam(arch.store(), NasTrainer.archConfig(s.archLr()))) {
            long t0 = System.nanoTime();
            MomentumSgd sgd = MomentumSgd.darts(supernet.store());
            NasTrainer.Cosine lr = new NasTrainer.Cosine(s.lr(), s.lrMin(), s.searchEpochs() * steps);
            bar.start("search " + seed, s.searchEpochs() * steps, ProgressBar.Metric.NONE);
            for (int ep = 0; ep < s.searchEpochs(); ep++) {
                int offset = ep * steps;
                trainer.epoch(supernet, sgd, lr, offset, train, arch, archAdam, val, rng, (d, l) -> bar.update(offset + d, l, Double.NaN));
                trace.add(alphaPoint(seed, ep + 1, arch, candidates));
            }
            NasOp[] byAlpha = trace.getLast().selection();
            double alphaVal = trainer.accuracy(supernet, arch, val, -1, -1);
            double searchSeconds = (System.nanoTime() - t0) / 1e9;
            bar.finish("search %d: supernet val acc %.2f %%, α selects %s (%.0f s)".formatted(seed, 100 * alphaVal,
                    text(byAlpha), searchSeconds));

            long t1 = System.nanoTime();
            sgd.reset();   // DARTS-PT: a fresh weight optimiser at lr/10 for the projection phase
            NasTrainer.Cosine tune = new NasTrainer.Cosine(s.lr() / 10, s.lrMin(), Math.max(1, CellNet.EDGES * s.tuneEpochs() * steps));
            List<Integer> order = new ArrayList<>();
            for (int e = 0; e < CellNet.EDGES; e++) order.add(e);
            java.util.Collections.shuffle(order, new java.util.Random(seed));
            bar.start("project " + seed, CellNet.EDGES * (k + s.tuneEpochs() * steps), ProgressBar.Metric.NONE);
            int done = 0, tuned = 0;
            for (int e : order) {
                double[] acc = new double[k];
                int best = 0;
                for (int o = 0; o < k; o++) {
                    acc[o] = trainer.accuracy(supernet, arch, val, e, o);
                    if (acc[o] < acc[best]) best = o;
                    bar.advance(++done);
                }
                arch.project(e, best);
                projections.add(new Projection(seed, e, acc, candidates.get(best)));
                for (int ep = 0; ep < s.tuneEpochs(); ep++) {
                    int offset = tuned * steps, base = done;
                    trainer.epoch(supernet, sgd, tune, offset, train, arch, archAdam, val, rng, (d, l) -> bar.update(base + d, l, Double.NaN));
                    tuned++;
                    done += steps;
                }
            }
            NasOp[] byPt = new NasOp[CellNet.EDGES];
            for (int e = 0; e < CellNet.EDGES; e++) byPt[e] = candidates.get(arch.projected(e));
            double ptVal = trainer.accuracy(supernet, arch, val, -1, -1);
            double ptSeconds = (System.nanoTime() - t1) / 1e9;
            bar.finish("project %d: projected supernet val acc %.2f %%, perturbation selects %s (%.0f s)".formatted(seed,
                    100 * ptVal, text(byPt), ptSeconds));

            List<Row> rows = new ArrayList<>();
            rows.add(retrain(trainer, s, candidates, seed, "alpha", byAlpha, alphaVal, searchSeconds, all, test, rng, bar));
            rows.add(retrain(trainer, s, candidates, seed, "perturbation", byPt, ptVal, searchSeconds + ptSeconds, all, test, rng, bar));
            return new Result(rows, trace, projections, jitSeconds() - jit0);
        }
    }

    /** The JIT's total compilation time so far (all compiler threads), or NaN where the JVM does not report it. */
    static double jitSeconds() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() / 1e3 : Double.NaN;
    }

    /** Trains the discrete network from scratch on train + val with DARTS's schedule (lr → 0), then tests it. */
    private static Row retrain(NasTrainer trainer, DartsSettings s, List<NasOp> candidates, long seed, String selection,
                               NasOp[] ops, double supernetVal, double earlierSeconds, Batches all, Batches test, Rng rng,
                               ProgressBar bar) {
        long t0 = System.nanoTime();
        int steps = all.batchesPerPass(s.batch());
        try (CellNet net = new CellNet(candidates, ops, s.channels(), seed + 2)) {
            MomentumSgd sgd = MomentumSgd.darts(net.store());
            NasTrainer.Cosine lr = new NasTrainer.Cosine(s.lr(), 0f, s.retrainEpochs() * steps);
            bar.start("retrain " + selection, s.retrainEpochs() * steps, ProgressBar.Metric.NONE);
            for (int ep = 0; ep < s.retrainEpochs(); ep++) {
                int offset = ep * steps;
                trainer.epoch(net, sgd, lr, offset, all, null, null, null, rng, (d, l) -> bar.update(offset + d, l, Double.NaN));
            }
            double acc = trainer.accuracy(net, null, test, -1, -1);
            double seconds = earlierSeconds + (System.nanoTime() - t0) / 1e9;
            int skips = (int) Arrays.stream(ops).filter(o -> o == NasOp.SKIP).count();
            Row row = new Row(seed, selection, ops, supernetVal, acc, skips, seconds);
            bar.finish("seed %d %-12s %s  supernet val %.2f %%  retrain test %.2f %%  skips %d  %.0f s".formatted(seed, selection,
                    row.architectureText(), 100 * supernetVal, 100 * acc, skips, seconds));
            return row;
        }
    }

    private static AlphaPoint alphaPoint(long seed, int epoch, ArchWeights arch, List<NasOp> candidates) {
        double[][] p = new double[arch.edges()][];
        NasOp[] sel = new NasOp[arch.edges()];
        for (int e = 0; e < arch.edges(); e++) {
            p[e] = arch.softmax(e);
            int best = -1;
            for (int o = 0; o < p[e].length; o++) {
                if (candidates.get(o) == NasOp.NONE) continue;
                if (best < 0 || p[e][o] > p[e][best]) best = o;
            }
            sel[e] = candidates.get(best);
        }
        return new AlphaPoint(seed, epoch, p, sel);
    }

    static String text(NasOp[] ops) { return String.join("|", Arrays.stream(ops).map(o -> o.label).toList()); }
}
