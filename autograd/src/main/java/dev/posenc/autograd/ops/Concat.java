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
 * Concatenation along the token axis, as torch.cat(parts, dim=1): parts (B, Tᵢ, D) → out (B, ΣTᵢ, D), e.g. a
 * class token (B, 1, D) before the patch tokens (B, T, D). Backward: each part gets its slice of dOut back,
 * dpartᵢ[b] += dOut[b, offsetᵢ : offsetᵢ + Tᵢ].
 */
public final class Concat {
    private Concat() {}

    public static Var tokens(Tape tape, List<Var> parts) {
        Shapes.require(!parts.isEmpty(), "concat", "parts", "at least one tensor", "none");
        Shape first = parts.getFirst().shape();
        Shapes.require(first.rank() == 3, "concat", "parts[0]", "a 3-D tensor (B, T, D)", first);
        int b = first.dim(0), d = first.dim(2), total = 0;
        for (int i = 0; i < parts.size(); i++) {
            Shape s = parts.get(i).shape();
            Shapes.require(s.rank() == 3 && s.dim(0) == b && s.dim(2) == d, "concat", "parts[" + i + "]",
                    "(%d, T, %d)".formatted(b, d), s);
            total += s.dim(1);
        }
        int sum = total;
        Tensor out = tape.alloc(Shape.of(b, sum, d));
        Backend be = tape.backend();
        RunLayout[] layouts = new RunLayout[parts.size()];  // part i: b runs of t·d floats, at token offset `at`
        for (int i = 0, at = 0; i < parts.size(); at += parts.get(i).shape().dim(1), i++) {
            int t = parts.get(i).shape().dim(1);
            layouts[i] = Runs.layout(1, 1, b, t * d, (long) at * d, new long[] {0, 0, (long) sum * d},
                    0, new long[] {0, 0, (long) t * d});
            Runs.copy(be, out, parts.get(i).value(), layouts[i]);
        }
        return tape.record("concat", out, parts, dOut -> {
            for (int i = 0; i < parts.size(); i++) {
                Var p = parts.get(i);
                if (p.requiresGrad()) Runs.addBack(be, p.grad(), dOut, layouts[i]);
            }
        });
    }

    public static Var tokens(Tape tape, Var... parts) { return tokens(tape, List.of(parts)); }
}
