package dev.posenc.cuda;

import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * A {@link CudaBackend} call's device operands. A tensor from {@link CudaBackend#memory()} is passed by its
 * address: nothing moves. A host tensor (from a command not yet moved to backend memory) is staged: copied up to
 * a pooled block, and back if the call writes it; every such copy is counted in {@code memory().copies()}, so a
 * step that stages shows it. The {@code int[]} labels of the losses are always uploaded (counted).
 * Never run on a GPU.
 */
final class Staging implements AutoCloseable {
    private final List<DeviceTensor> held = new ArrayList<>();
    private final List<Tensor> hostOut = new ArrayList<>();
    private final List<DeviceTensor> devOut = new ArrayList<>();
    private final CudaContext cx;
    private final DeviceBuffers buffers;
    private final CudaMemory memory;
    private final String op;

    Staging(CudaContext cx, DeviceBuffers buffers, CudaMemory memory, String op) {
        this.cx = cx;
        this.buffers = buffers;
        this.memory = memory;
        this.op = op;
    }

    DeviceTensor in(Tensor t) { return t == null ? null : t.onDevice() ? view(t) : stage(t, true, false); }

    /** A pure output: a host one is downloaded at close, not uploaded. */
    DeviceTensor out(Tensor t) { return t.onDevice() ? view(t) : stage(t, false, true); }

    /** Read and written (accumulated gradients, Adam's state). */
    DeviceTensor inOut(Tensor t) { return t == null ? null : t.onDevice() ? view(t) : stage(t, true, true); }

    private DeviceTensor view(Tensor t) {
        return new DeviceTensor(t.shape(), new DevicePool.Block<>(CudaMemory.pointer(t), t.size() * Float.BYTES));
    }

    private DeviceTensor stage(Tensor t, boolean up, boolean down) {
        DeviceTensor d = buffers.allocate(t.shape());
        held.add(d);
        if (up && t.size() > 0) {
            cx.upload(d.ptr(), t.data(), op);
            memory.countToDevice(t.size() * Float.BYTES);
        }
        if (down) {
            hostOut.add(t);
            devOut.add(d);
        }
        return d;
    }

    /** An int[] of class indices, uploaded as the float indices loss.cu reads (the form of a label tensor). */
    CUdeviceptr labels(int[] labels) {
        DeviceTensor d = buffers.allocate(Shape.of(labels.length));
        held.add(d);
        float[] asFloat = new float[labels.length];
        for (int i = 0; i < labels.length; i++) asFloat[i] = labels[i];   // checked < C < 2²⁴: exact
        Cuda.check(JCudaDriver.cuMemcpyHtoD(d.ptr(), Pointer.to(asFloat), 4L * labels.length), "cuMemcpyHtoD", op);
        memory.countToDevice(4L * labels.length);
        return d.ptr();
    }

    /** A scalar result came back to Java (a sum, a loss, a flag). */
    <T> T scalar(T value, int bytes) {
        memory.countToHost(bytes);
        return value;
    }

    @Override public void close() {
        try {
            for (int i = 0; i < hostOut.size(); i++) {
                Tensor t = hostOut.get(i);
                if (t.size() == 0) continue;
                cx.download(t.data(), devOut.get(i).ptr(), op);
                memory.countToHost(t.size() * Float.BYTES);
            }
        } finally {
            for (DeviceTensor d : held) buffers.release(d);
        }
    }
}
