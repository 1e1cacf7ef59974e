package dev.posenc.models.testing;

import dev.posenc.core.Backend;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A device backend without a device, for counting host↔device traffic on a machine with no GPU. Its memory
 * hands out tensors marked {@link Tensor#onDevice()} (so any host read of them throws, as on a GPU) over host
 * memory; its kernels unwrap them and run the CPU backend's. It counts what the CUDA backend would move:
 * every {@link TensorMemory#copy} that crosses, every {@code int[]} argument (labels: uploaded per call), every
 * value a kernel returns to Java (a sum, a flag: downloaded). A kernel handed a HOST tensor fails, as a real
 * device would fail on a host address: that catches inputs nobody uploaded.
 *
 * <p>A dynamic proxy (test code only; the engine has no reflection): the fake must follow every kernel of
 * {@link Backend}, present and future, without a hand-written forwarder that would drift.
 */
public final class DeviceFake {
    private DeviceFake() {}

    /** A counting fake device over {@code cpu}; close the result to free its memory (not cpu). */
    public static Backend over(Backend cpu) {
        Memory memory = new Memory();
        return (Backend) proxy(Backend.class, cpu, memory);
    }

    private static Object proxy(Class<?> type, Object target, Memory memory) {
        InvocationHandler h = (self, m, args) -> switch (m.getName()) {
            case "memory" -> memory;
            case "name" -> "device-fake";
            case "close" -> { memory.close(); yield null; }
            case "toString" -> "DeviceFake";
            case "hashCode" -> System.identityHashCode(self);
            case "equals" -> self == args[0];
            default -> invoke(m, target, args, memory);
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object invoke(Method m, Object target, Object[] args, Memory memory) throws Throwable {
        Object[] host = args == null ? null : args.clone();
        for (int i = 0; host != null && i < host.length; i++) {
            if (host[i] instanceof Tensor t) {
                if (!t.onDevice()) throw new IllegalStateException("%s: argument %d is a host tensor %s: a device "
                        + "kernel would read a host address (upload it through backend.memory())"
                        .formatted(m.getName(), i, t.shape()));
                host[i] = Memory.hostView(t);
            } else if (host[i] instanceof int[] ints) {
                memory.copies = memory.copies.plusToDevice((long) ints.length * Integer.BYTES);
            }
        }
        Object r;
        try {
            r = m.invoke(target, host);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        Class<?> rt = m.getReturnType();
        if (rt == double.class || rt == long.class) memory.copies = memory.copies.plusToHost(8);
        else if (rt == boolean.class || rt == float.class || rt == int.class) memory.copies = memory.copies.plusToHost(4);
        else if (rt.isInterface() && r != null) return proxy(rt, r, memory);   // attention(), other kernel families
        return r;
    }

    /** Host memory posing as device memory, counting the copies that cross. */
    static final class Memory implements TensorMemory, AutoCloseable {
        private final List<Arena> arenas = new ArrayList<>();
        TensorMemory.Copies copies = TensorMemory.Copies.NONE;

        /** The host memory under a fake device tensor (a restricted reinterpret: tests run with native access). */
        static Tensor hostView(Tensor t) {
            if (!t.onDevice()) return t;
            return new Tensor(t.shape(), MemorySegment.ofAddress(t.address()).reinterpret(t.size() * Float.BYTES));
        }

        @Override public boolean device() { return true; }

        @Override public Region region() {
            Arena arena = Arena.ofShared();
            synchronized (arenas) { arenas.add(arena); }
            return new Region() {
                @Override public Tensor zeros(Shape shape) {
                    return Tensor.onDevice(shape, Tensor.zeros(arena, shape).address());
                }

                @Override public void close() {
                    synchronized (arenas) { arenas.remove(arena); }
                    arena.close();
                }
            };
        }

        @Override public void zero(Tensor t) { hostView(t).data().fill((byte) 0); }

        @Override public void copy(Tensor dst, Tensor src) {
            if (dst.size() != src.size()) throw new IllegalArgumentException(
                    "copy: src: expected %d elements, got %s".formatted(dst.size(), src.shape()));
            long bytes = dst.size() * Float.BYTES;
            if (dst.onDevice() && !src.onDevice()) copies = copies.plusToDevice(bytes);
            if (!dst.onDevice() && src.onDevice()) copies = copies.plusToHost(bytes);
            MemorySegment.copy(hostView(src).data(), 0, hostView(dst).data(), 0, bytes);
        }

        @Override public Copies copies() { return copies; }

        @Override public void close() {
            synchronized (arenas) {
                for (Arena a : arenas) a.close();
                arenas.clear();
            }
        }
    }
}
