package dev.posenc.core;

/**
 * Argument checks shared by every backend, so that the CPU and GPU backends reject bad input with the
 * same message: op, argument, expected and actual shape.
 */
public final class Shapes {
    private Shapes() {}

    public static void require(boolean ok, String op, String arg, Object expected, Object actual) {
        if (!ok) throw new IllegalArgumentException("%s: %s: expected %s, got %s".formatted(op, arg, expected, actual));
    }

    public static void same(String op, String arg, Tensor expectedLike, Tensor actual) {
        require(expectedLike.shape().equals(actual.shape()), op, arg, expectedLike.shape(), actual.shape());
    }

    public static void rank2(String op, String arg, Tensor t) {
        require(t.rank() == 2, op, arg, "a 2-D tensor", t.shape());
    }

    public static void shape(String op, String arg, Tensor t, int... dims) {
        require(t.shape().equals(Shape.of(dims)), op, arg, Shape.of(dims), t.shape());
    }

    /** The checked sizes (m, n, k) of {@code out = form(a, b)}, all 2-D. */
    public static int[] matmul(String op, Tensor out, Tensor a, Tensor b, MatmulForm form) {
        rank2(op, "a", a);
        rank2(op, "b", b);
        rank2(op, "out", out);
        int m = form.m(a), k = form.k(a), n = form.n(b);
        // The message is formatted only on failure: formatting it on every call cost more than small products.
        if (form.kOfB(b) != k) {
            require(false, op, "b", "inner dimension %d (a is %s, form %s)".formatted(k, a.shape(), form), b.shape());
        }
        shape(op, "out", out, m, n);
        return new int[] {m, n, k};
    }
}
