package dev.posenc.cuda;

/**
 * A CUDA driver call failed. The message names the call, the kernel or buffer it served, the driver's code
 * name (e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}) and the driver's own sentence for it ({@code cuGetErrorString}).
 */
public final class CudaError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public CudaError(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The driver's CUresult. */
    public int code() { return code; }
}
