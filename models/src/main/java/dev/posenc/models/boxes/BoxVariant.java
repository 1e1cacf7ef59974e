package dev.posenc.models.boxes;

import java.util.List;

/**
 * One positional encoding of the box study: {@code pe} with G {@code groups} (G matters for lff only; the others
 * see the 4 coordinates as one position, G = 1).
 */
public record BoxVariant(String pe, int groups) {
    /** Valid --pe values; {@code all} runs {@link #ALL}. */
    public static final List<String> NAMES = List.of("lff", "sine", "mlp", "none");
    /** The comparison: the box as one 4-D position, as two 2-D corners, and the baselines. */
    public static final List<BoxVariant> ALL = List.of(new BoxVariant("lff", 1), new BoxVariant("lff", 2),
            new BoxVariant("sine", 1), new BoxVariant("mlp", 1), new BoxVariant("none", 1));

    /**
     * The variant for --pe and --groups, checked: an unknown name lists the valid ones; groups must divide the 4
     * coordinates, and only lff takes G ≠ 1.
     */
    public static BoxVariant of(String pe, int groups) {
        if (!NAMES.contains(pe)) throw new IllegalArgumentException(
                "--pe: expected one of %s or all, got '%s'".formatted(String.join(", ", NAMES), pe));
        if (groups < 1 || BoxModel.COORDS % groups != 0) throw new IllegalArgumentException(
                "--groups: expected a divisor of the %d box coordinates (1, 2 or 4), got %d"
                        .formatted(BoxModel.COORDS, groups));
        if (groups != 1 && !pe.equals("lff")) throw new IllegalArgumentException(
                "--groups: expected 1 for --pe %s (only lff groups its positions), got %d".formatted(pe, groups));
        return new BoxVariant(pe, groups);
    }

    /** "lff G=2", "sine", ... */
    public String label() { return pe.equals("lff") ? "lff G=" + groups : pe; }
}
