package dev.posenc.core;

/**
 * Scaled dot-product attention without the (T × T) score matrix: memory linear in the sequence length.
 * Every tensor is a batch of N = batch·heads independent entries: q (N, Tq, d), k and v (N, Tk, d),
 * out and dOut (N, Tq, d), logsumexp (N, Tq). With S = scale·q·kᵀ and P = softmax(S) per row:
 *
 * <pre>
 *   forward:   out = P·v;  logsumexp[i] = log Σ_j exp S[i, j]      (kept for the backward)
 *   backward:  P = exp(S − logsumexp) recomputed;  D[i] = Σ_c dOut[i, c]·out[i, c]
 *              dv += Pᵀ·dOut;  dS = P ⊙ (dOut·vᵀ − D);  dq += scale·dS·k;  dk += scale·dSᵀ·q
 * </pre>
 *
 * A separate family, not part of {@link Backend}: a backend offers it through {@link Backend#attention()},
 * so a backend without these kernels still compiles and says so when asked (Dao 2023, FlashAttention-2).
 */
public interface AttentionKernels {
    /**
     * Writes out and logsumexp; reads q, k, v. Scores are formed one key block at a time with an online
     * softmax. out must not overlap q, k or v.
     */
    void attentionForward(Tensor out, Tensor logsumexp, Tensor q, Tensor k, Tensor v, float scale);

    /**
     * Accumulates (+=) into dq, dk, dv (any may be null when not wanted); recomputes the scores block by
     * block from q, k and the forward's logsumexp. out is the forward's output.
     */
    void attentionBackward(Tensor dq, Tensor dk, Tensor dv, Tensor dOut, Tensor out, Tensor logsumexp,
                           Tensor q, Tensor k, Tensor v, float scale);
}
