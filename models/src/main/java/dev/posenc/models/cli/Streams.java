package dev.posenc.models.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** A command's {@link PrintWriter} as the {@link PrintStream} the report classes print to (UTF-8, flushed through). */
public final class Streams {
    private Streams() {}

    public static PrintStream of(PrintWriter writer) {
        OutputStream bytes = new OutputStream() {
            private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

            @Override public void write(int b) { pending.write(b); }

            @Override public void write(byte[] b, int off, int len) { pending.write(b, off, len); }

            @Override public void flush() {   // whole UTF-8 sequences: PrintStream flushes after complete strings
                writer.print(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
                writer.flush();
            }
        };
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
