package dev.posenc.cuda;

import dev.posenc.core.Shape;
import jcuda.Pointer;
import jcuda.driver.JCudaDriver;

/**
 * Pooled device buffers for the launch classes' scratch (split-K partials, reduction accumulators, labels) and for
 * the benchmarks and kernel tests, which work on {@link DeviceTensor}s directly. Tensors of the backend's callers
 * come from {@link CudaMemory} instead. Never run on a GPU.
 */
final class DeviceBuffers {
    private final CudaContext cx;

    DeviceBuffers(CudaContext cx) { this.cx = cx; }

    DeviceTensor allocate(Shape shape) { return new DeviceTensor(shape, cx.pool.acquire(Math.max(4, shape.size() * 4))); }

    /** Safe right after the launches that use t: the pool hands it out again only to later work on the same stream. */
    void release(DeviceTensor t) { if (t != null) cx.pool.release(t.block()); }

    /** A new device tensor holding {@code values} (tests and benchmarks). */
    DeviceTensor upload(Shape shape, float[] values) {
        if (values.length != shape.size()) throw new IllegalArgumentException(
                "values: expected %d for %s, got %d".formatted(shape.size(), shape, values.length));
        DeviceTensor t = allocate(shape);
        Cuda.check(JCudaDriver.cuMemcpyHtoD(t.ptr(), Pointer.to(values), 4L * values.length), "cuMemcpyHtoD",
                "upload " + shape);
        return t;
    }

    /** The tensor's values, after the stream's work. */
    float[] download(DeviceTensor t) {
        float[] values = new float[Math.toIntExact(t.size())];
        cx.synchronize("download " + t.shape());
        Cuda.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(values), t.ptr(), 4L * values.length), "cuMemcpyDtoH",
                "download " + t.shape());
        return values;
    }

    /** Device-to-device copy of {@code bytes} (the bandwidth yardstick of the benchmarks). */
    void copy(DeviceTensor dst, DeviceTensor src, long bytes) {
        Cuda.check(JCudaDriver.cuMemcpyDtoDAsync(dst.ptr(), src.ptr(), bytes, cx.stream), "cuMemcpyDtoDAsync",
                bytes + " bytes");
    }

    /**
     * Runs a kernel whose first argument is a double array of one partial per block ({@code c.gridX()} of them),
     * then {@code reduce_partials} adds them in a fixed order, and returns the sum (a synchronising read). Two
     * passes instead of atomics: the same bits every run.
     */
    double doubleResult(String kernel, LaunchConfig c, Pointer... rest) {
        var part = cx.pool.acquire(8L * c.gridX());
        var sum = cx.pool.acquire(8);
        try {
            cx.launch(kernel, c, prepend(Pointer.to(part.handle()), rest));
            cx.launch("reduce_partials", LaunchConfig.perRow(1), Pointer.to(sum.handle()), Pointer.to(part.handle()),
                    Args.i(c.gridX()));
            double[] result = {0};
            cx.synchronize(kernel);
            Cuda.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(result), sum.handle(), 8), "cuMemcpyDtoH", kernel);
            return result[0];
        } finally {
            cx.pool.release(part);
            cx.pool.release(sum);
        }
    }

    /**
     * Runs {@code kernel} into one double partial per block, then {@code loss_finish} writes
     * (float) (Σ partials / n) into {@code out} with one block (a fixed order of addition): the mean stays on the
     * device, nothing synchronises.
     */
    void meanInto(DeviceTensor out, double n, String kernel, LaunchConfig c, Pointer... rest) {
        var part = cx.pool.acquire(8L * c.gridX());
        cx.launch(kernel, c, prepend(Pointer.to(part.handle()), rest));
        cx.launch("loss_finish", LaunchConfig.perRow(1), out.arg(), Pointer.to(part.handle()), Args.i(c.gridX()),
                Args.d(n));
        cx.pool.release(part);   // stream order: reused only by later launches
    }

    static Pointer[] prepend(Pointer first, Pointer... rest) {
        Pointer[] args = new Pointer[rest.length + 1];
        args[0] = first;
        System.arraycopy(rest, 0, args, 1, rest.length);
        return args;
    }
}
