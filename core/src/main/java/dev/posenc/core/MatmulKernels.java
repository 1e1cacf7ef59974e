package dev.posenc.core;

/** Matrix products. Arguments: outputs first, then inputs (llm.c's order). */
public interface MatmulKernels {
    /**
     * {@code out = form(a, b)}, or {@code out += form(a, b)} when {@code accumulate}. All 2-D; see
     * {@link MatmulForm} for which operand is read transposed. Modifies {@code out} only; out must not
     * alias a or b.
     */
    void matmul(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate);

    /**
     * The same per batch entry: a, b, out are 3-D (B, ·, ·) with one shared B, as for attention heads.
     * Modifies {@code out} only.
     */
    void batchedMatmul(Tensor out, Tensor a, Tensor b, MatmulForm form, boolean accumulate);
}
