package dev.posenc.models.cli;

import dev.posenc.core.Backend;
import java.io.PrintWriter;

/**
 * What {@link Main} passes down to a {@link BackendCommand}: the backend it built from the top-level
 * options, the options that apply to every computation, and where to print.
 *
 * @param backend     the only backend of this run; owned and closed by {@link Main}
 * @param checkFinite {@code --check-finite}: check values for NaN/Inf after each step and stop at the first
 * @param out         the command's standard output
 */
public record RunContext(Backend backend, boolean checkFinite, PrintWriter out) {}
