package dev.posenc.models.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A tiny stand-in for Fashion-MNIST in the release's IDX layout, for tests: n images of size × size whose
 * class k (0..9) is a bright bar at row k·size/10 (learnable in a few steps), over seeded noise. The training
 * pair is gzipped and the test pair plain, so both readers' paths run.
 */
public final class TinyFashion {
    private TinyFashion() {}

    public static void write(Path dir, int trainCount, int testCount, int size, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(seed);
        pair(dir, "train", trainCount, size, rnd, true);
        pair(dir, "t10k", testCount, size, rnd, false);
    }

    private static void pair(Path dir, String prefix, int n, int size, SplittableRandom rnd, boolean gzip)
            throws IOException {
        ByteArrayOutputStream images = new ByteArrayOutputStream(), labels = new ByteArrayOutputStream();
        DataOutputStream im = new DataOutputStream(images), lb = new DataOutputStream(labels);
        im.writeInt(0x00000803);
        im.writeInt(n);
        im.writeInt(size);
        im.writeInt(size);
        lb.writeInt(0x00000801);
        lb.writeInt(n);
        for (int i = 0; i < n; i++) {
            int label = rnd.nextInt(10), bar = label * size / 10;
            lb.writeByte(label);
            for (int r = 0; r < size; r++) {
                for (int c = 0; c < size; c++) im.writeByte(r == bar ? 200 + rnd.nextInt(56) : rnd.nextInt(40));
            }
        }
        String suffix = gzip ? ".gz" : "";
        save(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), images.toByteArray(), gzip);
        save(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), labels.toByteArray(), gzip);
    }

    private static void save(Path file, byte[] bytes, boolean gzip) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        try (OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
            out.write(bytes);
        }
    }
}
