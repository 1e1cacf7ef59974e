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
    void positionsOutsideTheGridCannotBeExtrapolatedAndFractionsAreRejected() {
        for (String name : new String[] {"embed1d", "embed2d"}) {
            try (ParameterStore store = new ParameterStore(); Tape tape = new Tape(backend);
                 Arena arena = Arena.ofShared()) {
                Encoding enc = Encodings.create(name, GRID_3X5, store);
                store.allocate(new Rng(5));
                var e = assertThrows(ExtrapolationException.class,
                        () -> enc.apply(tape, tape.constant(Tensor.of(arena, Shape.of(1, 2), 3, 0))));
                assertTrue(e.getMessage().contains("cannot extrapolate") && e.getMessage().contains("[0, 3)"),
                        e.getMessage());
                var f = assertThrows(IllegalArgumentException.class,
                        () -> enc.apply(tape, tape.constant(Tensor.of(arena, Shape.of(1, 2), 0, 0.5f))));
                assertFalse(f instanceof ExtrapolationException);
                assertTrue(f.getMessage().contains("whole-number col"), f.getMessage());
            }
        }
        var g = assertThrows(IllegalArgumentException.class, () -> Encodings.create("embed1d",
                GRID_3X5.toBuilder().grid(0, 5).build(), new ParameterStore()));
        assertEquals("embed1d: gridRows: expected > 0, got 0", g.getMessage());
    }
}
