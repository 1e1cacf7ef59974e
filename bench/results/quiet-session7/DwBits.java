// Session 7: the depthwise backward of two kernels builds (jar or classes folder) on the same inputs, compared bit for bit.
// Run: java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp core/target/classes DwBits.java OLD NEW THREADS
import dev.posenc.core.*;
import java.lang.foreign.Arena;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

public class DwBits {
    public static void main(String[] args) throws Exception {
        Backend[] be = new Backend[2];
        for (int i = 0; i < 2; i++) {
            ClassLoader cl = new URLClassLoader(new URL[] {Path.of(args[i]).toUri().toURL()}, DwBits.class.getClassLoader());
            be[i] = (Backend) cl.loadClass("dev.posenc.kernels.CpuBackend").getConstructor(int.class).newInstance(Integer.parseInt(args[2]));
        }
        try (Arena arena = Arena.ofShared()) {
            for (int[] cs : new int[][] {{8, 14}, {16, 7}, {5, 9}}) {
                for (ConvGeometry g : new ConvGeometry[] {new ConvGeometry(3, 1, 1, 1), new ConvGeometry(3, 1, 2, 2)}) {
                    Rng rng = new Rng(7);
                    Tensor x = rng.normal(arena, Shape.of(64, cs[0], cs[1], cs[1])), w = rng.normal(arena, Shape.of(cs[0], 3, 3));
                    Tensor dOut = rng.normal(arena, Shape.of(64, cs[0], cs[1], cs[1]));
                    float[][] dws = new float[2][], dxs = new float[2][];
                    for (int i = 0; i < 2; i++) {
                        Tensor dx = Tensor.zeros(arena, x.shape()), dw = Tensor.zeros(arena, w.shape());
                        be[i].conv().depthwiseConv2dBackward(dx, dw, dOut, x, w, g);
                        dws[i] = dw.toArray(); dxs[i] = dx.toArray();
                    }
                    System.out.println(cs[0] + "x" + cs[1] + " " + g + ": dw bits equal " + Arrays.equals(dws[0], dws[1]) + ", dx " + Arrays.equals(dxs[0], dxs[1]));
                }
            }
        }
    }
}
