package dev.posenc.models.images;

import dev.posenc.core.io.Png;
import dev.posenc.core.io.Resample;
import dev.posenc.core.io.RgbImage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The images {@code posenc fit-image} can use without a file: the two kinds of Tancik et al. 2020's image
 * regression (spec §2.2), a natural photograph and text. All are square, {@code size × size}.
 * <ul>
 *   <li>{@code astronaut}: scikit-image's astronaut (NASA, public domain), shipped at 256×256
 *       ({@code images/README.md} says how it was made) and resized with {@link Resample}'s tent filter;</li>
 *   <li>{@code text}: random words drawn with Java2D from a seed ({@link TextImage}), rendered at the size asked
 *       for, not resized.</li>
 * </ul>
 */
public final class BuiltinImages {
    /** The names the CLI accepts, in the order it lists them. */
    public static final List<String> NAMES = List.of("astronaut", "text");
    /** The shipped astronaut's side; other sizes are resized from it. */
    public static final int ASTRONAUT_SIZE = 256;
    /** Rendering text beyond this is a mistake (a 4096² image is 200 MB of floats), not a wish. */
    public static final int MAX_SIZE = 4096;
    private static final String ASTRONAUT_RESOURCE = "astronaut-256.png";

    private BuiltinImages() {}

    /** The astronaut at {@code size × size}; exactly the shipped pixels at 256. */
    public static RgbImage astronaut(int size) {
        checkSize(size);
        RgbImage full;
        try (InputStream in = BuiltinImages.class.getResourceAsStream(ASTRONAUT_RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource missing from the jar: " + ASTRONAUT_RESOURCE);
            full = Png.read(in, ASTRONAUT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the built-in " + ASTRONAUT_RESOURCE, e);
        }
        return Resample.resize(full, size, size);
    }

    /** Random words at {@code size × size}; the same {@code (size, seed)} gives the same image on one machine. */
    public static RgbImage text(int size, long seed) {
        checkSize(size);
        return TextImage.render(size, seed);
    }

    /**
     * The built-in image called {@code name} (one of {@link #NAMES}); {@code seed} is used by {@code text} only.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static RgbImage byName(String name, int size, long seed) {
        return switch (name) {
            case "astronaut" -> astronaut(size);
            case "text" -> text(size, seed);
            default -> throw new IllegalArgumentException(
                    "image: expected a file or one of %s, got '%s'".formatted(String.join(", ", NAMES), name));
        };
    }

    /**
     * A built-in by name, else an image file (PNG, JPEG, ...). A name that is neither gets one message naming
     * both possibilities, because a typo in a built-in's name and a missing file look the same from here.
     */
    public static RgbImage load(String image, int size, long seed) throws IOException {
        if (NAMES.contains(image)) return byName(image, size, seed);
        Path file = Path.of(image);
        if (!Files.exists(file) && !image.contains("/") && !image.contains(".")) throw new IllegalArgumentException(
                "IMAGE: expected an image file or a built-in (%s), got '%s': no such file"
                        .formatted(String.join(", ", NAMES), image));
        return Png.read(file);
    }

    private static void checkSize(int size) {
        if (size < 2 || size > MAX_SIZE) throw new IllegalArgumentException(
                "size: expected 2 to %d pixels, got %d".formatted(MAX_SIZE, size));
    }
}
