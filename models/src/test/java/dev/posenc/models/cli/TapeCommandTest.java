package dev.posenc.models.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class TapeCommandTest {
    @Test
    void fitImageTapePrintsTheLffStepAndWritesDot(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.of("--threads", "1", "tape", "fit-image", "--encoding", "lff", "--size", "16", "--out", dir.toString());
        assertEquals(0, r.exit(), r::describe);
        // LFF's first two ops (the features, Linear + GELU as one linear_gelu); its last Linear and the MLP's first layer
        // as one linear_pair_relu; then two linear_relu, linear, sigmoid, the loss: in program order, first at the top
        assertTrue(r.out().contains("%0    fourier_features       (64, 512)"), r::describe);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("%1    linear_gelu")), r::describe);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("%2    linear_pair_relu")), r::describe);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("%3    linear_relu")), r::describe);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("9 ops, 13 parameter tensors, \\d+ bytes of activations.*")), r::describe);
        String dot = Files.readString(dir.resolve("tape.dot"));
        assertTrue(dot.startsWith("digraph tape {") && dot.contains("fourier_features"), dot);
        // Graphviz drew tape.svg, or the output says why not and how to install it: never an error
        assertTrue(Files.exists(dir.resolve("tape.svg")) || r.out().contains("apt-get install graphviz"), r::describe);
    }

    @Test
    void vitTapeShowsAttentionAndTheLoss(@TempDir Path dir) {
        CliRun r = CliRun.of("--threads", "1", "tape", "vit", "--small", "--batch", "2", "--out", dir.toString());
        assertEquals(0, r.exit(), r::describe);
        assertTrue(r.out().contains(" softmax ") && r.out().contains(" layer_norm ") && r.out().contains(" cross_entropy "),
                r::describe);
    }

    @Test
    void anUnknownEncodingIsAOneLineError(@TempDir Path dir) {
        CliRun r = CliRun.of("tape", "fit-image", "--encoding", "lf", "--out", dir.toString());
        assertNotEquals(0, r.exit(), r::describe);
        assertTrue(r.err().startsWith("posenc tape fit-image: --encoding: expected one of ["), r::describe);
        assertTrue(r.err().contains("got 'lf'") && !r.err().contains("\tat "), r::describe);
    }

    @Test
    void gradcheckExplainsFourierFeatures() {
        CliRun r = CliRun.of("--threads", "1", "gradcheck", "--explain", "fourier_features");
        assertEquals(0, r.exit(), r::describe);
        assertTrue(r.out().contains("dz = s·(ds ⊙ cos z − dc ⊙ sin z)") && r.out().contains("FourierCpu.java:"), r::describe);
        CliRun bad = CliRun.of("gradcheck", "--explain", "fourier");
        assertNotEquals(0, bad.exit(), bad::describe);
        assertTrue(bad.err().contains("--explain: expected an op of the suite"), bad::describe);
    }
}
