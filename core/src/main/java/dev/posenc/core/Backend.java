package dev.posenc.core;

/**
 * Where tensors are computed. The CPU backend ({@code dev.posenc.kernels.CpuBackend}) and the CUDA
 * backend implement it; autograd and models see only this interface. The kernels are grouped by family
 * so that no interface grows past a screen. A backend owns its worker threads (or GPU context): close it
 * when done. One is built explicitly by the caller (the CLI's {@code --backend}); there is no global one.
 */
public interface Backend extends MatmulKernels, ElementwiseKernels, ReductionKernels, NormKernels, LossKernels,
        FourierKernels, OptimizerKernels, ToeplitzKernels, LayoutKernels, EmbeddingKernels, BiasReluKernels,
        AutoCloseable {
    /** A short name, e.g. {@code cpu} or {@code cuda}. */
    String name();

    /** Worker threads the backend computes with. */
    int threads();

    /** Human-readable facts for {@code ./posenc info}, e.g. SIMD width. */
    String describe();

    /**
     * The memory this backend computes on; every tensor passed to its kernels must come from it (or, for host
     * memory, be any host tensor). Host memory unless a backend says otherwise, so the CPU backend and test
     * fakes are unchanged.
     */
    default TensorMemory memory() { return HostMemory.INSTANCE; }

    /**
     * The fused attention kernels. A default so that a backend without them still compiles; it throws,
     * naming the backend, rather than falling back in silence (callers may choose the materialised route).
     */
    default AttentionKernels attention() {
        throw new UnsupportedOperationException(
                "attention: the %s backend has no fused attention kernels".formatted(name()));
    }

    /**
     * The convolution, pooling and batch-norm kernels. A default, like {@link #attention()}: a backend without
     * them throws, naming itself, rather than falling back in silence.
     */
    default ConvKernels conv() {
        throw new UnsupportedOperationException("conv: the %s backend has no convolution kernels".formatted(name()));
    }

    /**
     * The sparse-dense product behind message passing on graphs. A default that throws, naming the backend, for
     * a backend without it (the CUDA backend has none yet); never a silent fallback.
     */
    default SparseKernels sparse() {
        throw new UnsupportedOperationException(
                "sparse: the %s backend has no sparse (message-passing) kernels".formatted(name()));
    }

    @Override void close();
}
