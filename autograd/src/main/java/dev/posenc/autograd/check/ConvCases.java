package dev.posenc.autograd.check;

import dev.posenc.autograd.ops.BatchNorm2d;
import dev.posenc.autograd.ops.Conv2d;
import dev.posenc.autograd.ops.Mixture;
import dev.posenc.autograd.ops.Pool2d;
import dev.posenc.core.ConvGeometry;
import dev.posenc.core.Reference64;
import dev.posenc.core.Shape;

import java.util.Arrays;
import java.util.List;

/**
 * The gradient-check cases of the convolution family and DARTS's mixed operation, added to
 * {@link GradCheckSuite#cases()}: odd image sizes (5 × 7), every geometry the DARTS cell uses (3 × 3, stride 2,
 * dilation 2, 1 × 1), against their rows of {@link Reference64}.
 */
final class ConvCases {
    private ConvCases() {}

    static void add(List<GradCheckSuite.Case> c) {
        int b = 2, ch = 3, h = 5, w = 7, o = 4;
        Shape x = Shape.of(b, ch, h, w);
        for (ConvGeometry g : List.of(ConvGeometry.of(3, 1, 1), ConvGeometry.of(3, 2, 1), new ConvGeometry(3, 1, 2, 2),
                ConvGeometry.of(1, 1, 0))) {
            c.add(new GradCheckSuite.Case("conv2d " + g, List.of(x, Shape.of(o, ch, g.kernel(), g.kernel())), false,
                    (t, in) -> Conv2d.apply(t, in.get(0), in.get(1), g),
                    in -> Reference64.conv(in.get(0), in.get(1), b, ch, h, w, o, g, false),
                    "conv", (in, d) -> Reference64.convBackward(d, in.get(0), in.get(1), b, ch, h, w, o, g, false)));
        }
        for (ConvGeometry g : List.of(ConvGeometry.of(3, 1, 1), new ConvGeometry(3, 1, 2, 2), ConvGeometry.of(3, 2, 1))) {
            c.add(new GradCheckSuite.Case("depthwise_conv2d " + g, List.of(x, Shape.of(ch, 3, 3)), false,
                    (t, in) -> Conv2d.depthwise(t, in.get(0), in.get(1), g),
                    in -> Reference64.conv(in.get(0), in.get(1), b, ch, h, w, ch, g, true),
                    "conv", (in, d) -> Reference64.convBackward(d, in.get(0), in.get(1), b, ch, h, w, ch, g, true)));
        }
        for (ConvGeometry g : List.of(ConvGeometry.of(3, 1, 1), ConvGeometry.of(3, 2, 1))) {
            c.add(new GradCheckSuite.Case("avg_pool2d " + g, List.of(x), false, (t, in) -> Pool2d.avg(t, in.get(0), g),
                    in -> Reference64.pool(in.get(0), b * ch, h, w, g, false),
                    "pool", (in, d) -> Reference64.poolBackward(d, in.get(0), b * ch, h, w, g, false)));
            c.add(new GradCheckSuite.Case("max_pool2d " + g, List.of(x), false, (t, in) -> Pool2d.max(t, in.get(0), g),
                    in -> Reference64.pool(in.get(0), b * ch, h, w, g, true),
                    "pool", (in, d) -> Reference64.poolBackward(d, in.get(0), b * ch, h, w, g, true)));
        }
        c.add(new GradCheckSuite.Case("batch_norm2d", List.of(x), false, (t, in) -> BatchNorm2d.apply(t, in.get(0)),
                in -> Reference64.batchNorm(in.get(0), b, ch, h * w, BatchNorm2d.EPS),
                "batchNorm", (in, d) -> Reference64.batchNormBackward(d, in.get(0), b, ch, h * w, BatchNorm2d.EPS)));
        Shape y = Shape.of(3, 5);
        c.add(new GradCheckSuite.Case("mixture (one none)", List.of(Shape.of(3), y, y), false,
                (t, in) -> Mixture.apply(t, Arrays.asList(in.get(1), null, in.get(2)), in.get(0)),
                in -> Reference64.mixture(in.get(0), in.get(1), null, in.get(2)),
                "mixture", (in, d) -> {
                    double[][] g = Reference64.mixtureBackward(d, in.get(0), in.get(1), null, in.get(2));
                    return new double[][] {g[0], g[1], g[3]};                // the none candidate is no input
                }));
        float[] mask = {1, 0, 1, 1};
        c.add(new GradCheckSuite.Case("mixture_weights (masked)", List.of(Shape.of(4)), false,
                (t, in) -> Mixture.weights(t, in.get(0), mask), in -> Reference64.maskedSoftmax(in.get(0), mask),
                "maskedSoftmax", (in, d) -> Reference64.maskedSoftmaxBackward(d, in.get(0), mask)));
    }
}
