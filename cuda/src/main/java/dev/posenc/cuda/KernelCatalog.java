package dev.posenc.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which kernels the jar should carry: each {@code src/main/cuda/STEM.cu} becomes the resources
 * {@code kernels/STEM.ptx} (PTX for compute_90, JIT'd by the driver) and {@code kernels/STEM.fatbin}
 * (sm_90a SASS + compute_90 PTX). This list is what the backend loads and what KernelResourcesTest checks
 * against the built jar, so a kernel renamed in a .cu without its Java twin fails a CPU test.
 */
public final class KernelCatalog {
    private KernelCatalog() {}

    /** Stem → the {@code extern "C"} kernel names it defines. */
    public static final Map<String, List<String>> KERNELS = catalog();

    private static Map<String, List<String>> catalog() {
        Map<String, List<String>> k = new LinkedHashMap<>();
        k.put("fourier", List.of("fourier_forward", "fourier_backward_dx", "fourier_backward_dw",
                "fourier_backward_dw_finish"));
        k.put("elementwise", List.of("ew_add", "ew_sub", "ew_mul", "ew_add_row_broadcast", "ew_scale", "ew_axpy",
                "ew_fill", "ew_unary", "ew_unary_backward"));
        k.put("reduce", List.of("reduce_sum_rows_partial", "reduce_finish", "reduce_sum_cols", "reduce_sum_all",
                "reduce_partials", "reduce_all_finite"));
        k.put("softmax", List.of("softmax_forward", "softmax_backward", "log_softmax_forward", "log_softmax_backward"));
        k.put("layernorm", List.of("layernorm_forward", "layernorm_backward_dx", "layernorm_backward_params",
                "layernorm_params_finish"));
        k.put("loss", List.of("mse_sum", "mse_backward", "cross_entropy_rows", "cross_entropy_backward",
                "cross_entropy_backward_dloss", "loss_finish", "mse_backward_dloss"));
        k.put("adam", List.of("adam_step"));
        k.put("matmul", List.of("sgemm_nn", "sgemm_tn", "sgemm_nt", "sgemm_tf32_nn", "sgemm_tf32_tn", "sgemm_tf32_nt",
                "matmul_splitk_reduce"));
        k.put("lff", List.of("lff_encode_h32", "lff_encode_h64"));
        k.put("attention", List.of("attn_fwd_d32", "attn_fwd_d64", "attn_fwd_d128", "attn_bwd_dkdv_d32",
                "attn_bwd_dkdv_d64", "attn_bwd_dkdv_d128", "attn_bwd_dq_d32", "attn_bwd_dq_d64", "attn_bwd_dq_d128",
                "attn_bwd_rowdot"));
        k.put("layout", List.of("layout_copy_runs"));
        k.put("embedding", List.of("embedding_gather", "embedding_scatter_add"));
        k.put("fft", List.of("fft_stage", "fft_block", "real_post", "real_pre"));
        k.put("toeplitz", List.of("toeplitz_multiply_direct", "toeplitz_weight_grad_direct", "toeplitz_pack",
                "toeplitz_pack_column", "toeplitz_mul_spectrum", "toeplitz_unpack", "toeplitz_cross",
                "toeplitz_grad_scatter"));
        return java.util.Collections.unmodifiableMap(k);
    }

    /** The resource path of a stem's PTX or fatbin, e.g. {@code kernels/fourier.ptx}. */
    public static String resource(String stem, String extension) { return "kernels/" + stem + "." + extension; }

    /** The bytes of a kernel resource, or null when the jar has none (built without nvcc). */
    public static byte[] read(String stem, String extension) {
        try (InputStream in = KernelCatalog.class.getClassLoader().getResourceAsStream(resource(stem, extension))) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource(stem, extension), e);
        }
    }

    /** PTX as {@code cuModuleLoadData} wants it: the text followed by a NUL byte (toolchain.md §9.10). */
    public static byte[] nulTerminated(byte[] ptx) {
        if (ptx.length > 0 && ptx[ptx.length - 1] == 0) return ptx;
        return Arrays.copyOf(ptx, ptx.length + 1);
    }

    /** The stems whose PTX is missing from the class path; empty when every kernel was built. */
    public static List<String> missing() {
        return KERNELS.keySet().stream()
                .filter(s -> KernelCatalog.class.getClassLoader().getResource(resource(s, "ptx")) == null).toList();
    }
}
