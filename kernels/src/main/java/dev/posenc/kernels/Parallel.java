package dev.posenc.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The CPU backend's worker threads. Work is split into numbered tasks that threads claim from a shared
 * counter, so an uneven task (an edge tile) does not stall the others. The calling thread works too.
 * Owned by one {@link CpuBackend}; closed with it.
 */
public final class Parallel implements AutoCloseable {
    private final int threads;
    private final ForkJoinPool pool;
    /**
     * Each thread's matmul pack buffers, made on its first product and reused by every later one: a fresh
     * B pack per call (up to 16 MiB) made products allocation-bound and GC-timed.
     */
    private final ThreadLocal<MatmulBlocked.Workspace> workspaces;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads: expected >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads - 1) : null;
        this.workspaces = ThreadLocal.withInitial(MatmulBlocked.Workspace::new);
    }

    public int threads() { return threads; }

    /** The calling thread's matmul workspace (for this pool's workers and for any caller thread). */
    MatmulBlocked.Workspace workspace() { return workspaces.get(); }

    /** Runs {@code body.accept(t)} for every t in [0, tasks), spread over the threads; returns when all are done. */
    public void forEach(int tasks, IntConsumer body) {
        int helpers = Math.min(threads, tasks) - 1;
        if (helpers <= 0) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) body.accept(t);
        };
        ForkJoinTask<?>[] started = new ForkJoinTask<?>[helpers];
        for (int h = 0; h < helpers; h++) started[h] = pool.submit(worker);
        worker.run();
        for (ForkJoinTask<?> f : started) f.join();
    }

    /**
     * Splits [0, n) into contiguous ranges of at least {@code minChunk} elements, about one per thread, and
     * runs {@code body.run(from, to)} on each. Below 2·minChunk everything runs on the caller.
     */
    public void forRange(long n, long minChunk, RangeBody body) {
        int chunks = (int) Math.max(1, Math.min(threads, n / Math.max(1, minChunk)));
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        forEach(chunks, c -> body.run(n * c / chunks, n * (c + 1) / chunks));
    }

    /** A contiguous piece of a parallel loop: elements [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(long from, long to);
    }

    @Override public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
