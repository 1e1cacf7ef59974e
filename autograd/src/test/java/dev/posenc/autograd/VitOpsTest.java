package dev.posenc.autograd;

import dev.posenc.autograd.ops.Attention;
import dev.posenc.autograd.ops.Concat;
import dev.posenc.autograd.ops.Embedding;
import dev.posenc.autograd.ops.Heads;
import dev.posenc.autograd.ops.Patchify;
import dev.posenc.autograd.ops.Slice;
import dev.posenc.core.Backend;
import dev.posenc.core.Compare;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.*;

/** The vision transformer's ops beyond their grad checks and fixtures: hand-worked layouts, routes, errors. */
class VitOpsTest {
    /** Fused vs materialised attention, both float32: different summation orders over T = 50 and d = 16 terms. */
    private static final double ROUTE_ATOL = 2e-6, ROUTE_RTOL = 1e-5;

    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    @Test
    void fusedAttentionAgreesWithTheMaterialisedRoute() {
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(41);
            Shape s = Shape.of(3, 2, 50, 16);  // the ViT's 7 × 7 patches and a class token, 2 heads
            Tensor q = rng.normal(arena, s), k = rng.normal(arena, s), v = rng.normal(arena, s),
                    seed = rng.normal(arena, s);
            float[][] fused = run(q, k, v, seed, true), materialised = run(q, k, v, seed, false);
            for (int i = 0; i < 4; i++) {
                Compare c = Compare.of(materialised[i], fused[i], ROUTE_ATOL, ROUTE_RTOL);
                assertTrue(c.ok(), () -> "output/dq/dk/dv " + c.describe());
            }
        }
    }

    /** out, dq, dk, dv of one route. */
    private static float[][] run(Tensor q, Tensor k, Tensor v, Tensor seed, boolean fused) {
        try (Tape tape = new Tape(backend)) {
            Var vq = tape.variable(q), vk = tape.variable(k), vv = tape.variable(v);
            Var out = fused ? Attention.apply(tape, vq, vk, vv) : Attention.materialized(tape, vq, vk, vv);
            tape.backward(out, seed);
            return new float[][] {out.value().toArray(), vq.grad().toArray(), vk.grad().toArray(), vv.grad().toArray()};
        }
    }

    @Test
    void patchifyHandWorked() {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            float[] pixels = new float[16];
            for (int i = 0; i < 16; i++) pixels[i] = i;       // a 4 × 4 image whose pixel (r, c) is 4r + c
            Var patches = Patchify.apply(tape, tape.constant(Tensor.of(arena, Shape.of(1, 4, 4), pixels)), 2);
            assertEquals(Shape.of(1, 4, 4), patches.shape());
            assertArrayEquals(new float[] {0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15},
                    patches.value().toArray());
        }
    }

    @Test
    void headsSplitHandWorkedAndMergeUndoesIt() {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            // x (1, 2, 4): token t holds [h0c0, h0c1, h1c0, h1c1] = 10t + [0, 1, 2, 3]
            Var x = tape.variable(Tensor.of(arena, Shape.of(1, 2, 4), 0, 1, 2, 3, 10, 11, 12, 13));
            Var y = Heads.split(tape, x, 2);
            assertEquals(Shape.of(1, 2, 2, 2), y.shape());
            assertArrayEquals(new float[] {0, 1, 10, 11, 2, 3, 12, 13},
                    y.value().toArray()); // head 0: both tokens, then head 1
            assertArrayEquals(x.value().toArray(), Heads.merge(tape, y).value().toArray());
        }
    }

    @Test
    void classTokenGatherSumsItsGradientOverTheBatch() {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Var cls = tape.variable(Tensor.of(arena, Shape.of(1, 2), 5f, 7f));
            Var rows = Embedding.gather(tape, cls, new int[3]);  // the same row for each of 3 images
            assertArrayEquals(new float[] {5, 7, 5, 7, 5, 7}, rows.value().toArray());
            tape.backward(rows, Tensor.of(arena, rows.shape(), 1, 2, 3, 4, 5, 6));
            assertArrayEquals(new float[] {9, 12}, cls.grad().toArray());
        }
    }

    @Test
    void concatThenSliceGivesThePartsBack() {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Rng rng = new Rng(8);
            Var a = tape.variable(rng.normal(arena, Shape.of(2, 1, 3))), b = tape.variable(rng.normal(arena,
                    Shape.of(2, 4, 3)));
            Var both = Concat.tokens(tape, a, b);
            assertEquals(Shape.of(2, 5, 3), both.shape());
            assertArrayEquals(a.value().toArray(), Slice.tokens(tape, both, 0, 1).value().toArray());
            assertArrayEquals(b.value().toArray(), Slice.tokens(tape, both, 1, 5).value().toArray());
            assertArrayEquals(a.value().toArray(), Slice.token(tape, both, 0).value().toArray());
            assertEquals(Shape.of(2, 3), Slice.token(tape, both, 0).shape());
        }
    }

    @Test
    void badInputIsRejectedNamingOpAndArgument() {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Var images = tape.constant(Tensor.zeros(arena, 2, 28, 28)), tokens = tape.constant(Tensor.zeros(arena, 2,
                    5, 4));
            rejects("patchify: images: expected H and W multiples of the patch size 5", () -> Patchify.apply(tape,
                    images, 5));
            rejects("patchify: p: expected a positive patch size, got 0", () -> Patchify.apply(tape, images, 0));
            rejects("patchify: p: expected a positive patch size, got -4", () -> Patchify.apply(tape, images, -4));
            Var flat = tape.constant(Tensor.zeros(arena, 28, 28));
            rejects("patchify: images: expected a 3-D tensor", () -> Patchify.apply(tape, flat, 4));
            rejects("heads_split: heads: expected a positive divisor of 4, got 3", () -> Heads.split(tape, tokens, 3));
            rejects("embedding: index[1]: expected in [0, 5), got 5",
                    () -> Embedding.gather(tape, tape.constant(Tensor.zeros(arena, 5, 4)), new int[] {0, 5}));
            rejects("concat: parts[1]: expected (2, T, 4), got (3, 1, 4)",
                    () -> Concat.tokens(tape, tokens, tape.constant(Tensor.zeros(arena, 3, 1, 4))));
            rejects("slice: [from, to): expected within [0, 5], got [4, 6)", () -> Slice.tokens(tape, tokens, 4, 6));
            Var k = tape.constant(Tensor.zeros(arena, 2, 5, 3));
            rejects("attention: k: expected the leading axes and d of q (2, 5, 4)", () -> Attention.apply(tape, tokens,
                    k, k));
            rejects("attention: v: expected (2, 5, 4) as k", () -> Attention.apply(tape, tokens, tokens, k));
        }
    }

    private static void rejects(String message, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(message),
                () -> "expected '" + message + "...', got '" + e.getMessage() + "'");
    }

    @Test
    void inputsWithoutGradientsAreSkipped() {
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend)) {
            Rng rng = new Rng(9);
            Var q = tape.variable(rng.normal(arena, Shape.of(2, 3, 4))), kv = tape.constant(rng.normal(arena,
                    Shape.of(2, 6, 4)));
            Var out = Attention.apply(tape, q, kv, kv);
            tape.backward(out, rng.normal(arena, out.shape()));
            assertTrue(backend.allFinite(q.grad()));
            assertNotEquals(0.0, backend.sum(q.grad()), "q's gradient flowed");
            assertThrows(IllegalStateException.class, kv::grad,
                    "k and v are constants: the rule must not ask for theirs");
        }
    }
}
