package dev.posenc.models.data;

import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.io.Idx;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 28 × 28 grey images of 10 kinds of clothing, 60,000 for
 * training and 10,000 for testing, in the IDX files of the original release ({@link Idx}), gzipped or not.
 * The default folder is Debian's {@code dataset-fashion-mnist} package's.
 *
 * <p>Pixels become floats normalised with the training set's statistics, (byte/255 − {@value #MEAN}) /
 * {@value #STD} (torchvision's usual {@code Normalize((0.2860,), (0.3530,))}), so inputs have mean ≈ 0 and std ≈ 1.
 */
public final class FashionMnist {
    private FashionMnist() {}

    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final float MEAN = 0.2860f, STD = 0.3530f;
    public static final int CLASSES = 10;
    public static final String[] LABELS = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot"};

    /** Which half of the release. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        final String prefix;

        Split(String prefix) { this.prefix = prefix; }
    }

    /** Normalised images (count, rows, cols) in the caller's arena, and their labels 0..9. */
    public record Data(Tensor images, int[] labels) {
        public int size() { return labels.length; }

        public int rows() { return images.shape().dim(1); }

        public int cols() { return images.shape().dim(2); }
    }

    /**
     * The first min(limit, count) examples of {@code split} from {@code dir}, which holds
     * {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]} and the {@code t10k-} pair.
     *
     * @throws IOException when a file is missing (saying how to get the data) or corrupt (saying what is wrong)
     */
    public static Data load(Path dir, Split split, int limit, Arena arena) throws IOException {
        Path images = find(dir, split.prefix + "-images-idx3-ubyte");
        Path labels = find(dir, split.prefix + "-labels-idx1-ubyte");
        Idx.Dataset raw = Idx.read(images, labels, limit);
        for (int i = 0; i < raw.size(); i++) {
            if (raw.labels()[i] >= CLASSES) throw new IOException("%s: label %d of item %d: expected 0..%d"
                    .formatted(labels, raw.labels()[i], i, CLASSES - 1));
        }
        Idx.Images im = raw.images();
        Tensor t = Tensor.zeros(arena, Shape.of(im.count(), im.rows(), im.cols()));
        byte[] px = im.pixels();
        for (int i = 0; i < px.length; i++) t.set(i, (Byte.toUnsignedInt(px[i]) / 255f - MEAN) / STD);
        return new Data(t, raw.labels());
    }

    /**
     * The images of {@code data} resized to size × size by bilinear interpolation, as torch's
     * {@code F.interpolate(mode="bilinear", align_corners=False)}: output pixel i samples the input at
     * (i + ½)·in/size − ½, clamped to the edge. Linear, so resizing normalised pixels equals normalising resized
     * ones.
     */
    public static Data resized(Data data, int size, Arena arena) {
        if (size <= 0) throw new IllegalArgumentException("resize: size: expected > 0, got " + size);
        int n = data.size(), h = data.rows(), w = data.cols();
        Tensor out = Tensor.zeros(arena, Shape.of(n, size, size));
        for (int i = 0; i < n; i++) {
            long src = (long) i * h * w, dst = (long) i * size * size;
            for (int y = 0; y < size; y++) {
                double sy = Math.max(0, (y + 0.5) * h / size - 0.5);
                int y0 = (int) sy, y1 = Math.min(y0 + 1, h - 1);
                double fy = sy - y0;
                for (int x = 0; x < size; x++) {
                    double sx = Math.max(0, (x + 0.5) * w / size - 0.5);
                    int x0 = (int) sx, x1 = Math.min(x0 + 1, w - 1);
                    double fx = sx - x0;
                    Tensor im = data.images();
                    double top = im.get(src + (long) y0 * w + x0) * (1 - fx) + im.get(src + (long) y0 * w + x1) * fx;
                    double bot = im.get(src + (long) y1 * w + x0) * (1 - fx) + im.get(src + (long) y1 * w + x1) * fx;
                    out.set(dst + (long) y * size + x, (float) (top * (1 - fy) + bot * fy));
                }
            }
        }
        return new Data(out, data.labels().clone());
    }

    /** {@code dir/name.gz} or {@code dir/name}; missing: an error that says how to get the data set. */
    static Path find(Path dir, String name) throws IOException {
        for (Path p : new Path[] {dir.resolve(name + ".gz"), dir.resolve(name)}) {
            if (Files.isRegularFile(p)) return p;
        }
        throw new IOException(("Fashion-MNIST not found in " + dir
                + ": expected " + name + ".gz (or unzipped). Install it with 'apt-get install dataset-fashion-mnist' "
                + "(files in " + DEFAULT_DIR + "), or download the four files from "
                + "https://github.com/zalandoresearch/fashion-mnist (data/fashion) into a folder and pass --data DIR"));
    }
}
