package dev.posenc.models.data;

import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class FashionMnistTest {
    @TempDir Path dir;

    @Test
    void loadsBothSplitsNormalisedAndLimited() throws IOException {
        TinyFashion.write(dir, 13, 7, 8, 1);
        try (Arena arena = Arena.ofShared()) {
            FashionMnist.Data train = FashionMnist.load(dir, FashionMnist.Split.TRAIN, 5, arena);
            FashionMnist.Data test = FashionMnist.load(dir, FashionMnist.Split.TEST, 100, arena);
            assertEquals(Shape.of(5, 8, 8), train.images().shape());
            assertEquals(7, test.size());
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (float v : train.images().toArray()) { min = Math.min(min, v); max = Math.max(max, v); }
            assertTrue(min >= -FashionMnist.MEAN / FashionMnist.STD - 1e-6, "min " + min);
            assertTrue(max <= (1 - FashionMnist.MEAN) / FashionMnist.STD + 1e-6, "max " + max);
            for (int label : train.labels()) assertTrue(label >= 0 && label < 10);
        }
    }

    @Test
    void missingDataSaysHowToGetIt() {
        IOException e = assertThrows(IOException.class,
                () -> FashionMnist.load(dir.resolve("nowhere"), FashionMnist.Split.TRAIN, 1, Arena.global()));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void bilinearResizeMatchesTorchInterpolate() {
        try (Arena arena = Arena.ofShared()) {
            // torch: F.interpolate(arange(9).reshape(1,1,3,3), size=(4,4), mode="bilinear", align_corners=False)
            float[] expected = {0f, .625f, 1.375f, 2f, 1.875f, 2.5f, 3.25f, 3.875f, 4.125f, 4.75f, 5.5f, 6.125f,
                    6f, 6.625f, 7.375f, 8f};
            Tensor in = Tensor.of(arena, Shape.of(1, 3, 3), 0, 1, 2, 3, 4, 5, 6, 7, 8);
            FashionMnist.Data out = FashionMnist.resized(new FashionMnist.Data(in, new int[] {4}), 4, arena);
            assertArrayEquals(expected, out.images().toArray(), 1e-6f);
            assertArrayEquals(new int[] {4}, out.labels());
        }
    }
}
