package dev.posenc.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.posenc.core.Backend;
import dev.posenc.core.MatmulForm;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, on a real GPU (the device round runs it through GpuTestMain; elsewhere it skips with the probe's
 * reason): the kernels of a classifier step on tensors from {@code memory()}, with resident labels and a resident
 * embedding index, move nothing between host and device; reading the loss is one 4-byte copy; the loss is the CPU's
 * (fp32, within the summation-order tolerance). The models module's DeviceFake tests count the same on the CPU.
 */
class DeviceResidencyTest {
    /** Sums of ~70 products and a 7-row log-sum-exp in another order than the CPU's. */
    private static final double LOSS_ATOL = 1e-5;

    @Test
    void aStepOnDeviceTensorsCopiesOnlyTheLossScalar() {
        CudaBackend gpu = switch (CudaBackend.open(false, Boolean.getBoolean("posenc.cuda.sync"))) {
            case CudaBackend.Opened o -> o.backend();
            case CudaBackend.Unavailable u -> null;
        };
        assumeTrue(gpu != null, "no CUDA backend (see CudaProbeTest for the reason)");
        try (gpu; Backend cpu = new CpuBackend(1)) {
            assertEquals(step(cpu), step(gpu), LOSS_ATOL);
        }
    }

    /** gather tokens, logits = h·Wᵀ, cross-entropy to a tensor, its backward, dW, the scatter-add; the loss read. */
    private static float step(Backend be) {
        TensorMemory memory = be.memory();
        try (Arena arena = Arena.ofShared(); TensorMemory.Region region = memory.region()) {
            Rng rng = new Rng(61);
            Tensor table = memory.resident(region, rng.normal(arena, Shape.of(11, 67)));
            Tensor w = memory.resident(region, rng.normal(arena, Shape.of(5, 67)));
            Tensor index = memory.resident(region, Tensor.of(arena, Shape.of(7), 3, 0, 3, 10, 1, 3, 0));
            Tensor labels = memory.resident(region, Tensor.of(arena, Shape.of(7), 0, 4, 2, 2, 1, 3, 0));
            Tensor one = memory.resident(region, Tensor.of(arena, Shape.of(), 1f));
            Tensor h = region.zeros(Shape.of(7, 67)), logits = region.zeros(Shape.of(7, 5));
            Tensor loss = region.zeros(Shape.of()), dLogits = region.zeros(Shape.of(7, 5));
            Tensor dW = region.zeros(Shape.of(5, 67)), dH = region.zeros(Shape.of(7, 67));
            Tensor dTable = region.zeros(Shape.of(11, 67));
            TensorMemory.Copies before = memory.copies();
            be.gatherRows(h, table, index);
            be.matmul(logits, h, w, MatmulForm.NT, false);
            be.crossEntropyTo(loss, logits, labels);
            be.crossEntropyBackward(dLogits, logits, labels, one);
            be.matmul(dW, dLogits, h, MatmulForm.TN, true);
            be.matmul(dH, dLogits, w, MatmulForm.NN, true);
            be.scatterAddRows(dTable, dH, index);
            if (memory.device()) assertEquals(TensorMemory.Copies.NONE, memory.copies().minus(before), "kernels");
            float value = memory.read(loss, 0);
            if (memory.device()) assertEquals(new TensorMemory.Copies(0, 0, 1, Float.BYTES),
                    memory.copies().minus(before), "reading the loss");
            return value;
        }
    }
}
