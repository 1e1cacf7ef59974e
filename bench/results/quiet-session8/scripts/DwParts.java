import dev.posenc.core.*;
import dev.posenc.kernels.CpuBackend;
import java.lang.foreign.Arena;
public class DwParts {
    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]); int c = Integer.parseInt(a[1]), s = Integer.parseInt(a[2]);
        ConvCases.cpu = threads == 1;
        try (CpuBackend be = new CpuBackend(threads); Arena arena = Arena.ofShared()) {
            var k = be.conv();
            ConvGeometry g = ConvGeometry.of(3, 1, 1);
            Rng rng = new Rng(5);
            Tensor x = rng.normal(arena, Shape.of(64, c, s, s)), w = rng.normal(arena, Shape.of(c, 3, 3));
            Tensor dOut = rng.normal(arena, x.shape()), dx = Tensor.zeros(arena, x.shape()), dw = Tensor.zeros(arena, w.shape()), out = Tensor.zeros(arena, x.shape());
            Runnable both = () -> k.depthwiseConv2dBackward(dx, dw, dOut, x, w, g);
            Runnable dxOnly = () -> k.depthwiseConv2dBackward(dx, null, dOut, x, w, g);
            Runnable dwOnly = () -> k.depthwiseConv2dBackward(null, dw, dOut, x, w, g);
            Runnable fwd = () -> k.depthwiseConv2d(out, x, w, g);
            Runnable[] rs = {both, dxOnly, dwOnly, fwd};
            System.out.printf("addr mod 4096: x %d dOut %d dx %d out %d (x %x)%n", x.data().address() % 4096, dOut.data().address() % 4096, dx.data().address() % 4096, out.data().address() % 4096, x.data().address());
            for (int i = 0; i < 3000; i++) for (Runnable r : rs) r.run();
            for (int round = 0; round < Integer.getInteger("rounds", 5); round++) {
                System.out.printf("both %.1f dx %.1f dw %.1f fwd %.1f%n", ConvCases.time(both), ConvCases.time(dxOnly), ConvCases.time(dwOnly), ConvCases.time(fwd));
            }
        }
    }
}
