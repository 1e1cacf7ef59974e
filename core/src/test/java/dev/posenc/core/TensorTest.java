package dev.posenc.core;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.*;

class TensorTest {
    @Test
    void zerosAndOfCreateRowMajorTensors() {
        try (Arena arena = Arena.ofShared()) {
            Tensor z = Tensor.zeros(arena, 3, 5);
            assertEquals(Shape.of(3, 5), z.shape());
            assertEquals(15, z.size());
            assertArrayEquals(new float[15], z.toArray());
            assertEquals(0, z.data().address() % Tensor.ALIGNMENT, "tensors are 64-byte aligned");

            Tensor t = Tensor.of(arena, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
            assertEquals(2, t.rows());
            assertEquals(3, t.cols());
            assertEquals(6f, t.get(1, 2));
            t.set(0, 1, -7f);
            assertEquals(-7f, t.get(1));
            assertArrayEquals(new float[] {4.5f, 4.5f, 4.5f}, Tensor.full(arena, Shape.of(3), 4.5f).toArray());
        }
    }

    @Test
    void viewsShareMemory() {
        try (Arena arena = Arena.ofShared()) {
            Tensor t = Tensor.of(arena, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
            Tensor flat = t.reshape(6);
            flat.set(4, 50f);
            assertEquals(50f, t.get(1, 1), "reshape is a view, not a copy");

            Tensor second = t.rowRange(1, 2);
            assertEquals(Shape.of(1, 3), second.shape());
            second.set(0, 40f);
            assertEquals(40f, t.get(1, 0), "rowRange is a view, not a copy");
            assertEquals(Shape.of(0, 3), t.rowRange(2, 2).shape());

            Tensor b3 = Tensor.zeros(arena, 4, 3, 5);
            Tensor heads = b3.rowRange(1, 3);
            assertEquals(Shape.of(2, 3, 5), heads.shape());
            heads.set(0, 9f);
            assertEquals(9f, b3.get(15), "a 3-D rowRange starts at batch entry 1, element 15");
        }
    }

    @Test
    void copyFromCopiesAndChecksSize() {
        try (Arena arena = Arena.ofShared()) {
            Tensor a = Tensor.of(arena, Shape.of(3), 1, 2, 3), b = Tensor.zeros(arena, 3);
            b.copyFrom(a);
            a.set(0, 9f);
            assertArrayEquals(new float[] {1, 2, 3}, b.toArray());
            assertThrows(IllegalArgumentException.class, () -> b.copyFrom(Tensor.zeros(arena, 4)));
        }
    }

    @Test
    void useAfterArenaCloseThrowsInsteadOfCrashing() {
        Tensor t;
        Tensor view;
        try (Arena arena = Arena.ofShared()) {
            t = Tensor.zeros(arena, 5, 3);
            view = t.rowRange(1, 3);
            assertTrue(t.isAlive());
        }
        assertFalse(t.isAlive());
        assertThrows(IllegalStateException.class, () -> t.get(0));
        assertThrows(IllegalStateException.class, () -> t.set(0, 1f));
        assertThrows(IllegalStateException.class, () -> view.get(0));
        assertThrows(IllegalStateException.class, t::toArray);
    }

    @Test
    void badShapesAreRejectedWithTheirNumbers() {
        try (Arena arena = Arena.ofShared()) {
            var neg = assertThrows(IllegalArgumentException.class, () -> Shape.of(3, -1));
            assertTrue(neg.getMessage().contains("[3, -1]"), neg.getMessage());

            Tensor t = Tensor.zeros(arena, 5, 3);
            var reshape = assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 4));
            assertTrue(reshape.getMessage().contains("15") && reshape.getMessage().contains("(4, 4)"), reshape.getMessage());

            var rows = assertThrows(IllegalArgumentException.class, () -> t.rowRange(2, 6));
            assertTrue(rows.getMessage().contains("[2, 6)"), rows.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.rowRange(3, 2));

            var of = assertThrows(IllegalArgumentException.class, () -> Tensor.of(arena, Shape.of(2, 2), 1, 2, 3));
            assertTrue(of.getMessage().contains("expected 4"), of.getMessage());

            var data = assertThrows(IllegalArgumentException.class,
                    () -> new Tensor(Shape.of(3), arena.allocate(8)));
            assertTrue(data.getMessage().contains("expected 12 bytes"), data.getMessage());
        }
    }

    @Test
    void shapeFoldsLeadingDimensionsIntoRows() {
        Shape s = Shape.of(2, 3, 5);
        assertEquals(6, s.rows());
        assertEquals(5, s.cols());
        assertEquals(30, s.size());
        assertEquals(5, s.dim(-1));
        assertEquals("(2, 3, 5)", s.toString());
        assertEquals("(7,)", Shape.of(7).toString());
        assertEquals(1, Shape.of().size(), "a scalar has one element");
        assertEquals(Shape.of(2, 3), Shape.of(2, 3));
    }
}
