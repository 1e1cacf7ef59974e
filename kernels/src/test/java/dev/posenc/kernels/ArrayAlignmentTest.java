package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The address probe behind the product's aligned packs. That the packs' starts leave the product's bits alone is
 * MatmulCpuTest's: each thread's workspace has its own starts, and 1 and 2 threads must agree bit for bit.
 */
class ArrayAlignmentTest {
    @Test
    void readsAddressesWhereNativeAccessIsEnabled() {
        // The build runs tests with --enable-native-access (pom.xml jvm.flags), as the launcher runs the CLI.
        assertTrue(ArrayAlignment.readable(), "memset downcall not linked: the packs would silently lose alignment");
    }

    @Test
    void startIsInsideTheFirstLineAndStable() {
        for (int n : new int[] {1, 17, 4096, 3 << 20}) {    // small, TLAB-sized, and humongous (12 MiB) arrays
            float[] a = new float[n + ArrayAlignment.LINE_FLOATS];
            int s = ArrayAlignment.alignedStart(a);
            assertTrue(s >= 0 && s < ArrayAlignment.LINE_FLOATS, "n = %d: start %d".formatted(n, s));
            assertEquals(s, ArrayAlignment.alignedStart(a), "n = %d: the same array read twice".formatted(n));
        }
    }

    @Test
    void emptyArrayStartsAtZero() {
        assertEquals(0, ArrayAlignment.alignedStart(new float[0]));
    }
}
