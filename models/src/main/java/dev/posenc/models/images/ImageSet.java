package dev.posenc.models.images;

import dev.posenc.core.io.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The images one fit-image run fits, as Tancik et al. 2020 average their Table 1 over 16 images per data set:
 * {@code text} is {@code count} generated images (seeds {@code seed}, {@code seed + 1}, ...), {@code natural}
 * the first {@code count} of {@link NaturalImages}, and {@code astronaut} or a file is one image. Image i's
 * network and Gaussian B are seeded with {@code seed + i} too, so one image at seed s is exactly the
 * single-image run at {@code --seed s}.
 *
 * @param source  what the user named: {@code text}, {@code natural}, {@code astronaut} or a file
 * @param members the images in order, at their own size (the caller crops and resizes)
 */
public record ImageSet(String source, List<Member> members) {
    /** One image: the name fit-image reports it by, and the seed of its fit. */
    public record Member(String name, long seed, RgbImage image) {}

    /** The sets that hold more than one image; everything else is one image. */
    public static final List<String> SETS = List.of("text", "natural");

    public ImageSet {
        members = List.copyOf(members);
        if (members.isEmpty()) throw new IllegalArgumentException("images: expected at least one, got none");
    }

    /**
     * Loads {@code count} images of {@code source}; {@code text} is rendered at {@code size}, the others are read
     * at their own size. {@code naturalDir} is where {@link NaturalImages} are read from.
     *
     * @throws IllegalArgumentException naming {@code --images} when {@code source} has fewer than {@code count}
     */
    public static ImageSet load(String source, int count, int size, long seed, Path naturalDir) throws IOException {
        if (count < 1) throw new IllegalArgumentException("--images: expected at least 1, got " + count);
        List<Member> members = new ArrayList<>(count);
        switch (source) {
            case "text" -> {
                for (int i = 0; i < count; i++) {
                    members.add(new Member("text-" + (seed + i), seed + i, BuiltinImages.text(size, seed + i)));
                }
            }
            case "natural" -> {
                if (count > NaturalImages.FILES.size()) throw new IllegalArgumentException(
                        "--images: expected 1 to %d for natural (%s), got %d".formatted(NaturalImages.FILES.size(),
                                String.join(", ", NaturalImages.FILES), count));
                for (int i = 0; i < count; i++) {
                    members.add(new Member(NaturalImages.name(i), seed + i, NaturalImages.read(naturalDir, i)));
                }
            }
            default -> {
                if (count != 1) throw new IllegalArgumentException(("--images: expected 1 for a single image "
                        + "(%s); text and natural hold several, got %d").formatted(source, count));
                // BuiltinImages names only its own built-ins when the name is neither one nor a file
                if (!BuiltinImages.NAMES.contains(source) && !Files.exists(Path.of(source)) && !source.contains("/")
                        && !source.contains(".")) throw new IllegalArgumentException(("IMAGE: expected an image file, "
                        + "a built-in (%s) or a set (%s), got '%s': no such file").formatted(
                        String.join(", ", BuiltinImages.NAMES), String.join(", ", SETS), source));
                members.add(new Member(source, seed, BuiltinImages.load(source, size, seed)));
            }
        }
        return new ImageSet(source, members);
    }

    public int size() { return members.size(); }
}
