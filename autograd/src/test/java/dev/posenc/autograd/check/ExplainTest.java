package dev.posenc.autograd.check;

import dev.posenc.core.Backend;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ExplainTest {
    /** Tests run in the module's folder; the sources the explanations cite are relative to the repository root. */
    private static final Path ROOT = Path.of("..");
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    @Test
    void everyCitedLineHoldsWhatItClaims() throws IOException {
        StringBuilder wrong = new StringBuilder();
        for (var e : Explain.ENTRIES.entrySet()) {
            for (Explain.Source s : e.getValue().sources()) {
                List<String> lines = Files.readAllLines(ROOT.resolve(s.path()));
                if (s.line() <= lines.size() && lines.get(s.line() - 1).contains(s.contains())) continue;
                int actual = -1;
                for (int i = 0; i < lines.size() && actual < 0; i++) if (lines.get(i).contains(s.contains())) actual = i + 1;
                wrong.append("%s: %s:%d should contain '%s' (found at line %d)%n".formatted(e.getKey(), s.path(), s.line(),
                        s.contains(), actual));
            }
        }
        assertEquals("", wrong.toString());
    }

    @Test
    void fourierFeaturesShowsRuleNumbersAndLines() {
        Explain.Explained x = Explain.explain(backend, "fourier_features");
        assertTrue(x.pass(), x.text());
        String t = x.text();
        assertTrue(t.contains("dz = s·(ds ⊙ cos z − dc ⊙ sin z)"), t);
        assertTrue(t.contains("input 0 (5, 2)") && t.contains("input 1 (3, 2)"), t);
        assertEquals(5 * 2 + 3 * 2, t.lines().filter(l -> l.matches("  \\[\\d+].*")).count(), t);
        assertTrue(t.contains("kernels/src/main/java/dev/posenc/kernels/FourierCpu.java:"), t);
    }

    @Test
    void anUnknownOpNamesTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Explain.explain(backend, "fourier"));
        assertTrue(e.getMessage().startsWith("--explain: expected an op of the suite (") && e.getMessage().contains("fourier_features"),
                e.getMessage());
    }
}
