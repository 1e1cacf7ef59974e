package dev.posenc.bench;

import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.graph.Csr;
import dev.posenc.core.graph.Graph;
import dev.posenc.kernels.Parallel;
import dev.posenc.kernels.SparseCpu;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Message passing on a graph of 10⁶ edges: 10⁶ distinct random undirected edges on N = 10⁵ nodes (mean degree 20),
 * features of width d. The three products of {@code SparseCpu}, each the forward of one op and the backward of
 * another:
 * <ul>
 *   <li>{@code gather}: out (E, d) = x[src] (GIN's messages; segment sum's backward);</li>
 *   <li>{@code segment_sum}: out (N, d) = Σ_{e: dst_e = v} m_e (the scatter-add; gather's backward);</li>
 *   <li>{@code gcn}: out (N, d) = D^-½(A+I)D^-½ · x, nnz = 2E + N (GCN's propagation; its own backward, Â symmetric).</li>
 * </ul>
 * {@code impl}: the Vector API kernel or its scalar twin, checked equal bit for bit in setUp before any timing.
 * Napkin maths: each stored entry reads one row of x (d floats, mostly a cache miss at random columns), so about
 * nnz·d·4 bytes move; bench/RESULTS.md turns the median into GB/s. Run: {@code ./posenc bench sparse --quick}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class SparseBench {
    static final int NODES = 100_000, EDGES = 1_000_000;

    @Param({"gather", "segment_sum", "gcn"})
    String op;
    @Param({"32"})
    int d;
    @Param({"vector", "scalar"})
    String impl;
    @Param({"1", "2"})
    int threads;

    Parallel parallel;
    Arena arena;
    Csr a;
    Tensor x, out;

    @Setup(Level.Trial)
    public void setUp() {
        parallel = new Parallel(threads);
        arena = Arena.ofShared();
        Graph g = randomGraph(NODES, EDGES, 7);
        int[] src = new int[EDGES], dst = new int[EDGES];
        for (int e = 0; e < EDGES; e++) { src[e] = g.src(e); dst[e] = g.dst(e); }
        a = switch (op) {
            case "gather" -> Csr.gather(src, NODES);
            case "segment_sum" -> Csr.segments(dst, NODES);
            case "gcn" -> g.gcnNormalized();
            default -> throw new IllegalArgumentException("op: expected gather, segment_sum or gcn, got " + op);
        };
        x = new Rng(3).normal(arena, Shape.of(a.cols(), d));
        out = Tensor.zeros(arena, a.rows(), d);
        Tensor twin = Tensor.zeros(arena, a.rows(), d);
        SparseCpu.spmm(parallel, out, a, x, false);
        SparseCpu.spmmScalar(twin, a, x, false);
        if (!Arrays.equals(out.toArray(), twin.toArray())) throw new IllegalStateException(
                "SparseBench: %s: the vector kernel differs from its scalar twin".formatted(op));
    }

    /** E distinct undirected edges u ≠ v drawn uniformly (seeded). */
    static Graph randomGraph(int n, int edges, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Set<Long> seen = new HashSet<>(edges * 2);
        int[] s = new int[edges], t = new int[edges];
        for (int e = 0; e < edges; ) {
            int u = rng.nextInt(n), v = rng.nextInt(n);
            if (u == v || !seen.add((long) Math.min(u, v) * n + Math.max(u, v))) continue;
            s[e] = u;
            t[e] = v;
            e++;
        }
        return Graph.of(n, s, t, false);
    }

    @Benchmark
    public void product() {
        if (impl.equals("vector")) SparseCpu.spmm(parallel, out, a, x, false); else SparseCpu.spmmScalar(out, a, x, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
        parallel.close();
    }
}
