package dev.posenc.models.boxes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScreensTest {
    @Test void sameSeedSameScreensAndAnotherSeedOthers() {
        List<Screens.Screen> a = Screens.generate(7, 20, 4, 16), b = Screens.generate(7, 20, 4, 16);
        for (int s = 0; s < a.size(); s++) {
            assertArrayEquals(a.get(s).types(), b.get(s).types());
            assertArrayEquals(a.get(s).labels(), b.get(s).labels());
            for (int i = 0; i < a.get(s).size(); i++) assertArrayEquals(a.get(s).boxes()[i], b.get(s).boxes()[i]);
        }
        assertNotEquals(a.getFirst().boxes()[0][0], Screens.generate(8, 1, 4, 16).getFirst().boxes()[0][0]);
    }

    @Test void ruleOnAHandBuiltScreen() {
        double[][] boxes = {
            {0.1, 0.1, 0.6, 0.6},     // parent: meets its children, contained in nothing → OVERLAP
            {0.2, 0.2, 0.4, 0.4},     // inside the parent → INSIDE
            {0.5, 0.2, 0.7, 0.4},     // crosses the parent's right edge → OVERLAP
            {0.8, 0.8, 0.9, 0.9},     // alone → FREE
            {0.6, 0.7, 0.7, 0.8},     // touches the parent's corner only (zero area) → FREE
        };
        assertArrayEquals(new int[] {Screens.OVERLAP, Screens.INSIDE, Screens.OVERLAP, Screens.FREE, Screens.FREE},
                Screens.labels(boxes));
        // the same centre distance to the parent as box 2, but shrunk to fit inside: the class changes
        double[][] shrunk = {boxes[0], {0.55, 0.25, 0.6, 0.35}};
        assertEquals(Screens.INSIDE, Screens.labels(shrunk)[1]);
    }

    @Test void boxesAreValidAndCountsInRange() {
        for (Screens.Screen s : Screens.generate(3, 200, 4, 16)) {
            assertTrue(s.size() >= 4 && s.size() <= 16);
            for (double[] b : s.boxes()) assertTrue(0 <= b[0] && b[0] < b[2] && b[2] <= 1 && 0 <= b[1] && b[1] < b[3]
                    && b[3] <= 1, java.util.Arrays.toString(b));
        }
    }

    @Test void classesAreNotDegenerate() {
        int[] counts = new int[Screens.CLASSES];
        int total = 0;
        for (Screens.Screen s : Screens.generate(11, 500, 4, 16)) {
            for (int l : s.labels()) counts[l]++;
            total += s.size();
        }
        for (int c = 0; c < Screens.CLASSES; c++) {
            double share = (double) counts[c] / total;
            assertTrue(share > 0.15 && share < 0.6, "class " + c + ": share " + share);
        }
    }
}
