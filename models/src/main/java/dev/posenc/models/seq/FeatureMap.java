package dev.posenc.models.seq;

import java.util.Arrays;

/** The feature maps φ of kernelized attention (see {@code autograd.ops.KernelFeatures}). */
public enum FeatureMap {
    /** Performer's positive random features exp(W·x − ‖x‖²/2)/√m, with a random projection W (m, d). */
    PRF("prf"),
    /** max(x, 0): m = d, no projection. A row of zeros leaves the denominator 0, so prf or elu is the safer choice. */
    RELU("relu"),
    /** elu(x) + 1 (Katharopoulos et al. 2020): m = d, no projection. */
    ELU("elu");

    public final String cliName;

    FeatureMap(String cliName) { this.cliName = cliName; }

    public static FeatureMap parse(String option, String name) {
        for (FeatureMap f : values()) if (f.cliName.equals(name)) return f;
        throw new IllegalArgumentException("%s: expected one of %s, got '%s'".formatted(option,
                String.join(", ", Arrays.stream(values()).map(f -> f.cliName).toList()), name));
    }
}
