package dev.posenc.autograd;

import dev.posenc.autograd.ops.Activations;
import dev.posenc.autograd.ops.Linear;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.autograd.ops.Reshape;
import dev.posenc.core.Backend;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TapeViewTest {
    private static final Path DOT = Path.of("/usr/bin/dot");
    private static Backend backend;

    @BeforeAll static void open() { backend = new CpuBackend(2); }

    @AfterAll static void close() { backend.close(); }

    /** x (2, 3) constant → linear(W (4, 3), b (4)) → relu → reshape (1, 8) → mse against a constant target. */
    private static Tape smallGraph(Arena params) {
        Tape tape = new Tape(backend);
        Var w = Var.parameter(Tensor.zeros(params, 4, 3), Tensor.zeros(params, 4, 3));
        Var b = Var.parameter(Tensor.zeros(params, 4), Tensor.zeros(params, 4));
        Var x = tape.constant(tape.alloc(2, 3));
        Var y = Reshape.apply(tape, Activations.relu(tape, Linear.apply(tape, x, w, b)), Shape.of(1, 8));
        Losses.mse(tape, y, tape.constant(tape.alloc(1, 8)));
        return tape;
    }

    @Test
    void describesAKnownGraphExactly() {
        try (Arena params = Arena.ofShared(); Tape tape = smallGraph(params)) {
            assertEquals("""
                    node  op                     output                  bytes  inputs (* = needs a gradient)
                    %0    linear                 (2, 4)                     32  c0 (2, 3), p0* (4, 3), p1* (4,)
                    %1    relu                   (2, 4)                     32  %0* (2, 4)
                    %2    reshape                (1, 8)                      0  %1* (2, 4)
                    %3    mse                    ()                          4  %2* (1, 8), c1 (1, 8)
                    4 ops, 2 parameter tensors, 68 bytes of activations (op outputs)
                    """, tape.describe());
        }
    }

    @Test
    void dotExportNamesEveryNodeAndEdge() {
        try (Arena params = Arena.ofShared(); Tape tape = smallGraph(params)) {
            String dot = tape.toDot();
            assertTrue(dot.startsWith("digraph tape {") && dot.endsWith("}\n"), dot);
            assertTrue(dot.contains("\"c0\" -> \"%0\" [style=dashed];"), "a constant's edge carries no gradient: " + dot);
            assertTrue(dot.contains("\"p0\" -> \"%0\";"), dot);
            assertTrue(dot.contains("\"%2\" -> \"%3\";"), dot);
            assertEquals(7, dot.lines().filter(l -> l.contains("->")).count(), dot);
        }
    }

    @Test
    void dotExportParsesWithGraphviz(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(DOT), "Graphviz is not installed (" + DOT + "): apt-get install graphviz");
        try (Arena params = Arena.ofShared(); Tape tape = smallGraph(params)) {
            Path in = Files.writeString(dir.resolve("tape.dot"), tape.toDot()), out = dir.resolve("tape.svg");
            Process p = new ProcessBuilder(DOT.toString(), "-Tsvg", in.toString(), "-o", out.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "dot did not finish");
            assertEquals(0, p.exitValue(), log);
            assertTrue(Files.readString(out).contains("<svg"), log);
        }
    }
}
