package dev.posenc.core.io;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {
    @TempDir Path dir;

    @Test
    void roundTripKeepsValuesShapesOrderAndMetadata() throws IOException {
        Path file = dir.resolve("model.safetensors");
        try (Arena arena = Arena.ofShared()) {
            Rng rng = new Rng(3);
            SequencedMap<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("w", rng.normal(arena, Shape.of(5, 3)));
            tensors.put("b", rng.normal(arena, Shape.of(17)));
            tensors.put("scalar", Tensor.of(arena, Shape.of(), 2.5f));
            tensors.put("empty", Tensor.zeros(arena, Shape.of(0, 4)));
            Map<String, String> meta = Map.of("step", "12", "note", "quote \" and \\ and\nnewline, ünïcode");
            Safetensors.write(file, tensors, meta);
            assertEquals(0, (Files.size(file) - 8 - headerLength(file)) % 4);
            assertEquals(0, (8 + headerLength(file)) % 8, "data must start 8-byte aligned");

            var read = Safetensors.read(file, arena);
            assertEquals(tensors.keySet().stream().toList(), read.tensors().keySet().stream().toList());
            for (var kv : tensors.entrySet()) {
                Tensor back = read.get(kv.getKey());
                assertEquals(kv.getValue().shape(), back.shape(), kv.getKey());
                assertArrayEquals(kv.getValue().toArray(), back.toArray(), kv.getKey());
            }
            assertEquals(meta, read.metadata());
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count(), "no temporary file may be left behind");
            }
        }
    }

    @Test
    void readsAFileWrittenByHand() throws IOException {
        // Two tensors: a (2,) = [1, -2] and b (1, 1) = [0.5]; little-endian float32 bytes written out by hand.
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[8,12]},"
                + " \"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] data = {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, (byte) 0xc0, 0, 0, 0, 0x3f};
        Path file = writeRaw(json, data);
        try (Arena arena = Arena.ofShared()) {
            var read = Safetensors.read(file, arena);
            assertArrayEquals(new float[] {1f, -2f}, read.get("a").toArray());
            assertEquals(Shape.of(1, 1), read.get("b").shape());
            assertEquals(0.5f, read.get("b").get(0));
            assertEquals(Map.of("format", "pt"), read.metadata());
            var missing = assertThrows(IllegalArgumentException.class, () -> read.get("c"));
            assertTrue(missing.getMessage().contains("'c'"), missing.getMessage());
        }
    }

    @Test
    void headerLengthBeyondTheFileIsRejected() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put("{}      ".getBytes());
        Path file = dir.resolve("long.safetensors");
        Files.write(file, b.array());
        assertCorrupt(file, "header length 1000 is beyond the file");
    }

    @Test
    void fileShorterThanTheLengthFieldIsRejected() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertCorrupt(file, "shorter than the 8-byte header length");
    }

    @Test
    void badJsonIsRejected() throws IOException {
        assertCorrupt(writeRaw("{\"a\": {\"dtype\": \"F32\", ", new byte[0]), "bad JSON header");
        assertCorrupt(writeRaw("[1, 2]", new byte[0]), "not a JSON object");
    }

    @Test
    void offsetsOutOfRangeAreRejected() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}";
        assertCorrupt(writeRaw(json, new byte[8]), "data_offsets [0, 12] out of range [0, 8]");
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertCorrupt(writeRaw(json, new byte[12]), "overlap");
    }

    @Test
    void holesInTheDataAreRejected() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertCorrupt(writeRaw(json, new byte[8]), "hole in the data: bytes [0, 4)");
    }

    @Test
    void otherDtypesAreRejectedByName() throws IOException {
        String json = "{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
        assertCorrupt(writeRaw(json, new byte[4]), "dtype BF16 is not supported, only F32");
    }

    @Test
    void shapeThatDisagreesWithTheBytesIsRejected() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}";
        assertCorrupt(writeRaw(json, new byte[20]), "shape (2, 3) needs 24 bytes, data_offsets give 20");
    }

    @Test
    void truncatedDataIsRejected() throws IOException {
        Path file = dir.resolve("t.safetensors");
        try (Arena arena = Arena.ofShared()) {
            SequencedMap<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("x", new Rng(1).normal(arena, Shape.of(7, 3)));
            Safetensors.write(file, tensors, Map.of());
        }
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 5));
        assertCorrupt(file, "out of range");
    }

    private Path writeRaw(String json, byte[] data) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        Path file = Files.createTempFile(dir, "hand", ".safetensors");
        Files.write(file, b.array());
        return file;
    }

    private static long headerLength(Path file) throws IOException {
        byte[] first = new byte[8];
        try (var in = Files.newInputStream(file)) {
            assertEquals(8, in.read(first));
        }
        return ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static void assertCorrupt(Path file, String expectedFragment) {
        try (Arena arena = Arena.ofConfined()) {
            IOException e = assertThrows(IOException.class, () -> Safetensors.read(file, arena));
            assertTrue(e.getMessage().contains(expectedFragment),
                    () -> "expected the message to contain '" + expectedFragment + "', got: " + e.getMessage());
        }
    }
}
