package dev.posenc.core;

/** Element-wise functions with known derivatives, applied by {@link ElementwiseKernels#unary}. */
public enum UnaryOp {
    EXP, LOG, TANH, SIGMOID, RELU,
    /** x·Φ(x) with the exact erf, PyTorch's default {@code gelu}. */
    GELU_ERF,
    /** 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), PyTorch's {@code gelu(approximate='tanh')}. */
    GELU_TANH,
    SIN, COS
}
