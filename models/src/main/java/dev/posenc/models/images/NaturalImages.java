package dev.posenc.models.images;

import dev.posenc.core.io.Png;
import dev.posenc.core.io.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small set of freely licensed colour photographs for fit-image's natural data set, read from scikit-image's
 * sample data as Debian's {@code python3-skimage} installs it ({@value #DEBIAN_DIR}), so posenc ships no
 * megabytes of photographs. Tancik et al. 2020 average over 16 DIV2K crops; these stand in for them:
 * <ul>
 *   <li>{@code astronaut.png} 512×512: Eileen Collins, NASA, public domain;</li>
 *   <li>{@code coffee.png} 400×600: Rachel Michetti, CC0;</li>
 *   <li>{@code chelsea.png} 300×451: Stefan van der Walt, CC0;</li>
 *   <li>{@code rocket.jpg} 427×640: SpaceX (DSCOVR launch), public domain.</li>
 * </ul>
 * Each is cropped to its centred square and resized by the caller ({@code ImageResize.toSquare}); at 512 the
 * astronaut is its own pixels, the other three are enlarged (so smoother than a DIV2K crop: see the README).
 */
public final class NaturalImages {
    /** Where Debian's python3-skimage puts scikit-image's sample images. */
    public static final String DEBIAN_DIR = "/usr/lib/python3/dist-packages/skimage/data";
    /** The files, in the order {@code --images N} takes them. */
    public static final List<String> FILES = List.of("astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg");

    private NaturalImages() {}

    /** The name fit-image reports for image {@code index}: its file name without the extension. */
    public static String name(int index) {
        String file = FILES.get(index);
        return file.substring(0, file.lastIndexOf('.'));
    }

    /**
     * Image {@code index} of {@link #FILES}, read from {@code dir}, at its own size.
     *
     * @throws IllegalArgumentException if the file is not there, saying which package provides it
     */
    public static RgbImage read(Path dir, int index) throws IOException {
        if (index < 0 || index >= FILES.size()) throw new IllegalArgumentException(
                "--images: expected 1 to %d natural images, got %d".formatted(FILES.size(), index + 1));
        Path file = dir.resolve(FILES.get(index));
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(("IMAGE: natural needs scikit-image's sample "
                + "images (Debian: apt install python3-skimage), got no %s").formatted(file));
        return Png.read(file);
    }
}
