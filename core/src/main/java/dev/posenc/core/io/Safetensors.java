package dev.posenc.core.io;

import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Reads and writes Hugging Face safetensors files holding float32 tensors.
 *
 * <p>Layout: an 8-byte little-endian header length {@code n}; {@code n} bytes of UTF-8 JSON,
 * {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ..., "__metadata__": {..}}},
 * padded with spaces so the data starts on a multiple of 8; then the raw little-endian data, the offsets
 * counted from its start. The data must be covered exactly: no overlaps, no holes (as the format says).
 *
 * <p>Writes are atomic: a temporary file in the same folder, forced to disk, then renamed over the target,
 * so a crash leaves either the old file or the new one, never half of one. Corrupt input is rejected with an
 * {@link IOException} that says what is wrong and where. The JSON reader below understands exactly the
 * JSON that headers use (objects, arrays, strings, integers), so core needs no JSON library.
 */
public final class Safetensors {
    private Safetensors() {}

    /** Tensors in file order, and the free-form string metadata ({@code __metadata__}, empty if absent). */
    public record Contents(SequencedMap<String, Tensor> tensors, Map<String, String> metadata) {
        /** The tensor called {@code name}; throws naming the tensors present if there is none. */
        public Tensor get(String name) {
            Tensor t = tensors.get(name);
            if (t == null) throw new IllegalArgumentException(
                    "safetensors: no tensor '%s'; present: %s".formatted(name, tensors.keySet()));
            return t;
        }
    }

