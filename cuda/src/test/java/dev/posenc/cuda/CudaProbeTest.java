package dev.posenc.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CudaProbeTest {

    @Test
    void probeIsConsistentWhateverTheMachine() {
        CudaProbe probe = CudaProbe.run();
        assertTrue(probe.available() != !probe.reason().isBlank(), () -> "available XOR a reason, got " + probe);
        assertEquals(probe.available(), !probe.devices().isEmpty(), () -> "devices exactly when available: " + probe);
        assertFalse(probe.reason().contains("\n"), () -> "reason must be one line, got: " + probe.reason());
    }

    @Test
    void secondProbeGivesTheSameAnswer() {
        // JCuda fails differently on the second touch (NoClassDefFoundError after UnsatisfiedLinkError)
        CudaProbe first = CudaProbe.run(), second = CudaProbe.run();
        assertEquals(first.available(), second.available());
        assertEquals(first.reason(), second.reason());
    }

    @Test
    void gpuDevicesReportPlausibleFacts() {
        CudaProbe probe = CudaProbe.run();
        assumeTrue(probe.available(), probe.reason());
        for (CudaProbe.Device d : probe.devices()) {
            assertFalse(d.name().isBlank(), d::describe);
            assertTrue(d.major() >= 3, d::describe);            // no driver we can load knows older GPUs
            assertTrue(d.multiprocessors() > 0, d::describe);
            assertTrue(d.totalMemoryBytes() >= 1L << 30, d::describe);
        }
        assertTrue(probe.driverVersion() >= 12000, probe::summary);
    }

    @Test
    void describeFormatsByHand() {
        var d = new CudaProbe.Device(0, "NVIDIA H100 80GB HBM3", 9, 0, 132, 85_520_809_984L);
        assertEquals("#0 NVIDIA H100 80GB HBM3, compute capability 9.0, 132 SMs, 79.6 GiB", d.describe());
        var probe = new CudaProbe(true, "", 13000, List.of(d));
        assertEquals("1 device(s), driver CUDA 13.0\n  " + d.describe(), probe.summary());
        assertEquals("not available: no driver", new CudaProbe(false, "no driver", 0, List.of()).summary());
    }

    @Test
    void rejectsInconsistentResults() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CudaProbe(false, "", 0, List.of()));
        assertTrue(e.getMessage().startsWith("reason: expected empty exactly when available"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CudaProbe(true, "", 13000, List.of()));
    }
}
