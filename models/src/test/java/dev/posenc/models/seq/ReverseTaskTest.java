package dev.posenc.models.seq;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ReverseTaskTest {
    @Test
    void labelsAreTheIdsReversed() {
        var task = new ReverseTask(4, List.of(3, 7), 5, 2);
        try (Arena arena = Arena.ofConfined()) {
            SeqTask.Batch b = task.lengthTests(arena).get(3);
            assertEquals(3, b.inputs().shape().dim(1));
            for (int s = 0; s < 2; s++) {
                int[] row = {(int) b.inputs().get(s, 0), (int) b.inputs().get(s, 1), (int) b.inputs().get(s, 2)};
                int[] expected = {row[2], row[1], row[0]};   // [a, b, c] → [c, b, a]
                assertArrayEquals(expected, java.util.Arrays.copyOfRange(b.labels(), 3 * s, 3 * s + 3));
                for (int id : row) assertTrue(id >= 0 && id < 5, "id " + id);
            }
            assertEquals(7, task.lengthTests(arena).get(7).inputs().shape().dim(1));
            assertEquals(4, task.testSet(arena).inputs().shape().dim(1));
        }
    }

    @Test
    void trainingLengthsVaryWithinTwoToL() {
        var task = new ReverseTask(8, List.of(8), 3, 1);
        Set<Integer> seen = new HashSet<>();
        try (Arena arena = Arena.ofConfined()) {
            for (int step = 0; step < 200; step++) {
                SeqTask.Batch b = task.trainBatch(arena, 1, step, 2);
                int n = b.inputs().shape().dim(1);
                assertTrue(n >= 2 && n <= 8, "n " + n);
                assertEquals(2 * n, b.labels().length);
                seen.add(n);
            }
        }
        assertEquals(Set.of(2, 3, 4, 5, 6, 7, 8), seen);
    }
}
