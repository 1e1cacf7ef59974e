package dev.posenc.cuda;

import static dev.posenc.cuda.Args.i;
import static dev.posenc.cuda.Args.l;

import dev.posenc.core.RunLayout;

/**
 * layout.cu: the data-movement ops (heads, patchify, concat, slice) as one strided copy of runs, so they never
 * take device values through the host. Twin: {@link dev.posenc.core.LayoutKernels#copyRuns}'s host loop.
 * Launch maths only. Never run on a GPU.
 */
final class LayoutCuda {
    private final CudaContext cx;

    LayoutCuda(CudaContext cx) { this.cx = cx; }

    /** dst (+)= src along the runs of {@code l}. Runs must not overlap in dst (the callers' maps are one to one). */
    void copyRuns(DeviceTensor dst, DeviceTensor src, RunLayout l, boolean accumulate) {
        long total = l.runs() * l.len();
        if (total == 0) return;
        long[] d = l.dstStrides(), s = l.srcStrides();
        cx.launch("layout_copy_runs", LaunchConfig.gridStride(total), dst.arg(), src.arg(), l(l.dstOffset()), l(d[0]),
                l(d[1]), l(d[2]), l(l.srcOffset()), l(s[0]), l(s[1]), l(s[2]), i(l.counts()[1]), i(l.counts()[2]),
                i(l.len()), l(total), i(accumulate ? 1 : 0));
    }
}
