package dev.posenc.models.cli;

import dev.posenc.core.Backend;
import java.io.PrintWriter;

/**
 * What {@link Main} passes down to a {@link BackendCommand}: the backend it built from the top-level
 * options, the options that apply to every computation, and where to print.
 *
 * @param backend     the only backend of this run; owned and closed by {@link Main}
 * @param checkFinite {@code --check-finite}: the tape checks every op's output and gradient for NaN/Inf and the
 *                    run stops at the first, naming the op
 * @param memory      what the run may allocate: the machine's memory or {@code --max-memory}
 * @param out         the command's standard output
 */
public record RunContext(Backend backend, boolean checkFinite, MemoryBudget memory, PrintWriter out) {
    /** A context with the machine's memory as the budget. */
    public RunContext(Backend backend, boolean checkFinite, PrintWriter out) {
        this(backend, checkFinite, MemoryBudget.of(null), out);
    }
}
