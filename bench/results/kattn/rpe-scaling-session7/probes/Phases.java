import dev.posenc.autograd.Tape;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.seq.*;
import one.profiler.AsyncProfiler;
import java.lang.management.*;
import java.nio.file.*;
// kernel-rpe forward + backward at each n of argv (one JVM, one tape per n touched untimed), each n profiled on its own
// (async-profiler cpu 1 ms, collapsed stacks to DIR/n.collapsed), runs per n = max(2, 65536/n·scale); beside: per run
// the wall, process CPU, minor page faults (/proc/self/stat), GC count/ms and JIT ms.
// Run: java ... -cp benchmarks.jar:async-profiler-4.2-linux-x64.jar Phases.java DIR scale n...
public class Phases {
    static long minflt() throws Exception { String s = Files.readString(Path.of("/proc/self/stat")); String[] f = s.substring(s.lastIndexOf(')') + 2).split(" "); return Long.parseLong(f[7]); }
    static long[] gc() { long c = 0, t = 0; for (var g : ManagementFactory.getGarbageCollectorMXBeans()) { c += g.getCollectionCount(); t += g.getCollectionTime(); } return new long[] {c, t}; }
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]); Files.createDirectories(dir);
        double scale = Double.parseDouble(a[1]);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var jit = ManagementFactory.getCompilationMXBean();
        AsyncProfiler p = AsyncProfiler.getInstance("/tmp/perf-ap/linux-x64/libasyncProfiler.so");
        try (CpuBackend be = new CpuBackend(Integer.getInteger("threads", 2))) {
            for (int w = 0; w < 3; w++) AttentionScaling.measure(be, AttentionKind.KERNEL_RPE, 4096, 64, 64, 0);
            for (int i = 2; i < a.length; i++) {
                int n = Integer.parseInt(a[i]);
                int runs = (int) Math.max(2, Math.round(65536.0 / n * scale));
                try (Tape tape = new Tape(be)) {
                    long f0 = minflt();
                    AttentionScaling.measure(be, tape, AttentionKind.KERNEL_RPE, n, 64, 64, 0);
                    long touchFaults = minflt() - f0;
                    long c0 = os.getProcessCpuTime(); f0 = minflt(); long[] g0 = gc(); long j0 = jit.getTotalCompilationTime();
                    double wall = 0, fwd = 0;
                    p.execute("start,event=cpu,interval=1ms");
                    for (int r = 0; r < runs; r++) { double[] t = AttentionScaling.measure(be, tape, AttentionKind.KERNEL_RPE, n, 64, 64, r + 1); wall += t[1]; fwd += t[0]; }
                    p.execute("stop,file=" + dir.resolve(n + ".collapsed") + ",collapsed");
                    long[] g1 = gc();
                    System.out.printf("n=%d runs=%d wall/run %.1f fwd/run %.1f cpu/run %.1f ms  minflt/run %d (first touch %d)  gc %d / %d ms  jit %d ms%n",
                        n, runs, wall / runs, fwd / runs, (os.getProcessCpuTime() - c0) / 1e6 / runs, (minflt() - f0) / runs, touchFaults,
                        g1[0] - g0[0], g1[1] - g0[1], jit.getTotalCompilationTime() - j0);
                }
            }
        }
    }
}
