package dev.posenc.models.boxes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic UI-layout data set (the LFF paper's widget boxes, RQ4, at toy scale): screens of widgets, each a box
 * (x1, y1, x2, y2) in [0, 1]² with x1 < x2, y1 < y2, and a type in [0, {@value #TYPES}), generated deterministically
 * from a seed. The per-widget target is a class from the geometry of the box against the screen's other boxes:
 * <pre>
 *   INSIDE  (2)  some other box j contains box i:  x1_j ≤ x1_i, y1_j ≤ y1_i, x2_i ≤ x2_j, y2_i ≤ y2_j
 *   OVERLAP (1)  not INSIDE, and box i meets some other box with positive area:
 *                max(x1_i, x1_j) < min(x2_i, x2_j) and max(y1_i, y1_j) < min(y2_i, y2_j)
 *   FREE    (0)  neither
 * </pre>
 * Centre-to-centre distance does not decide it: a child placed inside a parent and one pushed across the parent's
 * edge ({@link #generate}'s "straddle" widgets) can have the same centre distance and sizes but differ in class;
 * the rule compares edges, i.e. both corners of both boxes. The type is drawn independently of the geometry, so it
 * carries no information about the class (the {@code none} encoding sees only types: its accuracy is the
 * majority-class baseline).
 *
 * <p>Generation of a screen of n widgets, in order: widget 0 is free-placed; each later one is free-placed with
 * probability 0.45 (width and height in [0.04, 0.22], anywhere), else with equal odds a child (a parent among the
 * earlier widgets, the child's sides 20–70 % of the parent's, placed inside it), or a straddler (a child shifted
 * along x or y by its distance to the parent's edge plus 10–60 % of its own width, so it crosses the edge; clamped
 * to the screen).
 * The labels are then computed from the final boxes by the rule alone, not from how they were made.
 */
public final class Screens {
    private Screens() {}

    public static final int TYPES = 4, CLASSES = 3, FREE = 0, OVERLAP = 1, INSIDE = 2;
    public static final int MIN_WIDGETS = 4, MAX_WIDGETS = 16;

    /** One screen: boxes (n, 4) as x1, y1, x2, y2; types (n); labels (n) by the rule above. */
    public record Screen(double[][] boxes, int[] types, int[] labels) {
        public int size() { return types.length; }
    }

    /** A screen of {@code n} widgets drawn from {@code rng}. */
    public static Screen generate(SplittableRandom rng, int n) {
        if (n < 1) throw new IllegalArgumentException("screen: widgets: expected ≥ 1, got " + n);
        double[][] boxes = new double[n][];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            double u = i == 0 ? 0 : rng.nextDouble();
            int mode = u < 0.45 ? 0 : u < 0.725 ? 1 : 2;
            boxes[i] = mode == 0 ? free(rng) : child(rng, boxes[rng.nextInt(i)], mode == 2);
            types[i] = rng.nextInt(TYPES);
        }
        return new Screen(boxes, types, labels(boxes));
    }

    /** {@code count} screens, each with a widget count drawn uniformly from [min, max], from {@code seed}. */
    public static List<Screen> generate(long seed, int count, int min, int max) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Screen> screens = new ArrayList<>(count);
        for (int s = 0; s < count; s++) screens.add(generate(rng, min + rng.nextInt(max - min + 1)));
        return screens;
    }

    private static double[] free(SplittableRandom rng) {
        double w = rng.nextDouble(0.04, 0.22), h = rng.nextDouble(0.04, 0.22);
        double x = rng.nextDouble(0, 1 - w), y = rng.nextDouble(0, 1 - h);
        return new double[] {x, y, x + w, y + h};
    }

    private static double[] child(SplittableRandom rng, double[] p, boolean straddle) {
        double pw = p[2] - p[0], ph = p[3] - p[1];
        double w = pw * rng.nextDouble(0.2, 0.7), h = ph * rng.nextDouble(0.2, 0.7);
        double x = p[0] + rng.nextDouble() * (pw - w), y = p[1] + rng.nextDouble() * (ph - h);
        if (straddle) {
            boolean alongX = rng.nextBoolean(), towardsMax = rng.nextBoolean();
            double size = alongX ? w : h, extra = size * rng.nextDouble(0.1, 0.6);
            double shift = towardsMax ? (alongX ? p[2] - (x + w) : p[3] - (y + h)) + extra
                    : -((alongX ? x - p[0] : y - p[1]) + extra);
            if (alongX) x = Math.clamp(x + shift, 0, 1 - w);
            else y = Math.clamp(y + shift, 0, 1 - h);
        }
        return new double[] {x, y, x + w, y + h};
    }

    /** The class of every box by the rule in the class Javadoc. */
    public static int[] labels(double[][] boxes) {
        int n = boxes.length;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            boolean inside = false, overlap = false;
            for (int j = 0; j < n && !inside; j++) {
                if (j == i) continue;
                double[] a = boxes[i], b = boxes[j];
                inside = b[0] <= a[0] && b[1] <= a[1] && a[2] <= b[2] && a[3] <= b[3];
                overlap |= Math.max(a[0], b[0]) < Math.min(a[2], b[2]) && Math.max(a[1], b[1]) < Math.min(a[3], b[3]);
            }
            labels[i] = inside ? INSIDE : overlap ? OVERLAP : FREE;
        }
        return labels;
    }
}
