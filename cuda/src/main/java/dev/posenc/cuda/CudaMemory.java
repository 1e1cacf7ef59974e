package dev.posenc.cuda;

import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA backend's {@link TensorMemory}: regions take blocks from the context's caching pool
 * ({@link DevicePool}: after the first step no cuMemAlloc), tensors are {@link Tensor#onDevice} views at the
 * blocks' device addresses, zero is an async memset on the stream, and a copy is cuMemcpy{HtoD, DtoH, DtoD}
 * by which sides are on the device; the two crossing kinds are counted. Copies to the host synchronise first
 * (pageable memory), which is the point: a training step should make one, for its loss.
 *
 * <p>Never run on a GPU (posenc has had none): its logic is the pool's (tested) and the driver calls'.
 */
final class CudaMemory implements TensorMemory {
    private final CudaContext cx;
    private Copies copies = Copies.NONE;

    CudaMemory(CudaContext cx) { this.cx = cx; }

    /** A JCuda pointer at a tensor's device address (a zero base plus the address as byte offset). */
    static CUdeviceptr pointer(Tensor t) {
        if (!t.onDevice()) throw new IllegalArgumentException(("%s is host memory: the CUDA backend computes on "
                + "tensors from its memory() (upload host data with memory().copy or Tape.upload)").formatted(t));
        return new CUdeviceptr().withByteOffset(t.address());
    }

    /** The device address of a pool block. */
    static long address(CUdeviceptr p) { return Address.of(p); }

    /** Reads a CUdeviceptr's address: the native pointer is protected in JCuda, visible to a subclass. */
    private static final class Address extends CUdeviceptr {
        static long of(CUdeviceptr p) { return new Address(p).value(); }

        private Address(CUdeviceptr p) { super(p); }

        private long value() { return getNativePointer() + getByteOffset(); }
    }

    @Override public boolean device() { return true; }

    @Override public Region region() {
        List<DevicePool.Block<CUdeviceptr>> held = new ArrayList<>();
        return new Region() {
            @Override public Tensor zeros(Shape shape) {
                long bytes = Math.max(Tensor.ALIGNMENT, shape.size() * Float.BYTES);
                DevicePool.Block<CUdeviceptr> b = cx.pool.acquire(bytes);
                held.add(b);
                cx.zero(b.handle(), bytes, "zeros " + shape);
                return Tensor.onDevice(shape, address(b.handle()));
            }

            @Override public void close() {   // back to the pool: later work on the same stream reuses them safely
                for (var b : held) cx.pool.release(b);
                held.clear();
            }
        };
    }

    @Override public void zero(Tensor t) {
        if (t.size() > 0) cx.zero(pointer(t), t.size() * Float.BYTES, "zero " + t.shape());
    }

    @Override public void copy(Tensor dst, Tensor src) {
        if (dst.size() != src.size()) throw new IllegalArgumentException(
                "copy: src: expected %d elements (dst %s), got %s".formatted(dst.size(), dst.shape(), src.shape()));
        long bytes = dst.size() * Float.BYTES;
        if (bytes == 0) return;
        if (dst.onDevice() && src.onDevice()) {
            Cuda.check(JCudaDriver.cuMemcpyDtoDAsync(pointer(dst), pointer(src), bytes, cx.stream), "cuMemcpyDtoDAsync",
                    "copy " + dst.shape());
        } else if (dst.onDevice()) {
            cx.upload(pointer(dst), src.data(), "copy to device " + dst.shape());
            copies = copies.plusToDevice(bytes);
        } else if (src.onDevice()) {
            cx.download(dst.data(), pointer(src), "copy to host " + src.shape());
            copies = copies.plusToHost(bytes);
        } else {
            java.lang.foreign.MemorySegment.copy(src.data(), 0, dst.data(), 0, bytes);
        }
    }

    /** Counts a transfer made outside {@link #copy} (labels up, a scalar result down). */
    void countToDevice(long bytes) { copies = copies.plusToDevice(bytes); }

    void countToHost(long bytes) { copies = copies.plusToHost(bytes); }

    @Override public Copies copies() { return copies; }

    /** For {@link Pointer}-taking driver calls that need no CUdeviceptr. */
    static Pointer arg(Tensor t) { return Pointer.to(pointer(t)); }
}
