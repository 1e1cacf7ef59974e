package dev.posenc.cuda;

import static jcuda.driver.JCudaDriver.*;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;

/**
 * One GPU through JCuda's driver API: the device's primary context (cuDevicePrimaryCtxRetain, whose signature
 * did not change in CUDA 13, unlike cuCtxCreate), one stream, the kernel modules loaded from the jar, a pooled
 * allocator, and host↔device copies. Every driver call is checked ({@link Cuda#check}).
 *
 * <p>Not thread-safe: the context is made current on the opening thread, and every call must come from it.
 */
final class CudaContext implements AutoCloseable {
    final CudaProbe.Device info;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    final CUstream stream = new CUstream();
    private final List<CUmodule> modules = new ArrayList<>();
    private final Map<String, CUfunction> functions = new HashMap<>();
    /** "fatbin" or "ptx" per stem: which image the driver accepted. */
    final Map<String, String> loaded = new java.util.LinkedHashMap<>();
    final DevicePool<CUdeviceptr> pool;

    /** Synchronise after every launch, so a fault names its kernel (see CudaBackend#open(boolean, boolean)). */
    private final boolean syncEveryLaunch;

    CudaContext(CudaProbe.Device info, boolean syncEveryLaunch) {
        this.info = info;
        this.syncEveryLaunch = syncEveryLaunch;
        check(cuInit(0), "cuInit", "driver");
        check(cuDeviceGet(device, info.ordinal()), "cuDeviceGet", "device " + info.ordinal());
        check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain", info.name());
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent", info.name());
        check(cuStreamCreate(stream, 0), "cuStreamCreate", info.name());
        pool = new DevicePool<>(new DevicePool.Allocator<>() {
            @Override public CUdeviceptr allocate(long bytes) {
                CUdeviceptr p = new CUdeviceptr();
                check(cuMemAlloc(p, bytes), "cuMemAlloc", bytes + " bytes");
                return p;
            }

            @Override public void free(CUdeviceptr p) { check(cuMemFree(p), "cuMemFree", "pool block"); }
        });
    }

    /**
     * Loads every stem of {@link KernelCatalog}: the fatbin first (SASS for sm_90a, else its compute_90 PTX is
     * JIT'd), the plain PTX (NUL-terminated) if the driver rejects the fatbin.
     *
     * @throws IllegalStateException when the jar carries no kernels (built without nvcc)
     */
    void loadKernels() {
        List<String> missing = KernelCatalog.missing();
        if (!missing.isEmpty()) throw new IllegalStateException(
                "the jar has no GPU kernels for " + missing + ": it was built without nvcc (see cuda/pom.xml)");
        for (var e : KernelCatalog.KERNELS.entrySet()) {
            String stem = e.getKey();
            CUmodule module = new CUmodule();
            byte[] fat = KernelCatalog.read(stem, "fatbin");
            int code = fat == null ? -1 : cuModuleLoadData(module, fat);
            if (code == 0) {
                loaded.put(stem, "fatbin");
            } else {
                byte[] ptx = KernelCatalog.nulTerminated(KernelCatalog.read(stem, "ptx"));
                check(cuModuleLoadData(module, ptx), "cuModuleLoadData", stem + ".ptx (fatbin: code " + code + ")");
                loaded.put(stem, "ptx");
            }
            modules.add(module);
            for (String name : e.getValue()) {
                CUfunction f = new CUfunction();
                check(cuModuleGetFunction(f, module, name), "cuModuleGetFunction", stem + "/" + name);
                functions.put(name, f);
            }
        }
    }

    CUfunction function(String name) {
        CUfunction f = functions.get(name);
        if (f == null) throw new IllegalArgumentException("kernel: expected one of " + functions.keySet() + ", got " + name);
        return f;
    }

    /** Launches {@code kernel} on the stream with the given argument pointers (in the .cu's order). */
    void launch(String kernel, LaunchConfig c, Pointer... args) {
        CUfunction f = function(kernel);
        if (c.sharedBytes() > 48 * 1024) {
            // above 48 KiB a kernel must opt in to dynamic shared memory
            check(cuFuncSetAttribute(f, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                    c.sharedBytes()), "cuFuncSetAttribute", kernel);
        }
        check(cuLaunchKernel(f, c.gridX(), c.gridY(), c.gridZ(), c.blockX(), c.blockY(), c.blockZ(), c.sharedBytes(),
                stream, Pointer.to(args), null), "cuLaunchKernel", kernel + " " + c);
        if (syncEveryLaunch) synchronize("kernel " + kernel + " " + c);
    }

    void synchronize(String after) { check(cuStreamSynchronize(stream), "cuStreamSynchronize", "after " + after); }

    /** Host segment → device. Synchronous for pageable memory; chunked because a ByteBuffer holds < 2 GiB. */
    void upload(CUdeviceptr dst, MemorySegment src, String what) {
        for (long off = 0; off < src.byteSize(); off += CHUNK) {
            long n = Math.min(CHUNK, src.byteSize() - off);
            check(cuMemcpyHtoD(dst.withByteOffset(off), Pointer.to(src.asSlice(off, n).asByteBuffer()), n),
                    "cuMemcpyHtoD", what);
        }
    }

    /** Device → host segment, after the stream's work. */
    void download(MemorySegment dst, CUdeviceptr src, String what) {
        synchronize("download of " + what);
        for (long off = 0; off < dst.byteSize(); off += CHUNK) {
            long n = Math.min(CHUNK, dst.byteSize() - off);
            check(cuMemcpyDtoH(Pointer.to(dst.asSlice(off, n).asByteBuffer()), src.withByteOffset(off), n),
                    "cuMemcpyDtoH", what);
        }
    }

    void zero(CUdeviceptr p, long bytes, String what) {
        check(cuMemsetD8Async(p, (byte) 0, bytes, stream), "cuMemsetD8Async", what);
    }

    /** Free and total device memory, bytes. */
    long[] memInfo() {
        long[] free = {0}, total = {0};
        check(cuMemGetInfo(free, total), "cuMemGetInfo", info.name());
        return new long[] {free[0], total[0]};
    }

    private static final long CHUNK = 1L << 30;

    private static void check(int code, String call, String about) { Cuda.check(code, call, about); }

    @Override public void close() {
        // synchronize first: freeing memory a kernel still reads is undefined behaviour
        try {
            synchronize("close");
        } finally {
            pool.close();
            for (CUmodule m : modules) check(cuModuleUnload(m), "cuModuleUnload", "close");
            check(cuStreamDestroy(stream), "cuStreamDestroy", "close");
            check(cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease", "close");
        }
    }
}
