package dev.posenc.cuda;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * Every driver call in this module goes through {@link #check}: JCuda's return codes are checked here rather
 * than through {@code JCudaDriver.setExceptionsEnabled}, a JVM-wide switch a library must not flip.
 */
final class Cuda {
    private Cuda() {}

    /**
     * Throws {@link CudaError} unless {@code code} is CUDA_SUCCESS.
     *
     * @param call  the driver function, e.g. {@code "cuLaunchKernel"}
     * @param about what it served, e.g. the kernel name or {@code "alloc 4096 bytes"}
     */
    static void check(int code, String call, String about) {
        if (code != CUresult.CUDA_SUCCESS) throw new CudaError(message(code, call, about), code);
    }

    static String message(int code, String call, String about) {
        String[] text = {null};
        // the error string lookup is itself a driver call; if it fails, the code name alone has to do
        String sentence = JCudaDriver.cuGetErrorString(code, text) == CUresult.CUDA_SUCCESS && text[0] != null
                ? ": " + text[0] : "";
        return "%s (%s) returned %s%s".formatted(call, about, CUresult.stringFor(code), sentence);
    }

    static int ceilDiv(long a, int b) { return Math.toIntExact((a + b - 1) / b); }
}
