package dev.posenc.bench;

import dev.posenc.core.MatmulForm;
import dev.posenc.core.Tensor;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * OpenBLAS sgemm on posenc tensors, the peer for {@link MatmulBench}. The pointers wrap the tensors'
 * native memory (no copy). Bench-only: the engine never depends on OpenBLAS.
 *
 * <p>Run the JVM with {@code OPENBLAS_CORETYPE=SkylakeX} on AVX-512 machines that OpenBLAS 0.3.31 mistakes
 * for Haswell (Zen 5), or the peer runs at half speed (toolchain.md §6).
 */
final class OpenBlasPeer {
    private final FloatPointer out, a, b;
    private final int m, n, k, lda, ldb, transA, transB;

    /** Binds out = form(a, b) for {@link #run}; the tensors must outlive this object. */
    OpenBlasPeer(Tensor out, Tensor a, Tensor b, MatmulForm form) {
        this.out = pointer(out);
        this.a = pointer(a);
        this.b = pointer(b);
        this.m = form.m(a);
        this.n = form.n(b);
        this.k = form.k(a);
        this.lda = a.cols();
        this.ldb = b.cols();
        this.transA = form == MatmulForm.TN ? openblas.CblasTrans : openblas.CblasNoTrans;
        this.transB = form == MatmulForm.NT ? openblas.CblasTrans : openblas.CblasNoTrans;
    }

    /** Sets OpenBLAS's thread count (a process-wide setting of the library). */
    static void threads(int threads) { openblas.blas_set_num_threads(threads); }

    /** out = form(a, b), or out += form(a, b) when {@code accumulate}. */
    void run(boolean accumulate) {
        openblas.cblas_sgemm(openblas.CblasRowMajor, transA, transB, m, n, k, 1f, a, lda, b, ldb,
                accumulate ? 1f : 0f, out, n);
    }

    private static FloatPointer pointer(Tensor t) {
        // A direct buffer over the segment: JavaCPP takes its address, so sgemm works in place.
        return new FloatPointer(t.data().asByteBuffer().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer());
    }
}
