package dev.posenc.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Headers written by hand to lie: each must end in the reader's own IOException, naming the file and what. */
class SafetensorsLimitsTest {
    @TempDir Path dir;

    /** A safetensors file of this JSON header (unpadded) followed by {@code dataBytes} zero bytes. */
    Path file(String json, int dataBytes) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        return Files.write(dir.resolve("hostile.safetensors"), b.array());
    }

    IOException readFails(Path file) {
        return assertThrows(IOException.class, () -> {
            try (Arena arena = Arena.ofConfined()) {
                Safetensors.read(file, arena);
            }
        });
    }

    @Test
    void deeplyNestedHeaderIsRefusedWithoutOverflowingTheStack() throws IOException {
        Path file = file("[".repeat(1_000_000), 0);  // the recursive reader overflowed even a 4 MB stack
        IOException e = readFails(file);
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("nested deeper than"),
                e.getMessage());
    }

    @Test
    void shapeWhoseSizeOverflowsIsRefusedByName() throws IOException {
        // 65536^4 = 2^64 elements: Shape's multiplyExact threw an ArithmeticException naming neither file nor tensor
        Path file = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536,65536,65536],\"data_offsets\":[0,0]}}", 0);
        IOException e = readFails(file);
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("shape"), e.getMessage());
    }

    @Test
    void unicodeEscapeAcceptsOnlyHexDigits() throws IOException {
        // Integer.parseInt("+041", 16) is 65: the sign slipped through as 'A'
        Path file = file("{\"__metadata__\":{\"k\":\"\\u+041\"}}", 0);
        assertTrue(readFails(file).getMessage().contains("\\u escape"));
    }
}
