package dev.posenc.models.nas;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** accuracy.png rendered again from a finished run's results.csv, and a foreign csv refused by name. */
class DartsReportTest {
    @TempDir Path dir;

    @Test
    void accuracyChartIsRenderedFromResultsCsvAlone() throws IOException {
        Path csv = dir.resolve("results.csv"), png = dir.resolve("accuracy.png");
        Files.writeString(csv, DartsReport.CSV_HEADER + "\n0,alpha,conv_3x3,0.5,0.65,0,1.0\n0,perturbation,skip_connect,0.4,0.6,1,2.0\n");
        DartsReport.rerenderAccuracy(csv, png);
        assertTrue(Files.size(png) > 1000, "a PNG was written");
        Files.writeString(csv, "seed,acc\n0,1\n");
        var e = assertThrows(IllegalArgumentException.class, () -> DartsReport.rerenderAccuracy(csv, png));
        assertTrue(e.getMessage().contains("expected the header " + DartsReport.CSV_HEADER), e.getMessage());
    }
}
