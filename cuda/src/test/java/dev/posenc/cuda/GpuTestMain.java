package dev.posenc.cuda;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs the cuda module's tests without Maven, for the device round (bench/gpu-round.sh): a jlink'd runtime and
 * the jars are all there is on the GPU machine. Prints JUnit's summary and every failure; throws (so the JVM
 * exits non-zero) when a test failed. Skips count separately: on a GPU machine there should be none.
 */
public final class GpuTestMain {
    private GpuTestMain() {}

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(
                selectClass(CudaProbeTest.class), selectClass(DeviceKernelsTest.class),
                selectClass(BackendConformanceTest.class), selectClass(KernelResourcesTest.class),
                selectClass(FftCudaTest.class), selectClass(DeviceResidencyTest.class)).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printTo(out);
        summary.printFailuresTo(out, 20);
        if (summary.getTotalFailureCount() > 0) throw new AssertionError(summary.getTotalFailureCount() + " GPU test(s) failed");
    }
}
