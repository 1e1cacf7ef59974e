package dev.posenc.models.seq;

import java.util.Arrays;
import java.util.List;

/**
 * The four attentions compared (Luo et al. 2021; spec §5): exact softmax with and without a learned relative bias,
 * and kernelized attention with and without the RPE computed through the FFT. The names are the CLI's.
 */
public enum AttentionKind {
    /** softmax(q·kᵀ/√d)·v, the fused O(n) memory kernel (plus absolute positions, if the model adds them). */
    SOFTMAX("softmax"),
    /** softmax(q·kᵀ/√d + B)·v with B[i, j] = b[i − j]: the n × n scores are formed (O(n²) memory). */
    SOFTMAX_RPE("softmax-rpe"),
    /** φ(q)ᵀφ(k) in place of exp(q·k/√d): O(n·m·d), no positions inside attention. */
    KERNEL("kernel"),
    /** The same weighted by exp(b[i − j]) through Toeplitz products: O(n log n). */
    KERNEL_RPE("kernel-rpe");

    public final String cliName;

    AttentionKind(String cliName) { this.cliName = cliName; }

    public boolean rpe() { return this == SOFTMAX_RPE || this == KERNEL_RPE; }

    public boolean kernelized() { return this == KERNEL || this == KERNEL_RPE; }

    public static List<String> names() { return Arrays.stream(values()).map(k -> k.cliName).toList(); }

    /** The kind called {@code name}; the error names the option and lists the choices. */
    public static AttentionKind parse(String option, String name) {
        for (AttentionKind k : values()) if (k.cliName.equals(name)) return k;
        throw new IllegalArgumentException("%s: expected one of %s, got '%s'".formatted(option, String.join(", ", names()), name));
    }
}
