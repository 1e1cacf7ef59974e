package dev.posenc.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: kernel attention has no device route (its ratio and prefix sums are host loops), so on device tensors it
 * stops at once, naming itself, instead of failing on a host read deep inside.
 */
class KernelAttentionOnDeviceTest {
    @Test
    void kernelAttentionRefusesDeviceTensorsByName() {
        try (CpuBackend be = new CpuBackend(1); Arena arena = Arena.ofConfined(); Tape tape = new Tape(be)) {
            Shape s = Shape.of(2, 5, 3);
            Var q = tape.constant(Tensor.onDevice(s, Tensor.zeros(arena, s).address()));   // a device tensor's form
            var e = assertThrows(UnsupportedOperationException.class, () -> KernelAttention.apply(tape, q, q, q, false));
            assertEquals("kernel_attention: runs on host memory only (its ratio and prefix sums are host loops, no "
                    + "device kernels yet); use the CPU backend", e.getMessage());
            Var b = tape.constant(Tensor.zeros(arena, Shape.of(2, 9)));
            e = assertThrows(UnsupportedOperationException.class,
                    () -> RpeKernelAttention.apply(tape, q, q, q, b, true));
            assertEquals("rpe_kernel_attention", e.getMessage().substring(0, e.getMessage().indexOf(':')));
        }
    }
}
