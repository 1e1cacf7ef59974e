package dev.posenc.models.vit;

import dev.posenc.core.Backend;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.data.FashionMnist;
import dev.posenc.models.data.TinyFashion;
import dev.posenc.models.nn.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Training on a tiny generated slice: learning, data order, checkpoints and bit-exact resume. */
class VitTrainerTest {
    private static Backend backend;
    private static Arena arena;
    private static FashionMnist.Data train, test;
    @TempDir static Path data;
    @TempDir Path out;

    @BeforeAll static void open() throws IOException {
        backend = new CpuBackend(2);
        arena = Arena.ofShared();
        TinyFashion.write(data, 96, 40, 12, 7);
        train = FashionMnist.load(data, FashionMnist.Split.TRAIN, 1000, arena);
        test = FashionMnist.load(data, FashionMnist.Split.TEST, 1000, arena);
    }

    @AfterAll static void close() {
        backend.close();
        arena.close();
    }

    private static final VitTrainer.Progress NONE = VitTrainer.Progress.NONE;

    static VitConfig tiny(String pe) {
        return VitTest.small(pe).withBatch(16).withLimits(96, 40).withEvalEvery(4);
    }

    @Test
    void lossFallsAndTheBarsAreLearnt() throws IOException {
        double[] losses = new double[48];   // 8 epochs × 96/16 steps
        VitTrainer.Result r = VitTrainer.train(backend, tiny("lff"), 8, train, test, null, null,
                (step, loss, acc) -> losses[step - 1] = loss);
        try (var _ = r.model()) {
            assertEquals(48, r.steps());
            double early = Arrays.stream(losses, 0, 6).average().orElseThrow();
            double late = Arrays.stream(losses, 42, 48).average().orElseThrow();
            assertTrue(late < 0.85 * early, "mean loss of the first and last epoch: %s -> %s".formatted(early, late));
            assertTrue(r.testAccuracy() > 0.3, "accuracy " + r.testAccuracy() + " (chance 0.1)");
            assertEquals(48, r.curve().getLast().step());
            // evaluations every 4 steps and at each epoch's end (6 steps): each point's training loss is the mean
            // over the batches since the previous point
            assertEquals(List.of(4, 6, 8, 12), r.curve().subList(0, 4).stream().map(CurvePoint::step).toList());
            int previous = 0;
            for (CurvePoint p : r.curve()) {
                assertEquals(Arrays.stream(losses, previous, p.step()).average().orElseThrow(), p.trainLoss(), 1e-6,
                        "step " + p.step());
                previous = p.step();
            }
        }
    }

    @Test
    void resumingFromAnEpochCheckpointGivesTheUninterruptedParameters() throws IOException {
        Path straight = out.resolve("straight.safetensors"), half = out.resolve("half.safetensors");
        VitTrainer.Result full = VitTrainer.train(backend, tiny("lff"), 2, train, test, straight, null, NONE);
        VitTrainer.Result first = VitTrainer.train(backend, tiny("lff"), 1, train, test, half, null, NONE);
        first.model().close();
        VitTrainer.Result resumed = VitTrainer.train(backend, tiny("lff"), 2, train, test, null, half, NONE);
        try (var a = full.model(); var b = resumed.model()) {
            assertEquals(full.steps(), resumed.steps());
            assertEquals(6, resumed.stepsThisRun());
            // Bit for bit: the resumed half ran in other JIT tiers than the uninterrupted run's second half, and
            // every kernel gives the same bits in every tier (Exp for exp, Lanes.sum for lane sums). That holds even
            // for the key biases, whose gradient is pure rounding noise (softmax ignores the per-row shift q·b) that
            // Adam turns into lr-sized steps: the noise is the same noise.
            for (ParameterStore.Parameter p : a.store().all()) {
                assertArrayEquals(p.value().toArray(), b.store().get(p.name()).value().toArray(), p.name());
            }
            assertEquals(full.testAccuracy(), resumed.testAccuracy());
            assertEquals(full.curve().size(), resumed.curve().size());
            for (int i = 0; i < full.curve().size(); i++) {
                assertEquals(full.curve().get(i).step(), resumed.curve().get(i).step());
                assertEquals(full.curve().get(i), resumed.curve().get(i), "curve point " + i);
            }
        }
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsRefusedNamingTheDifference() throws IOException {
        Path ckpt = out.resolve("lff.safetensors");
        VitTrainer.train(backend, tiny("lff"), 1, train, test, ckpt, null, VitTrainer.Progress.NONE).model().close();
        var e = assertThrows(IllegalArgumentException.class, () -> VitTrainer.train(backend, tiny("sine2d").withSeed(3),
                2, train, test, null, ckpt, VitTrainer.Progress.NONE));
        assertTrue(e.getMessage().contains("encoding: checkpoint lff, this run sine2d")
                && e.getMessage().contains("seed: checkpoint 0, this run 3"), e.getMessage());
    }

    @Test
    void theDataOrderIsASeededPermutationThatChangesEveryEpoch() {
        int[] e0 = VitTrainer.order(5, 0, 50), e1 = VitTrainer.order(5, 1, 50);
        assertArrayEquals(e0, VitTrainer.order(5, 0, 50));
        assertFalse(Arrays.equals(e0, e1));
        assertFalse(Arrays.equals(e0, VitTrainer.order(6, 0, 50)));
        int[] sorted = e1.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
    }

    @Test
    void aBatchLargerThanTheTrainingSetIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> VitTrainer.train(backend,
                tiny("lff").withBatch(200), 1, train, test, null, null, VitTrainer.Progress.NONE));
        assertEquals("vit: batch: expected at most the 96 training images, got 200", e.getMessage());
    }
}
