package dev.posenc.cuda;

import static dev.posenc.cuda.Args.f;
import static dev.posenc.cuda.Args.i;
import static dev.posenc.cuda.Args.l;

import dev.posenc.core.Shape;
import jcuda.Pointer;

/**
 * reduce.cu: row and column sums, the total and the finite check, two-pass with no atomics (deterministic).
 * Twin: ReductionCpu.
 * Launch maths only: argument order outputs, inputs, sizes, as in the .cu and the CPU twin. Shapes are checked by
 * {@link CudaBackend} (with the CPU backend's messages) before a launch; this class trusts them. Launches are
 * asynchronous on the context's stream. Never run on a GPU.
 */
final class ReduceCuda {
    private final CudaContext cx;
    private final DeviceBuffers buffers;

    ReduceCuda(CudaContext cx, DeviceBuffers buffers) {
        this.cx = cx;
        this.buffers = buffers;
    }

    void sumRows(DeviceTensor out, DeviceTensor in, float scale, boolean accumulate) {
        int r = in.rows(), c = in.cols();
        LaunchConfig pass1 = LaunchConfig.columnChunks(r, c);
        int chunks = pass1.gridY();
        DeviceTensor part = buffers.allocate(Shape.of(chunks, c));   // one partial row per row chunk: no atomics
        cx.launch("reduce_sum_rows_partial", pass1, part.arg(), in.arg(), i(r), i(c), i(LaunchConfig.rowsPerChunk(r)));
        cx.launch("reduce_finish", LaunchConfig.perElement(c), out.arg(), part.arg(), i(chunks), f(scale),
                i(accumulate ? 1 : 0), i(c));
        buffers.release(part);   // safe: the pool hands it out again only to later work on the same stream
    }

    void sumCols(DeviceTensor out, DeviceTensor in, float scale, boolean accumulate) {
        cx.launch("reduce_sum_cols", LaunchConfig.warpPerRow(in.rows()), out.arg(), in.arg(), i(in.rows()),
                i(in.cols()), f(scale), i(accumulate ? 1 : 0));
    }

    double sum(DeviceTensor in) {
        return buffers.doubleResult("reduce_sum_all", LaunchConfig.gridStride(in.size()), in.arg(), l(in.size()));
    }

    boolean allFinite(DeviceTensor in) {
        var flag = cx.pool.acquire(4);
        try {
            Cuda.check(jcuda.driver.JCudaDriver.cuMemsetD32Async(flag.handle(), 1, 1, cx.stream), "cuMemsetD32Async",
                    "all_finite flag");
            cx.launch("reduce_all_finite", LaunchConfig.gridStride(in.size()), Pointer.to(flag.handle()), in.arg(),
                    l(in.size()));
            int[] result = {0};
            cx.synchronize("reduce_all_finite");
            Cuda.check(jcuda.driver.JCudaDriver.cuMemcpyDtoH(Pointer.to(result), flag.handle(), 4), "cuMemcpyDtoH",
                    "all_finite flag");
            return result[0] == 1;
        } finally {
            cx.pool.release(flag);
        }
    }
}
