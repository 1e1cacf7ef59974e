package dev.posenc.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

/**
 * The worker pool's contract: every task runs exactly once per call, on more than one thread when there are
 * more, a failed task's exception reaches the caller and leaves the pool usable, nested and concurrent calls
 * finish (serially), and close stops the workers. Numerical agreement between 1 and 2 threads is each kernel
 * family's own test.
 */
@org.junit.jupiter.api.Timeout(60)   // a lost wake-up hangs rather than fails: make it fail
class ParallelTest {
    @Test
    void everyTaskRunsExactlyOnceAcrossManyBackToBackJobs() {
        try (Parallel p = new Parallel(3)) {
            for (int job = 0; job < 2000; job++) {
                int tasks = 1 + job % 37;
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                p.forEach(tasks, runs::incrementAndGet);
                int[] once = new int[tasks];
                Arrays.fill(once, 1);
                int[] got = new int[tasks];
                for (int t = 0; t < tasks; t++) got[t] = runs.get(t);
                assertArrayEquals(once, got, "job " + job);
            }
        }
    }

    @Test
    void workersTakeTasksWhenThereIsEnoughWork() {
        try (Parallel p = new Parallel(2)) {
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            // each task waits for the other thread's first task, so one thread alone cannot finish
            CountDownLatch both = new CountDownLatch(2);
            p.forEach(2, t -> {
                seen.add(Thread.currentThread());
                both.countDown();
                try {
                    assertTrue(both.await(10, java.util.concurrent.TimeUnit.SECONDS), "the worker never took a task");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(2, seen.size());
        }
    }

    @Test
    void aFailedTaskReachesTheCallerAndThePoolGoesOn() {
        try (Parallel p = new Parallel(2)) {
            for (int failing : new int[] {0, 7}) {   // 0: likely the caller's own task; 7: likely a worker's
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.forEach(8, t -> {
                    if (t == failing) throw new IllegalArgumentException("task " + t);
                }));
                assertEquals("task " + failing, e.getMessage());
            }
            AtomicIntegerArray runs = new AtomicIntegerArray(8);
            p.forEach(8, runs::incrementAndGet);
            for (int t = 0; t < 8; t++) assertEquals(1, runs.get(t));
        }
    }

    @Test
    void aCallerFailureWaitsForTheHelpersBeforeTheNextJob() {
        try (Parallel p = new Parallel(2)) {
            int failed = 0;
            for (int job = 0; job < 200; job++) {
                AtomicIntegerArray after = new AtomicIntegerArray(64);
                Thread caller = Thread.currentThread();
                // the caller's tasks fail at once while the worker's take a while: the next job must not overlap
                // them (when the worker happens to take every task, nothing fails: counted, not asserted per job)
                try {
                    p.forEach(64, t -> {
                        if (Thread.currentThread() == caller) throw new IllegalStateException("caller task " + t);
                        long until = System.nanoTime() + 20_000;
                        while (System.nanoTime() < until) Thread.onSpinWait();
                    });
                } catch (IllegalStateException expected) {
                    failed++;
                }
                p.forEach(64, after::incrementAndGet);
                for (int t = 0; t < 64; t++) assertEquals(1, after.get(t), "job " + job + ", task " + t);
            }
            assertTrue(failed > 100, "the caller's failure reached it in only " + failed + " of 200 jobs");
        }
    }

    @Test
    void callsAfterCloseRunOnTheCaller() {
        Parallel p = new Parallel(2);
        p.close();
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        p.forEach(8, runs::incrementAndGet);
        for (int t = 0; t < 8; t++) assertEquals(1, runs.get(t));
    }

    @Test
    void nestedCallsRunInsideTheirTask() {
        try (Parallel p = new Parallel(2)) {
            for (int job = 0; job < 500; job++) {   // the caller's own tasks nest too, not only the worker's
                AtomicIntegerArray runs = new AtomicIntegerArray(16);
                p.forEach(4, outer -> p.forEach(4, inner -> runs.incrementAndGet(outer * 4 + inner)));
                for (int t = 0; t < 16; t++) assertEquals(1, runs.get(t), "job " + job + ", task " + t);
            }
        }
    }

    @Test
    void twoCallersAtOnceBothFinish() throws Exception {
        try (Parallel p = new Parallel(2)) {
            long[] sums = new long[2];
            Thread[] callers = new Thread[2];
            for (int c = 0; c < 2; c++) {
                int caller = c;
                callers[c] = Thread.ofPlatform().start(() -> {
                    for (int job = 0; job < 500; job++) {
                        java.util.concurrent.atomic.AtomicLong sum = new java.util.concurrent.atomic.AtomicLong();
                        p.forEach(10, t -> sum.addAndGet(t));
                        sums[caller] += sum.get();
                    }
                });
            }
            for (Thread t : callers) t.join(30_000);
            assertEquals(500L * 45, sums[0]);
            assertEquals(500L * 45, sums[1]);
        }
    }

    @Test
    void closeStopsTheWorkers() throws Exception {
        Parallel p = new Parallel(3);
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        CountDownLatch all = new CountDownLatch(3);
        p.forEach(3, t -> {
            workers.add(Thread.currentThread());
            all.countDown();
            try {
                all.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        p.close();
        for (Thread w : workers) {
            if (w == Thread.currentThread()) continue;
            w.join(10_000);
            assertFalse(w.isAlive(), w.getName() + " still running after close");
        }
        assertEquals(3, workers.size());
    }
}
