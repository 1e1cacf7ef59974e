package dev.posenc.models.analysis.embedders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading signals: text and .npy, and the one-line errors for bad files. */
class SignalsTest {
    @TempDir Path dir;

    @Test
    void readsOneFloatPerLineSkippingBlanksAndComments() throws Exception {
        Path f = Files.writeString(dir.resolve("s.txt"), "# a signal\n0.5\n\n1e-1\n -2 \n3.25\n");
        assertArrayEquals(new double[] {0.5, 0.1, -2, 3.25}, Signals.read(f, "--signal"));
    }

    @Test
    void readsNpyFloat32AndFloat64() throws Exception {
        double[] want = {0.25, -1.5, 3, 0.125, 7};
        assertArrayEquals(want, Signals.read(npy(dir.resolve("a.npy"), "<f4", "(5,)", want, 4), "--signal"));
        assertArrayEquals(want, Signals.read(npy(dir.resolve("b.npy"), "<f8", "(5, 1)", want, 8), "--signal"));
    }

    @Test
    void badFilesGiveOneLineErrorsNamingTheOption() throws Exception {
        assertError(Files.writeString(dir.resolve("empty.txt"), ""), "at least 4 samples");
        assertError(Files.writeString(dir.resolve("word.txt"), "0.1\n0.2\nabc\n0.3\n"), "line 3: expected a number, got 'abc'");
        assertError(Files.writeString(dir.resolve("nan.txt"), "0.1\nNaN\n0.2\n0.3\n"), "line 2: expected a finite number");
        assertError(npy(dir.resolve("nan.npy"), "<f8", "(4,)", new double[] {0, Double.NaN, 1, 2}, 8), "element 1");
        assertError(npy(dir.resolve("int.npy"), "<i8", "(4,)", new double[] {0, 1, 2, 3}, 8), "float32 or float64");
        assertError(npy(dir.resolve("mat.npy"), "<f8", "(2, 2)", new double[] {0, 1, 2, 3}, 8), "1-D array");
        assertError(Files.writeString(dir.resolve("fake.npy"), "0.1\n0.2\n"), "\\x93NUMPY");
        assertError(dir.resolve("missing.txt"), "no such file");
    }

    @Test
    void theBuiltinSignalIsSeededAndSpansZeroToOne() {
        double[] a = Signals.builtin(1), b = Signals.builtin(1), c = Signals.builtin(2);
        assertArrayEquals(a, b);
        assertTrue(a[7] != c[7]);
        assertEquals(Signals.BUILTIN_SAMPLES, a.length);
        assertEquals(0, java.util.Arrays.stream(a).min().orElseThrow(), 0);
        assertEquals(1, java.util.Arrays.stream(a).max().orElseThrow(), 0);
    }

    private static void assertError(Path file, String expected) {
        var e = assertThrows(IllegalArgumentException.class, () -> Signals.read(file, "--signal"));
        assertTrue(e.getMessage().startsWith("--signal: ") && e.getMessage().contains(expected)
                && !e.getMessage().contains("\n"), e.getMessage());
    }

    /** A version-1 .npy file, written byte by byte as NumPy does (header padded to 64 bytes, ending in '\n'). */
    private static Path npy(Path file, String descr, String shape, double[] values, int width) throws Exception {
        String dict = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }".formatted(descr, shape);
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (double v : values) {
            if (descr.equals("<f4")) b.putFloat((float) v);
            else if (descr.equals("<f8")) b.putDouble(v);
            else b.putLong((long) v);
        }
        return Files.write(file, b.array());
    }
}