    private static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final String METADATA = "__metadata__";
    /** Headers larger than this are refused before being read: a corrupt length must not allocate gigabytes. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final int WRITE_CHUNK_FLOATS = 1 << 18;

    /** Reads every tensor of {@code file} into new tensors allocated in {@code arena}. */
    public static Contents read(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena map = Arena.ofConfined()) {
            long fileSize = ch.size();
            if (fileSize < 8) throw corrupt(file, "file is %d bytes, shorter than the 8-byte header length".formatted(fileSize));
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, fileSize, map);
            long headerLen = all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLen < 2 || headerLen > MAX_HEADER_BYTES || headerLen > fileSize - 8) throw corrupt(file,
                    "header length %d is beyond the file (%d bytes after the length field)".formatted(headerLen, fileSize - 8));
            String json = new String(all.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            MemorySegment data = all.asSlice(8 + headerLen);
            Object parsed;
            try {
                parsed = new JsonReader(json).readDocument();
            } catch (IllegalArgumentException e) {
                throw corrupt(file, "bad JSON header: " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> header)) throw corrupt(file, "header is not a JSON object");
            return decode(file, header, data, arena);
        }
    }

    private static Contents decode(Path file, Map<?, ?> header, MemorySegment data, Arena arena) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        record Entry(String name, Shape shape, long begin, long end) {}
        List<Entry> entries = new ArrayList<>();
        for (var e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                if (!(e.getValue() instanceof Map<?, ?> m)) throw corrupt(file, "__metadata__ is not an object");
                for (var kv : m.entrySet()) {
                    if (!(kv.getValue() instanceof String v)) throw corrupt(file,
                            "__metadata__ value of '%s' is not a string".formatted(kv.getKey()));
                    metadata.put((String) kv.getKey(), v);
                }
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> info)) throw corrupt(file, "tensor '%s': entry is not an object".formatted(name));
            Object dtype = info.get("dtype");
            if (!"F32".equals(dtype)) throw corrupt(file,
                    "tensor '%s': dtype %s is not supported, only F32".formatted(name, dtype));
            long[] dims = longs(file, name, "shape", info.get("shape"), -1);
            long[] offsets = longs(file, name, "data_offsets", info.get("data_offsets"), 2);
            int[] intDims = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] > Integer.MAX_VALUE) throw corrupt(file, "tensor '%s': dimension %d too large".formatted(name, dims[i]));
                intDims[i] = (int) dims[i];
            }
            // multiplied here, not by Shape: a product past 2^63 must be refused by name, not wrap or throw unnamed
            String field = "tensor '%s': shape %s".formatted(name, Arrays.toString(dims));
            long bytes = SizeCheck.product(file, field, SizeCheck.product(file, field, dims), Float.BYTES);
            Shape shape = Shape.of(intDims);
            long begin = offsets[0], end = offsets[1];
            if (begin > end || end > data.byteSize()) throw corrupt(file,
                    "tensor '%s': data_offsets [%d, %d] out of range [0, %d]".formatted(name, begin, end, data.byteSize()));
            if (end - begin != bytes) throw corrupt(file,
                    "tensor '%s': shape %s needs %d bytes, data_offsets give %d".formatted(name, shape, bytes, end - begin));
            entries.add(new Entry(name, shape, begin, end));
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin));
        long covered = 0;
        for (Entry e : byOffset) {
            if (e.begin < covered) throw corrupt(file, "tensor '%s': data_offsets [%d, %d] overlap another tensor (ending at %d)"
                    .formatted(e.name, e.begin, e.end, covered));
            if (e.begin > covered) throw corrupt(file, "hole in the data: bytes [%d, %d) belong to no tensor".formatted(covered, e.begin));
            covered = e.end;
        }
        if (covered != data.byteSize()) throw corrupt(file,
                "data is %d bytes but the tensors cover %d".formatted(data.byteSize(), covered));
        SequencedMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            Tensor t = Tensor.zeros(arena, e.shape);
            // The file is little-endian; the copy converts to native order if that differs.
            MemorySegment.copy(data, LE_FLOAT, e.begin, t.data(), ValueLayout.JAVA_FLOAT_UNALIGNED, 0, t.size());
            tensors.put(e.name, t);
        }
        return new Contents(tensors, metadata);
    }

    private static long[] longs(Path file, String tensor, String field, Object value, int expectedLength) throws IOException {
        if (!(value instanceof List<?> list) || (expectedLength >= 0 && list.size() != expectedLength)) throw corrupt(file,
                "tensor '%s': %s must be a list of %s integers, got %s".formatted(tensor, field,
                        expectedLength < 0 ? "non-negative" : String.valueOf(expectedLength), value));
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0) throw corrupt(file,
                    "tensor '%s': %s[%d] must be a non-negative integer, got %s".formatted(tensor, field, i, list.get(i)));
            out[i] = l;
        }
        return out;
    }

    private static IOException corrupt(Path file, String what) {
        return new IOException("safetensors %s: %s".formatted(file, what));
    }

    /**
     * Writes {@code tensors} (in map order) and {@code metadata} to {@code file} atomically, replacing it if
     * it exists. Reads the tensors, modifies nothing else.
     */
    public static void write(Path file, SequencedMap<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(quote(METADATA)).append(":{");
            String sep = "";
            for (var kv : metadata.entrySet()) {
                json.append(sep).append(quote(kv.getKey())).append(':').append(quote(kv.getValue()));
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (var kv : tensors.entrySet()) {
            if (kv.getKey().equals(METADATA)) throw new IllegalArgumentException("tensors: the name __metadata__ is reserved");
            Tensor t = kv.getValue();
            long bytes = t.size() * Float.BYTES;
            json.append(json.length() > 1 ? "," : "").append(quote(kv.getKey()))
                    .append(":{\"dtype\":\"F32\",\"shape\":[");
            for (int i = 0; i < t.rank(); i++) json.append(i == 0 ? "" : ",").append(t.shape().dim(i));
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8; // the data then starts 8-byte aligned, as the format asks
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(header);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        // through AtomicFiles: the rename, the temporary file's removal at exit, and errors that name the file
        AtomicFiles.write(file, out -> {
            out.write(head.array(), 0, head.limit());
            byte[] chunk = new byte[WRITE_CHUNK_FLOATS * Float.BYTES];
            MemorySegment chunkSeg = MemorySegment.ofArray(chunk);
            for (Tensor t : tensors.values()) {
                for (long i = 0; i < t.size(); i += WRITE_CHUNK_FLOATS) {
                    int n = (int) Math.min(WRITE_CHUNK_FLOATS, t.size() - i);
                    MemorySegment.copy(t.data(), ValueLayout.JAVA_FLOAT_UNALIGNED, i * Float.BYTES, chunkSeg, LE_FLOAT, 0, n);
                    out.write(chunk, 0, n * Float.BYTES);
                }
            }
        });
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append("\\u%04x".formatted((int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * A recursive-descent reader for the JSON in headers: objects (as insertion-ordered maps), arrays (lists),
     * strings, integers (Long), true/false/null. Fractions and exponents are refused: headers never have them.
     * Errors are {@link IllegalArgumentException}s naming the character position. Nesting is limited to
     * {@value #MAX_DEPTH} levels: the format needs three (header, tensor, shape), and an unbounded recursion
     * let {@code [} × 10000 overflow the stack.
     */
    static final class JsonReader {
        static final int MAX_DEPTH = 8;
        private static final String HEX = "0123456789abcdef"; // not Character.digit: it takes any script's digits
        private final String s;
        private int pos, depth;

        JsonReader(String s) { this.s = s; }

        Object readDocument() {
            Object v = readValue();
            skipSpace();
            if (pos != s.length()) throw error("trailing characters");
            return v;
        }

        private Object readValue() {
            skipSpace();
            if (pos >= s.length()) throw error("unexpected end");
            char c = s.charAt(pos);
            if ((c == '{' || c == '[') && depth == MAX_DEPTH) throw error("nested deeper than %d levels".formatted(MAX_DEPTH));
            return switch (c) {
                case '{' -> readObject();
                case '[' -> readArray();
                case '"' -> readString();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield readInteger();
                    throw error("unexpected '" + c + "'");
                }
            };
        }

        private Map<String, Object> readObject() {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++; // '{'
            depth++;
            skipSpace();
            if (peek() == '}') { pos++; depth--; return m; }
            while (true) {
                skipSpace();
                if (peek() != '"') throw error("expected a string key");
                String key = readString();
                skipSpace();
                expect(':');
                if (m.put(key, readValue()) != null) throw error("duplicate key '" + key + "'");
                skipSpace();
                if (peek() == ',') { pos++; continue; }
                expect('}');
                depth--;
                return m;
            }
        }

        private List<Object> readArray() {
            List<Object> list = new ArrayList<>();
            pos++; // '['
            depth++;
            skipSpace();
            if (peek() == ']') { pos++; depth--; return list; }
            while (true) {
                list.add(readValue());
                skipSpace();
                if (peek() == ',') { pos++; continue; }
                expect(']');
                depth--;
                return list;
            }
        }

        private String readString() {
            pos++; // opening quote
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                if (pos >= s.length()) throw error("unterminated escape");
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("short \\u escape");
                        int code = 0;
                        for (int i = 0; i < 4; i++) { // not Integer.parseInt: it takes a sign
                            int digit = HEX.indexOf(Character.toLowerCase(s.charAt(pos + i)));
                            if (digit < 0) throw error("bad \\u escape");
                            code = code << 4 | digit;
                        }
                        b.append((char) code);
                        pos += 4;
                    }
                    default -> throw error("bad escape '\\" + e + "'");
                }
            }
        }

        private Long readInteger() {
            int start = pos;
            if (peek() == '-') pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            if (pos < s.length() && (s.charAt(pos) == '.' || s.charAt(pos) == 'e' || s.charAt(pos) == 'E'))
                throw error("only integers are expected in a header");
            try {
                return Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException ex) {
                throw error("bad integer '" + s.substring(start, pos) + "'");
            }
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) throw error("unexpected token");
            pos += word.length();
            return value;
        }

        private void skipSpace() {
            while (pos < s.length() && " \t\n\r".indexOf(s.charAt(pos)) >= 0) pos++;
        }

        private char peek() { return pos < s.length() ? s.charAt(pos) : '\0'; }

        private void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("%s at character %d".formatted(what, pos));
        }
    }
}
