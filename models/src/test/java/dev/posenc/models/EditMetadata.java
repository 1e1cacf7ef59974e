package dev.posenc.models;

import dev.posenc.core.io.Safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rewrites a safetensors file with one metadata entry set: how the tests make a saved file lie. */
public final class EditMetadata {
    private EditMetadata() {}

    public static Path set(Path file, String key, String value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            Safetensors.Contents c = Safetensors.read(file, arena);
            Map<String, String> meta = new LinkedHashMap<>(c.metadata());
            meta.put(key, value);
            Safetensors.write(file, c.tensors(), meta);
        }
        return file;
    }
}
