package dev.posenc.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jar carries every kernel KernelCatalog lists, when nvcc was there at build time (the cuda-kernels profile
 * sets kernels.expected=true); otherwise the test skips and says so. Runs on the CPU: PTX is text.
 */
class KernelResourcesTest {
    private static final boolean EXPECTED = Boolean.getBoolean("kernels.expected");

    @Test
    void everyCatalogedKernelIsInThePtxAndFatbin() {
        assumeTrue(EXPECTED, "kernels.expected=false: built without nvcc, so the jar has no GPU kernels");
        assertEquals(List.of(), KernelCatalog.missing());
        for (var e : KernelCatalog.KERNELS.entrySet()) {
            byte[] ptx = KernelCatalog.read(e.getKey(), "ptx"), fat = KernelCatalog.read(e.getKey(), "fatbin");
            assertNotNull(fat, () -> "missing " + KernelCatalog.resource(e.getKey(), "fatbin"));
            String text = new String(ptx, StandardCharsets.US_ASCII);
            assertTrue(text.contains(".target sm_90"), () -> e.getKey() + ".ptx: expected .target sm_90");
            List<String> entries = entries(text);
            // both directions: a kernel added to a .cu without its Java name fails too
            assertEquals(e.getValue().stream().sorted().toList(), entries.stream().sorted().toList(), e.getKey());
        }
    }

    @Test
    void everyCudaSourceIsCataloged() throws Exception {
        Path src = Path.of("src/main/cuda");
        assumeTrue(Files.isDirectory(src), "run from the cuda module directory (surefire does)");
        try (Stream<Path> files = Files.list(src)) {
            List<String> stems = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
            assertEquals(KernelCatalog.KERNELS.keySet().stream().sorted().toList(), stems);
        }
    }

    /**
     * Issue 14: every reduction is two passes with a fixed order of addition, so a GPU training run is reproducible;
     * an atomic (atomicAdd, atomicCAS...) in a kernel would make the order depend on scheduling. Comments may name them.
     */
    @Test
    void noKernelUsesAtomics() throws Exception {
        Path src = Path.of("src/main/cuda");
        assumeTrue(Files.isDirectory(src), "run from the cuda module directory (surefire does)");
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cu") || p.toString().endsWith(".cuh")).toList()) {
                String code = Files.readString(f).replaceAll("//[^\\n]*", "");
                assertFalse(code.contains("atomic"), () -> f.getFileName() + " uses an atomic");
            }
        }
    }

    @Test
    void fourierKernelsAreNotBuiltWithFastMath() {
        assumeTrue(EXPECTED, "kernels.expected=false: built without nvcc");
        String ptx = new String(KernelCatalog.read("fourier", "ptx"), StandardCharsets.US_ASCII);
        // --use_fast_math turns sincosf into sin.approx / cos.approx, wrong by far more than an ulp for large |z|
        assertFalse(ptx.contains("sin.approx") || ptx.contains("cos.approx"), "fourier.ptx uses approximate sin/cos");
    }

    @Test
    void ptxGetsExactlyOneTrailingNul() {
        byte[] ptx = {'a', 'b'};
        assertArrayEquals(new byte[] {'a', 'b', 0}, KernelCatalog.nulTerminated(ptx));
        assertArrayEquals(new byte[] {'a', 'b', 0}, KernelCatalog.nulTerminated(new byte[] {'a', 'b', 0}));
    }

    /** The names of {@code .entry} functions in a PTX text. */
    static List<String> entries(String ptx) {
        Matcher m = Pattern.compile("\\.entry\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(").matcher(ptx);
        return m.results().map(r -> r.group(1)).toList();
    }
}
