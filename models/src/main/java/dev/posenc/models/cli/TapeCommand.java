package dev.posenc.models.cli;

import dev.posenc.core.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code posenc tape WHAT}: one training step's tape (the Wengert list reverse mode walks) printed as a table and
 * written as {@code tape.dot} and, when Graphviz's {@code dot} is on the PATH, {@code tape.svg}. A missing
 * {@code dot} is not an error: the command says how to install it.
 */
@Command(name = "tape", sortOptions = false,
        description = "Show one training step's autograd tape: ops, shapes, gradients, bytes. See 'posenc tape WHAT --help'.",
        subcommands = {
                TapeFitImageCommand.class,
                TapeVitCommand.class,
        })
final class TapeCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public Integer call() {
        spec.commandLine().getErr().println("posenc tape: missing which training step to show (fit-image or vit)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }

    /** Prints the table and writes DIR/tape.dot, then DIR/tape.svg when dot is installed (each atomically). */
    static void show(PrintStream ps, String title, String table, String dot, Path out) throws IOException {
        ps.println(title);
        ps.print(table);
        Files.createDirectories(out);
        Path dotFile = out.resolve("tape.dot");
        AtomicFiles.writeString(dotFile, dot);
        ps.println("wrote " + dotFile);
        Path exe = findDot();
        if (exe == null) {
            ps.println("tape.svg: not drawn: Graphviz's dot is not on the PATH (install it: apt-get install graphviz, "
                    + "brew install graphviz, or https://graphviz.org/download/; then: dot -Tsvg " + dotFile + " -o tape.svg)");
            return;
        }
        Path svg = out.resolve("tape.svg"), temp = AtomicFiles.newTempFile(out, svg);
        try {
            Process p = new ProcessBuilder(exe.toString(), "-Tsvg", dotFile.toString(), "-o", temp.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes()).strip();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            if (!done) p.destroyForcibly();
            if (!done || p.exitValue() != 0) {
                ps.println("tape.svg: not drawn: dot " + (done ? "failed: " + log : "took over 120 s"));
                return;
            }
            Files.move(temp, svg, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            ps.println("wrote " + svg);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ps.println("tape.svg: not drawn: interrupted");
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Graphviz's dot on the PATH, or null. */
    private static Path findDot() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path exe = Path.of(dir.isEmpty() ? "." : dir, "dot");
            if (Files.isExecutable(exe) && !Files.isDirectory(exe)) return exe;
        }
        return null;
    }
}
