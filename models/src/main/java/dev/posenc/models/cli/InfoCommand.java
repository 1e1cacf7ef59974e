package dev.posenc.models.cli;

import dev.posenc.cuda.CudaBackend;
import dev.posenc.cuda.CudaProbe;
import dev.posenc.cuda.KernelCatalog;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code posenc info}: what this machine and JVM give posenc. The Java runtime, the SIMD width the CPU
 * kernels run at, the threads and cores, and whether a CUDA GPU is usable, or exactly why not.
 * It builds no backend, so it also answers when {@code --backend cuda} would fail.
 */
@Command(name = "info", description = "Show the Java runtime, SIMD width, threads and the CUDA GPU probe.")
final class InfoCommand implements Callable<Integer> {
    @ParentCommand private Main main;
    @Spec private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        VectorSpecies<Float> species = FloatVector.SPECIES_PREFERRED;
        Runtime.Version v = Runtime.version();
        line(out, "java", "%s (%s, %s)".formatted(v, System.getProperty("java.vendor"), System.getProperty("java.vm.name")));
        line(out, "os", "%s %s %s".formatted(System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch")));
        line(out, "simd", "%d float lanes, %d bits (FloatVector.SPECIES_PREFERRED = %s)".formatted(
                species.length(), species.vectorBitSize(), species));
        line(out, "cores", Runtime.getRuntime().availableProcessors() + " available");
        line(out, "threads", Integer.toString(main.threads()));
        line(out, "max heap", "%.1f GiB (tensors live off-heap and do not count)".formatted(
                Runtime.getRuntime().maxMemory() / (double) (1L << 30)));
        line(out, "backend", main.backend().name());
        line(out, "cuda", CudaProbe.run().summary());
        line(out, "kernels", cudaKernels());
        line(out, "cublas", "not used: JCuda's binding needs libcublas.so.12, absent with CUDA 13; posenc's own kernels run");
        out.flush();
        return 0;
    }

    /** Whether the jar carries the GPU kernels (nvcc at build time), and, with a GPU, what loaded. */
    private static String cudaKernels() {
        int files = KernelCatalog.KERNELS.size();
        List<String> missing = KernelCatalog.missing();
        String built = missing.isEmpty() ? "%d .cu files built into this jar".formatted(files)
                : "not built into this jar (nvcc was absent at build time; missing %s)".formatted(missing);
        return CudaProbe.run().available() ? built + "; " + CudaBackend.info() : built;
    }

    private static void line(PrintWriter out, String key, String value) {
        out.printf("%-9s %s%n", key, value);
    }
}
