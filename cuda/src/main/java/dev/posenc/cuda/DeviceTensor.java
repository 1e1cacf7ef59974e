package dev.posenc.cuda;

import dev.posenc.core.Shape;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * A float32 row-major tensor in device memory: a shape over a pooled block it borrows. The holder returns
 * the block with {@link DeviceBuffers#release}; a DeviceTensor itself holds no math.
 */
record DeviceTensor(Shape shape, DevicePool.Block<CUdeviceptr> block) {
    DeviceTensor {
        if (block.bytes() < shape.size() * Float.BYTES) throw new IllegalArgumentException(
                "block: expected >= %d bytes for %s, got %d".formatted(shape.size() * Float.BYTES, shape, block.bytes()));
    }

    public CUdeviceptr ptr() { return block.handle(); }

    public long size() { return shape.size(); }

    public long bytes() { return shape.size() * Float.BYTES; }

    public int rows() { return shape.rows(); }

    public int cols() { return shape.cols(); }

    /** The kernel argument: a pointer to the device pointer. */
    Pointer arg() { return Pointer.to(block.handle()); }

    /** The kernel argument for an optional tensor: NULL when absent. */
    static Pointer argOrNull(DeviceTensor t) { return t == null ? Pointer.to(new CUdeviceptr()) : t.arg(); }
}
