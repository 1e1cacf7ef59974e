package dev.posenc.models.analysis.toy1d;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitTest {
    @ParameterizedTest @CsvSource({"256, 2", "256, 8", "17, 3", "5, 5"})
    void trainAndTestAreDisjointAndCoverTheGrid(int points, int every) {
        Split s = Split.everyKth(points, every);
        int[] all = IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.test())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, points).toArray(), all, "each point exactly once");
        for (int i : s.train()) assertEquals(0, i % every);
        assertEquals((points + every - 1) / every, s.train().length);
        assertTrue(s.test().length > 0);
    }

    @Test
    void everyOtherPointByHand() {
        Split s = Split.everyKth(7, 2);
        assertArrayEquals(new int[] {0, 2, 4, 6}, s.train());
        assertArrayEquals(new int[] {1, 3, 5}, s.test());
    }

    @Test
    void nothingLeftToTestIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Split.everyKth(8, 1));
        assertTrue(e.getMessage().startsWith("--train-every: expected an integer from 2"), e.getMessage());
    }
}
