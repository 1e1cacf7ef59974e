package dev.posenc.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT;
import static jcuda.driver.CUresult.CUDA_SUCCESS;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Whether a CUDA GPU is usable here, and if not, exactly why. Asks the driver API through JCuda
 * (cuInit, cuDriverGetVersion, cuDeviceGetCount, then per device its name, compute capability,
 * multiprocessor count and memory); needs only {@code libcuda.so.1}, nothing from the CUDA toolkit.
 *
 * <p>It first asks the dynamic loader for {@code libcuda.so.1}, the usual reason for no GPU. Then the ways
 * JCuda fails (toolchain.md §4): a JNI library that does not link gives an
 * {@link UnsatisfiedLinkError} on the first touch of {@link JCudaDriver} and a {@link NoClassDefFoundError}
 * on every later one; a driver without a usable device returns an error code from cuInit
 * (e.g. CUDA_ERROR_NO_DEVICE). JCuda's messages run to dozens of lines of nested traces, so only the first
 * line is kept. Return codes are checked here rather than through {@code setExceptionsEnabled}, a
 * JVM-wide switch this probe has no business flipping.
 *
 * @param available true when at least one device answered every query
 * @param reason    why no GPU is usable; empty exactly when {@code available}
 * @param driverVersion the driver's CUDA version as the driver encodes it (1000·major + 10·minor), 0 if unknown
 * @param devices   the devices found, in driver order; empty when not {@code available}
 */
public record CudaProbe(boolean available, String reason, int driverVersion, List<Device> devices) {
    /** The driver API's library, installed with the NVIDIA driver (not the toolkit). */
    static final String DRIVER_LIBRARY = "libcuda.so.1";

    /** One GPU as the driver reports it. {@code totalMemoryBytes} is the whole device memory, not what is free. */
    public record Device(int ordinal, String name, int major, int minor, int multiprocessors, long totalMemoryBytes) {
        /** e.g. {@code "9.0"}. */
        public String computeCapability() { return major + "." + minor; }

        /** e.g. {@code "#0 NVIDIA H100 80GB HBM3, compute capability 9.0, 132 SMs, 79.1 GiB"}. */
        public String describe() {
            return "#%d %s, compute capability %s, %d SMs, %.1f GiB".formatted(ordinal, name, computeCapability(),
                    multiprocessors, totalMemoryBytes / (double) (1L << 30));
        }
    }

    public CudaProbe {
        if (available != reason.isEmpty()) throw new IllegalArgumentException(
                "reason: expected empty exactly when available (available=%b), got \"%s\"".formatted(available, reason));
        if (available && devices.isEmpty()) throw new IllegalArgumentException(
                "devices: expected at least one when available, got none");
        devices = List.copyOf(devices);
    }

    /** Asks the driver now. Never throws for a missing or broken CUDA installation: that is the answer. */
    public static CudaProbe run() {
        // Ask the dynamic loader first: JCuda's own link error hides this cause in a nested trace that the JVM
        // truncates when it re-reports a failed class initialization, so later probes could not say it.
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(DRIVER_LIBRARY, arena);
        } catch (IllegalArgumentException e) {
            return unavailable("no NVIDIA driver: the dynamic loader cannot open " + DRIVER_LIBRARY, 0);
        }
        try {
            return query();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            // libcuda.so.1 opened, yet JCuda's JNI library did not link (e.g. a missing libstdc++.so.6)
            return unavailable("JCuda could not load the CUDA driver: " + linkFailure(e), 0);
        } catch (CudaException e) {
            return unavailable("CUDA driver error: " + firstLine(e), 0);
        }
    }

    /** The result in one line, for {@code ./posenc info}. */
    public String summary() {
        if (!available) return "not available: " + reason;
        var sb = new StringBuilder("%d device(s), driver CUDA %s".formatted(devices.size(), driverVersionString()));
        for (Device d : devices) sb.append("\n  ").append(d.describe());
        return sb.toString();
    }

    /** e.g. {@code "13.0"}, or {@code "unknown"}. */
    public String driverVersionString() {
        return driverVersion <= 0 ? "unknown" : (driverVersion / 1000) + "." + (driverVersion % 1000) / 10;
    }

    private static CudaProbe query() {
        int code = JCudaDriver.cuInit(0);
        int[] version = {0};
        // cuDriverGetVersion works before and without a successful cuInit, so it can explain a failure
        int driverVersion = JCudaDriver.cuDriverGetVersion(version) == CUDA_SUCCESS ? version[0] : 0;
        if (code != CUDA_SUCCESS) return unavailable(failed("cuInit", code), driverVersion);
        int[] count = {0};
        code = JCudaDriver.cuDeviceGetCount(count);
        if (code != CUDA_SUCCESS) return unavailable(failed("cuDeviceGetCount", code), driverVersion);
        if (count[0] == 0) return unavailable("the CUDA driver reports no device", driverVersion);

        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            CUdevice dev = new CUdevice();
            byte[] name = new byte[256];
            int[] major = {0}, minor = {0}, sms = {0};
            long[] mem = {0};
            if ((code = JCudaDriver.cuDeviceGet(dev, i)) != CUDA_SUCCESS
                    || (code = JCudaDriver.cuDeviceGetName(name, name.length, dev)) != CUDA_SUCCESS
                    || (code = JCudaDriver.cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev)) != CUDA_SUCCESS
                    || (code = JCudaDriver.cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev)) != CUDA_SUCCESS
                    || (code = JCudaDriver.cuDeviceGetAttribute(sms, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev)) != CUDA_SUCCESS
                    || (code = JCudaDriver.cuDeviceTotalMem(mem, dev)) != CUDA_SUCCESS) {
                return unavailable("device %d: %s".formatted(i, failed("query", code)), driverVersion);
            }
            devices.add(new Device(i, cString(name), major[0], minor[0], sms[0], mem[0]));
        }
        return new CudaProbe(true, "", driverVersion, devices);
    }

    private static CudaProbe unavailable(String reason, int driverVersion) {
        return new CudaProbe(false, reason, driverVersion, List.of());
    }

    private static String failed(String call, int code) {
        return call + " returned " + CUresult.stringFor(code);
    }

    /** The driver writes a NUL-terminated C string into the buffer. */
    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * JCuda's message opens with {@code Error while loading native library "JCudaDriver-..."} and buries the
     * cause (e.g. {@code libstdc++.so.6: cannot open shared object file: No such file or directory}) in a
     * nested trace. Later calls see only NoClassDefFoundError, whose cause holds a truncated copy, so this
     * digs through the whole chain and falls back to the first line.
     */
    private static String linkFailure(Throwable e) {
        String cause = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (String line : String.valueOf(t.getMessage()).lines().toList()) {
                int so = line.indexOf(".so: ");
                if (line.startsWith("java.lang.UnsatisfiedLinkError: ") && so >= 0) cause = line.substring(so + 5).strip();
            }
        }
        return cause != null ? cause : firstLine(e);
    }

    private static String firstLine(Throwable e) {
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        return e.getClass().getSimpleName() + ": " + first;
    }
}
