package dev.posenc.autograd.ops;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
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
        int gh = h / p, gw = w / p, runs = b * gh * gw * p;    // one run = one row of one patch: p pixels
        Tensor out = tape.alloc(Shape.of(b, gh * gw, p * p));
        Runs.copy(out, images.value(), runs, p, r -> (long) r * p, r -> pixelAt(r, p, gh, gw, w));
        return tape.record("patchify", out, List.of(images), dOut ->
                Runs.add(images.grad(), dOut, runs, p, r -> pixelAt(r, p, gh, gw, w), r -> (long) r * p));
    }

    /** Run r = ((bb·gh + gy)·gw + gx)·p + py, i.e. patch row py of patch (gy, gx) of image bb, starts here. */
    private static long pixelAt(int r, int p, int gh, int gw, int w) {
        int py = r % p, gx = (r / p) % gw, gy = (r / (p * gw)) % gh, bb = r / (p * gw * gh);
        return ((long) bb * gh * p + (long) gy * p + py) * w + (long) gx * p;
    }
}
