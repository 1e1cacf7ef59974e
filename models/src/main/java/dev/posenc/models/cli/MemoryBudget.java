package dev.posenc.models.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much memory a run may use, and the check a command makes against it before it allocates: the
 * machine's physical memory (the container's limit where there is one: the JVM reports that), or
 * {@code --max-memory}. Tensors live off-heap, where {@code -Xmx} does not reach, so without this a run sized
 * beyond the machine ends in the kernel's OOM killer or an allocation error deep inside a kernel.
 * The machine is read here only, in the CLI layer (style guide: no environment below {@code models.cli}).
 *
 * @param limitBytes what a run may use
 * @param fromOption true if {@code --max-memory} set it (the message then says so rather than blaming the machine)
 */
public record MemoryBudget(long limitBytes, boolean fromOption) {
    /** The machine's memory, or {@code --max-memory} if given ({@code null}: not given). */
    static MemoryBudget of(Long maxMemory) {
        return maxMemory != null ? new MemoryBudget(maxMemory, true) : new MemoryBudget(machineBytes(), false);
    }

    /**
     * Refuses a run that needs more than the budget. {@code what} says what was estimated (e.g. "lff at
     * 4096×4096: parameters and Adam 4.2 MiB, ..."); {@code lever} names the option(s) that shrink it.
     */
    public void require(String command, long neededBytes, String what, String lever) {
        if (neededBytes <= limitBytes) return;
        String have = fromOption ? "the --max-memory limit of " + human(limitBytes)
                : "this machine's " + human(limitBytes) + " of memory";
        throw new IllegalArgumentException(("%s: needs about %s (%s), more than %s; use a smaller %s, or "
                + "--max-memory %s to run anyway").formatted(command, human(neededBytes), what, have, lever,
                suggestion(neededBytes)));
    }

    /** Physical memory: the OS bean (container-aware), else /proc/meminfo's MemTotal, else unlimited. */
    static long machineBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                && os.getTotalMemorySize() > 0) {
            return os.getTotalMemorySize();
        }
        try {
            Matcher m = Pattern.compile("(?m)^MemTotal:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/meminfo")));
            if (m.find()) return Long.parseLong(m.group(1)) * 1024;
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing to compare with; refuse nothing rather than guess
        }
        return Long.MAX_VALUE;
    }

    /** 1536 MiB as "1.5 GiB". */
    static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A --max-memory value above {@code bytes}, in whole GiB (MiB below one GiB). */
    private static String suggestion(long bytes) {
        long mib = (bytes >> 20) + 1;
        return mib < 1024 ? mib + "m" : ((bytes >> 30) + 1) + "g";
    }
}
