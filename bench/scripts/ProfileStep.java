import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.autograd.ops.Elementwise;
import dev.posenc.autograd.ops.Losses;
import dev.posenc.core.*;
import dev.posenc.kernels.CpuBackend;
import dev.posenc.models.images.BuiltinImages;
import dev.posenc.models.nn.CoordinateModel;
import dev.posenc.models.nn.Mlp;
import dev.posenc.models.optim.Adam;
import dev.posenc.models.train.FitConfig;
import one.profiler.AsyncProfiler;
import java.lang.foreign.Arena;

/**
 * Profiles the timed steps of a fit-image training step (256², the step of StepBench) with async-profiler's Java
 * API, after 25 warm-up steps, and prints the median wall time and the process CPU time per step. Not part of the
 * build: async-profiler is not a dependency. Run (the jar and the .so from Maven Central
 * tools.profiler:async-profiler:4.2:linux-x64):
 * <pre>
 * javac --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar:AP.jar -d /tmp/ps bench/scripts/ProfileStep.java
 * java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-TieredCompilation \
 *     -cp bench/target/benchmarks.jar:AP.jar:/tmp/ps ProfileStep gaussian 2 40 out.collapsed /path/libasyncProfiler.so
 * bench/scripts/profile_per_step.py out.collapsed 40
 * </pre>
 * OUT "-" times without profiling. Also prints the tape's memory growths during the timed steps (0: no native
 * allocation per step).
 */
public class ProfileStep {
    public static void main(String[] a) throws Exception {
        String enc = a[0]; int threads = Integer.parseInt(a[1]); int steps = Integer.parseInt(a[2]); String out = a[3];
        int size = 256;
        FitConfig config = FitConfig.defaults().withSize(size).withSigma(FitConfig.sigmaFor(size))
                .withScale(FitConfig.scaleFor(size)).withGamma(FitConfig.gammaFor(FitConfig.sigmaFor(size)));
        Backend backend = new CpuBackend(threads);
        try (Arena arena = Arena.ofShared(); Tape tape = new Tape(backend);
             CoordinateModel model = CoordinateModel.create(enc, config.encodingParams(), Mlp.TANCIK_HIDDEN, new Rng(config.seed()));
             Adam adam = new Adam(model.store(), AdamConfig.adam((float) config.learningRate(enc)))) {
            int n = size / 2;
            var img = BuiltinImages.astronaut(size);
            Tensor xy = Tensor.zeros(arena, Shape.of(n * n, 2)), rgb = Tensor.zeros(arena, Shape.of(n * n, 3));
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
                int row = i * n + j; xy.set(row, 0, (float) (2 * j) / size); xy.set(row, 1, (float) (2 * i) / size);
                for (int ch = 0; ch < 3; ch++) rgb.set(row, ch, img.get(2 * i, 2 * j, ch));
            }
            for (int s = 0; s < 25; s++) step(backend, model, adam, tape, xy, rgb);
            int g0 = tape.memoryGrowths();
            AsyncProfiler ap = out.equals("-") ? null : AsyncProfiler.getInstance(a.length > 4 ? a[4] : "/tmp/perf-ap/linux-x64/libasyncProfiler.so");
            if (ap != null) ap.execute("start,event=cpu,interval=500us");
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long c0 = os.getProcessCpuTime();
            double[] ms = new double[steps];
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) { long a0 = System.nanoTime(); step(backend, model, adam, tape, xy, rgb); ms[s] = (System.nanoTime() - a0) / 1e6; }
            long t1 = System.nanoTime(), c1 = os.getProcessCpuTime();
            if (ap != null) ap.execute("stop,file=" + out + ",collapsed");
            java.util.Arrays.sort(ms);
            System.out.printf("%s: median %.1f ms/step [%.1f, %.1f] wall, CPU %.1f ms/step, growths during timed %d%n", enc, ms[steps / 2], ms[0], ms[steps - 1], (c1 - c0) / 1e6 / steps, tape.memoryGrowths() - g0);
        }
    }
    static void step(Backend backend, CoordinateModel model, Adam adam, Tape tape, Tensor xy, Tensor rgb) {
        tape.reset();
        model.store().zeroGrad();
        Var pred = model.forward(tape, tape.constant(xy));
        Var loss = Elementwise.scale(tape, Losses.mse(tape, pred, tape.constant(rgb)), 0.5f);
        tape.backward(loss);
        adam.step(backend);
    }
}
