package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.RunLayout;
import dev.posenc.core.Shape;
import dev.posenc.core.Shapes;
import dev.posenc.core.Tensor;

import java.util.List;

/**
 * Cuts images into non-overlapping p × p patches, as ViT's input (Dosovitskiy et al. 2021): images (B, H, W) →
 * (B, (H/p)·(W/p), p·p), patches in row-major order over the grid, pixels row-major inside a patch; in einops,
 * {@code b (gh p1) (gw p2) -> b (gh gw) (p1 p2)}. A permutation of the pixels, so the backward moves the
 * gradient back: dimages[b, gy·p + py, gx·p + px] += dOut[b, gy·(W/p) + gx, py·p + px].
 */
public final class Patchify {
    private Patchify() {}

    public static Var apply(Tape tape, Var images, int p) {
        Shapes.require(images.value().rank() == 3, "patchify", "images", "a 3-D tensor (B, H, W)", images.shape());
        int b = images.shape().dim(0), h = images.shape().dim(1), w = images.shape().dim(2);
        Shapes.require(p > 0, "patchify", "p", "a positive patch size", p);
        Shapes.require(h % p == 0 && w % p == 0, "patchify", "images",
                "H and W multiples of the patch size %d".formatted(p), images.shape());
        int gh = h / p, gw = w / p;
        Tensor out = tape.alloc(Shape.of(b, gh * gw, p * p));
        // One run = row py of patch (gy, gx) of image bb: p pixels. Run r = ((bb·gh + gy)·gw + gx)·p + py, so the
        // counts are (B·gh, gw, p); it starts at r·p in out and at ((bb·gh + gy)·p + py)·W + gx·p in the images.
        RunLayout l = Runs.layout(b * gh, gw, p, p, 0, new long[] {(long) gw * p * p, (long) p * p, p},
                0, new long[] {(long) p * w, p, w});
        Backend be = tape.backend();
        Runs.copy(be, out, images.value(), l);
        return tape.record("patchify", out, List.of(images), dOut -> Runs.addBack(be, images.grad(), dOut, l));
    }
}
