package dev.posenc.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The CPU backend's worker threads. Work is split into numbered tasks that threads claim from a shared
 * counter, so an uneven task (an edge tile) does not stall the others. The calling thread works too.
 * Owned by one {@link CpuBackend}; closed with it.
 *
 * <p>Why not a ForkJoinPool: a training step hands the workers hundreds of ops of 20–200 µs each, and a
 * parked worker costs a futex wake and, on a virtual machine, an interrupt to a halted vCPU before it starts.
 * Measured on the 2-vCPU machine (session 8, bench/RESULTS.md), that hand-off made a 7×7 depthwise backward
 * slower on 2 threads (155 µs) than on 1 (126 µs), and slow or fast by process depending on where the
 * scheduler woke the worker. So each worker spins for {@link #SPIN_NANOS} after its last task before it
 * parks (as OpenMP runtimes do), and the caller spins on the workers' completion the same way. Spinning is
 * only worth it when every worker has a core: with more threads than processors they park at once.
 *
 * <p>One job at a time: a call from a worker thread (a task that itself asks for parallel work) or from a
 * second caller while a job runs, runs its tasks serially on its own thread. Which thread runs which task
 * never changes a result, so that costs time, never bits.
 */
public final class Parallel implements AutoCloseable {
    /** How long an idle worker (or the waiting caller) spins before parking: longer than the gap between ops. */
    static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Worker[] workers;
    private final boolean spin;
    private final ReentrantLock oneJob = new ReentrantLock();
    /**
     * Each thread's matmul pack buffers, made on its first product and reused by every later one: a fresh
     * B pack per call (up to 16 MiB) made products allocation-bound and GC-timed.
     */
    private final ThreadLocal<MatmulBlocked.Workspace> workspaces;

    // The current job, written by the caller before it signals the workers (a volatile write, so they see it).
    private IntConsumer body;
    private int tasks;
    private final AtomicInteger nextTask = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile Throwable failure;
    private volatile Thread waitingCaller;
    private volatile boolean closed;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads: expected >= 1, got " + threads);
        this.threads = threads;
        this.spin = threads <= Runtime.getRuntime().availableProcessors();
        this.workspaces = ThreadLocal.withInitial(MatmulBlocked.Workspace::new);
        this.workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker();
            workers[w].thread = Thread.ofPlatform().daemon().name("posenc-cpu-" + (w + 1)).unstarted(workers[w]);
            workers[w].thread.start();
        }
    }

    public int threads() { return threads; }

    /** The calling thread's matmul workspace (for this pool's workers and for any caller thread). */
    MatmulBlocked.Workspace workspace() { return workspaces.get(); }

    /** Runs {@code body.accept(t)} for every t in [0, tasks), spread over the threads; returns when all are done. */
    public void forEach(int tasks, IntConsumer body) {
        int helpers = Math.min(threads, tasks) - 1;
        // oneJob is reentrant: a task on the caller's own thread that asks for parallel work must not start a
        // second job over the running one, so holding it already means serial too
        if (helpers <= 0 || closed || isWorker(Thread.currentThread()) || oneJob.isHeldByCurrentThread()
                || !oneJob.tryLock()) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
        }
        Throwable failed;
        try {
            this.body = body;
            this.tasks = tasks;
            this.failure = null;
            nextTask.set(0);
            running.set(helpers);
            for (int w = 0; w < helpers; w++) workers[w].start();
            runTasks(body, tasks);
            awaitHelpers();   // even after a failure here: the helpers finish before the next job resets the state
            this.body = null;   // no reference kept to the caller's buffers between jobs
            failed = failure;   // read under the lock: the next job resets it
        } finally {
            oneJob.unlock();
        }
        if (failed instanceof RuntimeException e) throw e;
        if (failed instanceof Error e) throw e;
        if (failed != null) throw new IllegalStateException("a parallel task failed", failed);
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
        closed = true;
        for (Worker w : workers) LockSupport.unpark(w.thread);
    }

    private boolean isWorker(Thread t) {
        for (Worker w : workers) if (w.thread == t) return true;
        return false;
    }

    /** Claims and runs tasks until none is left; a failure is kept for the caller and stops further claims. */
    private void runTasks(IntConsumer body, int tasks) {
        try {
            for (int t = nextTask.getAndIncrement(); t < tasks; t = nextTask.getAndIncrement()) body.accept(t);
        } catch (Throwable t) {
            if (failure == null) failure = t;
            nextTask.set(Integer.MAX_VALUE / 2);   // the others stop claiming; the caller rethrows
        }
    }

    /** Spins, then parks, until every helper of the job has finished its last task. */
    private void awaitHelpers() {
        long start = System.nanoTime();
        while (running.get() != 0) {
            if (!spin || System.nanoTime() - start > SPIN_NANOS) {
                waitingCaller = Thread.currentThread();
                while (running.get() != 0) LockSupport.park(this);
                waitingCaller = null;
                return;
            }
            Thread.onSpinWait();
        }
    }

    /** A worker waits for its {@link #start} signal, claims tasks with the caller, reports, and waits again. */
    private final class Worker implements Runnable {
        Thread thread;
        /** Bumped by the caller to start this worker on the current job; the worker remembers the last it ran. */
        private volatile int signal;
        private volatile boolean parked;

        void start() {
            signal++;   // only the caller holding oneJob writes it, and only after the previous job ended
            if (parked) LockSupport.unpark(thread);
        }

        @Override public void run() {
            int seen = 0;
            while (true) {
                int signalled = awaitSignal(seen);
                if (signalled == seen) return;   // closed with no job for it; a job signalled before close still runs
                seen = signalled;
                runTasks(body, tasks);
                if (running.decrementAndGet() == 0) {
                    Thread caller = waitingCaller;
                    if (caller != null) LockSupport.unpark(caller);
                }
            }
        }

        /**
         * Spins for {@link #SPIN_NANOS}, then parks, until the signal moves past {@code seen} or the pool closes;
         * returns the signal (still {@code seen} when closed with no new job).
         */
        private int awaitSignal(int seen) {
            long start = System.nanoTime();
            int s;
            while ((s = signal) == seen && !closed) {
                if (!spin || System.nanoTime() - start > SPIN_NANOS) {
                    parked = true;   // written before the signal is read again: start() sees it or we see the signal
                    while ((s = signal) == seen && !closed) LockSupport.park(this);
                    parked = false;
                    return s;
                }
                Thread.onSpinWait();
            }
            return s;
        }
    }
}
