package dev.posenc.models.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ImageSetTest {
    @TempDir Path dir;

    @Test
    void textImagesAreSuccessiveSeedsAndImageIIsTheSingleRunAtSeedPlusI() throws IOException {
        ImageSet set = ImageSet.load("text", 3, 32, 5, dir);
        assertEquals(List.of("text-5", "text-6", "text-7"), set.members().stream().map(ImageSet.Member::name).toList());
        assertEquals(List.of(5L, 6L, 7L), set.members().stream().map(ImageSet.Member::seed).toList());
        assertEquals(BuiltinImages.text(32, 6), set.members().get(1).image());
        assertNotEquals(set.members().get(0).image(), set.members().get(1).image());
        assertEquals(ImageSet.load("text", 1, 32, 6, dir).members().getFirst().image(), set.members().get(1).image());
    }

    @Test
    void singleImagesRefuseSeveralAndNaturalRefusesMoreThanItHas() {
        var one = assertThrows(IllegalArgumentException.class, () -> ImageSet.load("astronaut", 2, 32, 0, dir));
        assertTrue(one.getMessage().startsWith("--images: expected 1") && one.getMessage().contains("got 2"),
                one.getMessage());
        int n = NaturalImages.FILES.size() + 1;
        var many = assertThrows(IllegalArgumentException.class, () -> ImageSet.load("natural", n, 32, 0, dir));
        assertTrue(many.getMessage().startsWith("--images: expected 1 to " + (n - 1)), many.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageSet.load("text", 0, 32, 0, dir));
    }

    @Test
    void naturalWithoutTheDebianPackageSaysWhichPackage() {
        var e = assertThrows(IllegalArgumentException.class, () -> ImageSet.load("natural", 1, 32, 0, dir));
        assertTrue(e.getMessage().contains("python3-skimage") && e.getMessage().contains("astronaut.png"), e.getMessage());
    }

    @Test
    void naturalReadsScikitImagesPhotographs() throws IOException {
        Path debian = Path.of(NaturalImages.DEBIAN_DIR);
        assumeTrue(Files.isDirectory(debian), "python3-skimage is not installed: " + debian + " is missing");
        ImageSet set = ImageSet.load("natural", NaturalImages.FILES.size(), 32, 0, debian);
        assertEquals(List.of("astronaut", "coffee", "chelsea", "rocket"),
                set.members().stream().map(ImageSet.Member::name).toList());
        assertEquals(512, set.members().getFirst().image().width(), "the astronaut at its own 512 × 512");
        assertEquals(400, set.members().get(1).image().height(), "coffee is 400 × 600");
    }
}
