package dev.posenc.models.encodings;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Reductions;
import dev.posenc.core.Backend;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.nn.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.*;

/** embed1d and embed2d: lookups worked by hand, scatter-add gradients, and their refusal to extrapolate. */
class LearnedTableTest {
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    private static final EncodingParams GRID_3X5 =
            EncodingParams.defaults(2).toBuilder().outputDims(3).grid(3, 5).build();

    @Test
    void embed1dLooksUpTheFlattenedIndexAndScattersItsGradient() {
        try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend);
             Arena arena = Arena.ofShared()) {
            Encoding enc = Encodings.create("embed1d", GRID_3X5, store);
            store.allocate(new Rng(3));
            Tensor table = store.get("encoding.table").value();
            assertEquals(Shape.of(15, 3), table.shape());
            // (2, 4) is row 2·5 + 4 = 14; (1, 0) is row 5; (1, 0) again: its gradient counts twice
            Var out = enc.apply(tape, tape.constant(Tensor.of(arena, Shape.of(3, 2), 2, 4, 1, 0, 1, 0)));
            for (int c = 0; c < 3; c++) {
                assertEquals(table.get(14, c), out.value().get(0, c));
                assertEquals(table.get(5, c), out.value().get(1, c));
            }
            store.zeroGrad();
            tape.backward(Reductions.sum(tape, out));
            Tensor g = store.get("encoding.table").grad();
            assertEquals(1f, g.get(14, 0));
            assertEquals(2f, g.get(5, 2));
            assertEquals(0f, g.get(0, 0));
        }
    }

    @Test
    void embed2dSumsARowAndAColumnVector() {
        try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend);
             Arena arena = Arena.ofShared()) {
            Encoding enc = Encodings.create("embed2d", GRID_3X5, store);
            store.allocate(new Rng(4));
            Tensor rows = store.get("encoding.rows").value(), cols = store.get("encoding.cols").value();
            assertEquals(Shape.of(3, 3), rows.shape());
            assertEquals(Shape.of(5, 3), cols.shape());
            Var out = enc.apply(tape, tape.constant(Tensor.of(arena, Shape.of(1, 2), 2, 3)));
            for (int c = 0; c < 3; c++) assertEquals(rows.get(2, c) + cols.get(3, c), out.value().get(0, c), 1e-7f);
        }
    }

    @Test
    void theInitialStdIsTheTableStdAndTravelsInTheConfig() {
        EncodingParams wide = EncodingParams.defaults(2).toBuilder().outputDims(64).grid(7, 7).tableStd(0.5).build();
        for (EncodingParams p : new EncodingParams[] {wide, wide.toBuilder().tableStd(0.02).build()}) {
            try (ParameterStore store = new ParameterStore()) {
                Encoding enc = Encodings.create("embed1d", p, store);
                store.allocate(new Rng(5));
                float[] t = store.get("encoding.table").value().toArray();
                double rms = Math.sqrt(java.util.Arrays.stream(toDoubles(t)).map(v -> v * v).average().orElseThrow());
                assertEquals(p.tableStd(), rms, 0.06 * p.tableStd(), "rms of 3136 draws");
                assertEquals(p.tableStd(), Encodings.paramsOf(enc.config()).tableStd());
                assertEquals(p.tableStd() == 0.02 ? null : "0.5", enc.config().get("table_std"));
            }
        }
        var bad = assertThrows(IllegalArgumentException.class, () -> Encodings.create("embed2d",
                GRID_3X5.toBuilder().tableStd(0).build(), new ParameterStore()));
        assertEquals("embed2d: tableStd: expected a finite value > 0, got 0.0", bad.getMessage());
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    @Test
    void positionsBeyondTheGridsExtentCannotBeExtrapolated() {
        for (String name : new String[] {"embed1d", "embed2d"}) {
            try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend);
                 Arena arena = Arena.ofShared()) {
                Encoding enc = Encodings.create(name, GRID_3X5, store);
                store.allocate(new Rng(5));
                var e = assertThrows(ExtrapolationException.class,
                        () -> enc.apply(tape, tape.constant(Tensor.of(arena, Shape.of(1, 2), 3, 0))));
                assertTrue(e.getMessage().contains("cannot extrapolate") && e.getMessage().contains("[-0.5, 2.5]"),
                        e.getMessage());
            }
        }
    }

    /** By hand: (0.25, 1.5) is ¾ of row 0 and ¼ of row 1, ½ of col 1 and ½ of col 2; (2.4, −0.3) clamps to (2, 0). */
    @Test
    void positionsBetweenCellsInterpolateBilinearlyAndTheGradientReachesTheCells() {
        for (String name : new String[] {"embed1d", "embed2d"}) {
            try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend);
                 Arena arena = Arena.ofShared()) {
                Encoding enc = Encodings.create(name, GRID_3X5, store);
                store.allocate(new Rng(5));
                int d = enc.outputDims();
                float[] got = enc.apply(tape, tape.constant(Tensor.of(arena, Shape.of(2, 2), 0.25f, 1.5f, 2.4f, -0.3f)))
                        .value().toArray();
                float[][] cell = new float[3 * 5][];
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 5; c++) {
                        cell[r * 5 + c] = enc.apply(tape, tape.constant(Tensor.of(arena, Shape.of(1, 2), r, c)))
                                .value().toArray();
                    }
                }
                for (int j = 0; j < d; j++) {
                    double want = 0.75 * 0.5 * (cell[1][j] + cell[2][j]) + 0.25 * 0.5 * (cell[6][j] + cell[7][j]);
                    assertEquals(want, got[j], 1e-6, name + " channel " + j);
                    assertEquals(cell[10][j], got[d + j], 1e-6, name + " clamped, channel " + j);
                }
                tape.reset();
                store.zeroGrad();
                var out = enc.apply(tape, tape.constant(Tensor.of(arena, Shape.of(1, 2), 0.25f, 1.5f)));
                tape.backward(dev.posenc.autograd.ops.Reductions.sum(tape, out));
                double total = 0;
                for (var p : enc.trainableParameters()) for (float g : p.grad().toArray()) total += g;
                assertEquals(d * (name.equals("embed2d") ? 2 : 1), total, 1e-4, "the weights of each table sum to 1");
            }
        }
    }

    @Test
    void anEmptyGridIsRefusedByName() {
        var g = assertThrows(IllegalArgumentException.class, () -> Encodings.create("embed1d",
                GRID_3X5.toBuilder().grid(0, 5).build(), new ParameterStore()));
        assertEquals("embed1d: gridRows: expected > 0, got 0", g.getMessage());
    }
}
