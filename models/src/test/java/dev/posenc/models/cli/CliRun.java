package dev.posenc.models.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.io.IOException;

/** One CLI run in this JVM, as the hostile-input tests use it: exit code and what it printed. */
record CliRun(int exit, String out, String err) {
    String describe() { return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err; }

    static CliRun of(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** Overwrites the first float of the first tensor of a safetensors file with {@code value} (a NaN model). */
    static void poisonFirstFloat(Path safetensors, float value) throws IOException {
        try (FileChannel ch = FileChannel.open(safetensors, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long dataStart = 8 + len.getLong(0);
            ByteBuffer f = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, value);
            ch.write(f, dataStart);
        }
    }
}
