package dev.posenc.models.analysis.embedders;

import dev.posenc.core.io.Png;
import dev.posenc.core.io.RgbImage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The 1-D signals of {@code analyze embedders}: sample n of N sits at x = n/N in [0, 1); even samples train,
 * odd samples test (Zheng et al.'s 1-D set-up, spec §3.3). A signal comes from
 * <ul>
 *   <li>{@link #builtin}: a synthetic 1/f signal, y(x) = Σ_{k=1}^{256} cos(2πkx + φ_k)/k with seeded random
 *       phases φ_k ~ U[0, 2π), 512 samples, scaled to [0, 1] by its minimum and maximum (spec §3.4's kind);</li>
 *   <li>{@link #read}: a file, one float per line (blank lines and {@code #} comments skipped), or a NumPy
 *       {@code .npy} array of float32 or float64 (1-D, or 2-D with one dimension 1, where the storage order
 *       makes no difference);</li>
 *   <li>{@link #imageRow}: one row of an image, as grey levels in [0, 1] (Rec. 601 luma).</li>
 * </ul>
 * Every reading error is an IllegalArgumentException that names the option and says what was expected.
 */
public final class Signals {
    /** Samples of the built-in signal: 256 train and 256 interleaved test points. */
    public static final int BUILTIN_SAMPLES = 512;
    /** The fewest samples that give two train and two test points. */
    public static final int MIN_SAMPLES = 4;

    private Signals() {}

    /** The built-in 1/f signal number {@code seed}. */
    public static double[] builtin(long seed) {
        int n = BUILTIN_SAMPLES, harmonics = n / 2;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] phase = new double[harmonics + 1];
        for (int k = 1; k <= harmonics; k++) phase[k] = 2 * Math.PI * rng.nextDouble();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double x = (double) i / n, s = 0;
            for (int k = 1; k <= harmonics; k++) s += Math.cos(2 * Math.PI * k * x + phase[k]) / k;
            y[i] = s;
        }
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : y) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        for (int i = 0; i < n; i++) y[i] = (y[i] - lo) / (hi - lo);
        return y;
    }

    /** The signal in {@code file}: {@code .npy} by its name, else text with one float per line. */
    public static double[] read(Path file, String option) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(
                "%s: expected a signal file, got '%s': no such file".formatted(option, file));
        double[] y = file.getFileName().toString().endsWith(".npy")
                ? npy(Files.readAllBytes(file), option) : text(Files.readAllLines(file, StandardCharsets.UTF_8), option);
        return checked(y, option, file.toString());
    }

    /** Row {@code row} of the image in {@code file}, grey levels 0.299R + 0.587G + 0.114B in [0, 1]. */
    public static double[] imageRow(Path file, int row, String option) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(
                "%s: expected an image file, got '%s': no such file".formatted(option, file));
        RgbImage img = Png.read(file);
        if (row < 0 || row >= img.height()) throw new IllegalArgumentException(
                "--row: expected a row in [0, %d) of %s, got %d".formatted(img.height(), file, row));
        double[] y = new double[img.width()];
        for (int c = 0; c < img.width(); c++) {
            y[c] = 0.299 * img.get(row, c, 0) + 0.587 * img.get(row, c, 1) + 0.114 * img.get(row, c, 2);
        }
        return checked(y, option, file.toString());
    }

    static double[] text(List<String> lines, String option) {
        double[] y = new double[lines.size()];
        int n = 0;
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "%s: line %d: expected a number, got '%s'".formatted(option, i + 1, abbreviate(s)));
            }
            if (!Double.isFinite(v)) throw new IllegalArgumentException(
                    "%s: line %d: expected a finite number, got %s".formatted(option, i + 1, s));
            y[n++] = v;
        }
        return java.util.Arrays.copyOf(y, n);
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])(f4|f8)'");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** NumPy's format: magic "\x93NUMPY", version (1, 2 or 3), header length, a Python dict, then the data. */
    static double[] npy(byte[] bytes, String option) {
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
        if (bytes.length < 10 || !java.util.Arrays.equals(bytes, 0, 6, magic, 0, 6)) throw new IllegalArgumentException(
                option + ": expected a .npy file (starting \\x93NUMPY), got other bytes");
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLen;
        if (headerLen < 0 || start > bytes.length) throw new IllegalArgumentException(
                option + ": expected a .npy header of " + headerLen + " bytes, got a shorter file");
        String header = new String(bytes, major == 1 ? 10 : 12, headerLen, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header), shape = SHAPE.matcher(header);
        if (!descr.find()) throw new IllegalArgumentException(
                option + ": expected a .npy array of float32 or float64, got header " + header.strip());
        if (!shape.find()) throw new IllegalArgumentException(option + ": expected a shape in the .npy header, got "
                + header.strip());
        long count = 1;
        int dims = 0, big = 0;
        for (String s : shape.group(1).split(",")) {
            if (s.isBlank()) continue;
            long len = Long.parseLong(s.strip());
            dims++;
            if (len > 1) big++;
            count *= len;
        }
        if (dims > 2 || big > 1) throw new IllegalArgumentException(
                "%s: expected a 1-D array (or N×1), got shape (%s)".formatted(option, shape.group(1).strip()));
        int width = descr.group(2).equals("f4") ? 4 : 8;
        if (descr.group(1).equals(">")) b.order(ByteOrder.BIG_ENDIAN);
        if (start + count * width > bytes.length) throw new IllegalArgumentException(
                "%s: expected %d values of %d bytes after the header, got %d bytes".formatted(option, count, width,
                        bytes.length - start));
        double[] y = new double[(int) count];
        for (int i = 0; i < count; i++) {
            y[i] = width == 4 ? b.getFloat(start + 4 * i) : b.getDouble(start + 8 * i);
            if (!Double.isFinite(y[i])) throw new IllegalArgumentException(
                    "%s: element %d: expected a finite number, got %s".formatted(option, i, y[i]));
        }
        return y;
    }

    private static double[] checked(double[] y, String option, String source) {
        if (y.length < MIN_SAMPLES) throw new IllegalArgumentException(
                "%s: expected at least %d samples in %s, got %d".formatted(option, MIN_SAMPLES, source, y.length));
        return y;
    }

    private static String abbreviate(String s) { return s.length() <= 40 ? s : s.substring(0, 37) + "..."; }
}
