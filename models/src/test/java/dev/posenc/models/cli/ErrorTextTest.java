package dev.posenc.models.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Error messages reach the terminal as text: control characters that came from a file (an escape sequence
 * in metadata, a NUL) are shown escaped, and the launcher's stderr filter passes any byte through
 * (issue 10, finding 8).
 */
class ErrorTextTest {
    /** A command whose error echoes hostile file content, as a reader's message might. */
    @Command(name = "echo-hostile")
    static final class Hostile implements BackendCommand {
        @Override public int run(RunContext context) {
            throw new IllegalArgumentException("model x.safetensors: key '\u001b[2J\u0000evil\r\nline\u009b' \ttabbed");
        }
    }

    @Test
    void controlCharactersInAnErrorAreShownEscaped() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        cl.addSubcommand(new Hostile());
        cl.setErr(new PrintWriter(err, true));
        assertEquals(1, cl.execute("echo-hostile"));
        String e = err.toString();
        assertTrue(e.contains("key '\\x1b[2J\\x00evil\\r\\nline\\x9b' \ttabbed"), e);
        assertEquals(1, e.lines().count(), () -> "one line: " + e);
        assertTrue(e.chars().noneMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t'), e);
    }

    @Test
    void theEscapeIsPlainForPrintableText() {
        assertEquals("σ ≥ 0, 'ok'\tyes", ErrorText.printable("σ ≥ 0, 'ok'\tyes"));
        assertEquals("a\\x7fb\\x00", ErrorText.printable("a\u007fb\u0000"));
    }

    @Test
    void theLaunchersFilterPassesBinaryLinesAndDropsOnlyTheWarning() throws IOException, InterruptedException {
        Path launcher = Path.of("..", "posenc");
        Assumptions.assumeTrue(Files.isRegularFile(launcher), "runs from the models module of a checkout");
        String script = Files.readString(launcher);
        Matcher warning = Pattern.compile("(?m)^INCUBATOR_WARNING=.*$").matcher(script);
        Matcher filter = Pattern.compile("(?m)^drop_incubator_warning\\(\\) \\{.*\\}$").matcher(script);
        assertTrue(warning.find() && filter.find(), "the launcher defines INCUBATOR_WARNING and drop_incubator_warning");
        String bash = warning.group() + "\n" + filter.group() + "\n"
                + "printf 'posenc render: bad key a\\0b\\nWARNING: Using incubator modules: jdk.incubator.vector\\nnext\\n'"
                + " | drop_incubator_warning\n";
        Process p = new ProcessBuilder("bash", "-c", bash).redirectErrorStream(true).start();
        byte[] got = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals("posenc render: bad key a\0b\nnext\n", new String(got, StandardCharsets.ISO_8859_1));
        assertFalse(script.contains("grep --line-buffered -v"), "grep without -a treats a NUL as binary");
    }
}
