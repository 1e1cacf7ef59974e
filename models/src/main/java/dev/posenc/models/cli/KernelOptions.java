package dev.posenc.models.cli;

import dev.posenc.models.analysis.ntk.NtkAnalysis;
import dev.posenc.models.analysis.ntk.NtkNetwork;
import dev.posenc.models.analysis.ntk.SpectralBias;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SequencedMap;

/**
 * The options {@code analyze ntk} and {@code analyze spectral-bias} share (a picocli mixin), each validated with
 * its flag's name: the encodings, their σ and scale, the signal trained on, the GD rate and the seed.
 */
final class KernelOptions {
    static final String DEFAULT_ENCODINGS = "none,basic,positional,gaussian,lff";
    /** Each sinusoid's amplitude: four of them stay within ±1, an image's range. */
    static final double AMPLITUDE = 0.25;

    @Option(names = "--encodings", paramLabel = "LIST", defaultValue = DEFAULT_ENCODINGS, split = ",",
            description = "Comma-separated encodings (default: ${DEFAULT-VALUE}).")
    List<String> encodings;

    @Option(names = "--sigma", paramLabel = "σ", defaultValue = "10",
            description = "Gaussian mapping scale, cycles per unit; LFF starts at γ = 1/(2πσ) (default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(names = "--posenc-scale", paramLabel = "X", defaultValue = "6",
            description = "Positional frequencies 2^linspace(0,X,128)−1 (default: ${DEFAULT-VALUE}).")
    double posencScale;

    @Option(names = "--frequencies", paramLabel = "LIST", defaultValue = "1,5,10,20", split = ",",
            description = "The signal trained on: Σ 0.25·sin(2π f x + φ_f) over these integer frequencies (default: ${DEFAULT-VALUE}).")
    List<Integer> frequencies;

    @Option(names = "--lr-scale", paramLabel = "S", defaultValue = "0.5",
            description = "Gradient descent rate η = S·N/λ_max of each encoding's initial kernel, S in (0, 2): "
                    + "the same fraction of each one's stability limit (default: ${DEFAULT-VALUE}).")
    double lrScale;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seeds weights, B and phases (default: ${DEFAULT-VALUE}).")
    long seed;

    /** Checks every shared option against {@code side} points per axis (frequencies below its Nyquist). */
    void validate(int side) {
        for (String name : encodings) {
            if (!NtkNetwork.ENCODINGS.contains(name)) throw new IllegalArgumentException(
                    "--encodings: expected names from %s, got '%s'".formatted(String.join(", ", NtkNetwork.ENCODINGS), name));
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException(
                "--sigma: expected a finite number > 0, got " + sigma);
        if (!(posencScale >= 0) || posencScale > 20) throw new IllegalArgumentException(
                "--posenc-scale: expected a number in [0, 20], got " + posencScale);
        for (int f : frequencies) {
            if (f < 1 || 2 * f >= side) throw new IllegalArgumentException(
                    "--frequencies: expected integers in [1, %d] (below the Nyquist frequency of %d points per axis), got %d"
                            .formatted((side - 1) / 2, side, f));
        }
        if (!(lrScale > 0 && lrScale < 2)) throw new IllegalArgumentException(
                "--lr-scale: expected a number in (0, 2) (η·λ_max/N ≥ 2 diverges), got " + lrScale);
    }

    NtkAnalysis.Target target() {
        int[] f = frequencies.stream().mapToInt(Integer::intValue).toArray();
        return new NtkAnalysis.Target(f, AMPLITUDE, SpectralBias.phases(f.length, seed));
    }

    /** The settings every results.md lists. */
    SequencedMap<String, String> describe() {
        SequencedMap<String, String> s = new LinkedHashMap<>();
        s.put("encodings", String.join(",", encodings));
        s.put("network", "fit-image's: encoding → 3 × [Dense(256) + ReLU] → Dense(3); f = channel 0 before the sigmoid");
        s.put("gaussian σ (cycles per unit), m", sigma + ", 256");
        s.put("positional scale", Double.toString(posencScale));
        s.put("lff F, H, D, G, γ, amplitude", String.format(Locale.ROOT, "512, 256, 256, 1, 1/(2πσ) = %.5g, 1 (fit-image's)", 1 / (2 * Math.PI * sigma)));
        NtkAnalysis.Target t = target();
        s.put("signal", "Σ_f %s·sin(2π f x + φ_f), f = %s, φ_f = %s".formatted(AMPLITUDE, frequencies,
                Arrays.stream(t.phases()).mapToObj(p -> String.format(Locale.ROOT, "%.3f", p)).toList()));
        s.put("optimiser", "plain full-batch gradient descent on (1/2N)Σ(f − y)², η = %s·N/λ_max(K_0)".formatted(lrScale));
        s.put("seed", Long.toString(seed));
        return s;
    }
}
