package dev.posenc.autograd;

import dev.posenc.core.Backend;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * Reverse-mode automatic differentiation as a Wengert list: each op computes its forward value at once and
 * {@link #record}s a node (its output, its inputs and its backward rule). Because ops run in program order,
 * the list is already topologically sorted; {@link #backward} walks it from the end, and each node passes
 * ∂loss/∂out on to its inputs. That is the whole algorithm.
 *
 * <p>Memory: a tape holds one step's activations and step-local gradients ({@link #alloc}), all freed at
 * once by {@link #close()}: nothing waits for the GC. Parameters and their gradients live elsewhere (model
 * lifetime). Two ways to run many steps:
 * <ul>
 *   <li>a new tape per step (try-with-resources): simple, and 10,000 steps use the memory of one;</li>
 *   <li>one tape for the whole loop, {@link #reset()} before each step: the step memory is a slab that is
 *       handed out again from its start (see {@code StepMemory}), so after the first step a loop that records
 *       the same ops allocates no native memory at all ({@link #memoryGrowths()} stays put). Results are
 *       bit-identical to a fresh tape's. The price: after {@code reset()} every tensor and variable of the
 *       previous step is dead; its memory now holds the new step's values.</li>
 * </ul>
 *
 * <pre>{@code
 * try (Tape tape = new Tape(backend)) {
 *     Var loss = Losses.mse(tape, Linear.apply(tape, x, w, b), tape.constant(target));
 *     tape.backward(loss);          // w.grad() and b.grad() now hold ∂loss/∂w, ∂loss/∂b (added to what was there)
 * }                                  // activations freed here
 * }</pre>
 *
 * <p>Optional finite check ({@link #setCheckFinite}): after each op's forward, and after each backward rule,
 * the tape checks the results with {@link Backend#allFinite} and throws {@link NonFiniteException} naming the
 * first op that produced a NaN or an infinity. It costs one pass over each result; use it to debug.
 * A tape is used by one thread at a time (the kernels it calls may use many).
 */
public final class Tape implements AutoCloseable {
    /** One recorded op: what {@link #describe()} and {@link #toDot()} show. */
    record Node(String op, Var out, List<Var> inputs, Backward backward) {}

    private final Backend backend;
    private final Arena arena = Arena.ofShared(); // for arena() only; shared: worker threads touch this memory
    private final StepMemory memory;
    private final List<Node> nodes = new ArrayList<>();
    private boolean recording = true;
    private boolean checkFinite;
    private boolean backwardDone;

    public Tape(Backend backend) {
        this.backend = backend;
        this.memory = new StepMemory(backend.memory());
    }

    public Tape(Backend backend, boolean checkFinite) {
        this(backend);
        this.checkFinite = checkFinite;
    }

    public Backend backend() { return backend; }

    /**
     * An arena that lives until {@link #close()}, for a caller's own step-scoped buffers (test inputs, seeds).
     * {@link #reset()} does not reclaim it: in a reused tape, allocate through {@link #alloc} instead.
     */
    public Arena arena() { return arena; }

    /**
     * A zeroed, 64-byte aligned tensor that lives until this tape is {@link #reset()} or closed, in the
     * backend's memory (on the device for a device backend: read it with {@code backend.memory()}).
     */
    public Tensor alloc(Shape shape) { return memory.allocate(shape); }

    public Tensor alloc(int... dims) { return alloc(Shape.of(dims)); }

    /**
     * As {@link #alloc}, but with undefined contents (in a reused tape, the last step's values): only for an
     * op's output that its kernel overwrites in every element (a product that does not accumulate, an
     * element-wise map). Saves one pass over the buffer per step; results stay bit-identical.
     */
    public Tensor allocUninitialized(Shape shape) { return memory.allocateUninitialized(shape); }

    public Tensor allocUninitialized(int... dims) { return allocUninitialized(Shape.of(dims)); }

    /**
     * {@code host}'s values where the backend computes: {@code host} itself on host memory (no copy), else a
     * counted copy into this step's memory. For inputs made on the host (an evaluation chunk, a probe batch).
     */
    public Tensor upload(Tensor host) {
        if (!backend.memory().device() || host.onDevice()) return host;
        Tensor t = alloc(host.shape());
        backend.memory().copy(t, host);
        return t;
    }

    /** A value that needs no gradient: inputs, targets, fixed positions. */
    public Var constant(Tensor value) { return Var.constant(value); }

    /** A step-local leaf that wants a gradient (allocated in this tape's arena), e.g. an input to check. */
    public Var variable(Tensor value) { return Var.stepLocal(value, this); }

    public void setCheckFinite(boolean on) { checkFinite = on; }

    public boolean checkFinite() { return checkFinite; }

    /** Number of nodes recorded so far (for tests and debugging). */
    public int size() { return nodes.size(); }

    /** The recorded nodes in program order (read-only): the Wengert list itself. */
    List<Node> nodes() { return java.util.Collections.unmodifiableList(nodes); }

    /**
     * The tape as a table, one line per recorded op in program order: its output shape, its inputs (which need a
     * gradient) and the bytes of its output. See {@link TapeView}.
     */
    public String describe() { return TapeView.describe(nodes); }

    /** The tape as a Graphviz DOT graph (render with {@code dot -Tsvg tape.dot -o tape.svg}). See {@link TapeView}. */
    public String toDot() { return TapeView.toDot(nodes); }

    /**
     * Called by every op after it computed {@code value} from {@code inputs}. Returns the output variable.
     * Nothing is recorded (and the output is a constant) inside {@link #noGrad()} or when no input requires
     * a gradient.
     */
    public Var record(String op, Tensor value, List<Var> inputs, Backward backward) {
        if (checkFinite) requireFinite(value, op, "output " + value.shape());
        boolean needed = recording && anyRequiresGrad(inputs);
        if (!needed) return Var.constant(value);
        Var out = Var.stepLocal(value, this);
        nodes.add(new Node(op, out, List.copyOf(inputs), backward));
        return out;
    }

    /** A plain loop, not a stream: it runs for every op of every step (a stream pipeline per op was garbage). */
    private static boolean anyRequiresGrad(List<Var> inputs) {
        for (int i = 0; i < inputs.size(); i++) if (inputs.get(i).requiresGrad()) return true;
        return false;
    }

    /** Backpropagates from a scalar loss: seeds ∂loss/∂loss = 1. */
    public void backward(Var loss) {
        if (loss.value().size() != 1) throw new IllegalArgumentException(
                "backward: loss: expected a single element, got " + loss.shape());
        Tensor seed = alloc(loss.shape());
        backend.fill(seed, 1f);
        backward(loss, seed);
    }

    /**
     * Backpropagates with a given output gradient (PyTorch's {@code out.backward(gradient)}): adds
     * {@code seed} to out's gradient, then runs every node's rule from the last to the first. A node whose
     * output received no gradient is skipped: nothing downstream of the loss depends on it.
     * Call at most once per tape.
     */
    public void backward(Var out, Tensor seed) {
        if (backwardDone) throw new IllegalStateException(
                "backward: already run on this tape; reset() it or use a new tape per step");
        if (!out.requiresGrad()) throw new IllegalArgumentException(
                "backward: out is a constant (no input required a gradient, or it was computed under noGrad)");
        if (!seed.shape().equals(out.shape())) throw new IllegalArgumentException(
                "backward: seed: expected %s, got %s".formatted(out.shape(), seed.shape()));
        backwardDone = true;
        backend.axpy(out.grad(), 1f, seed);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node node = nodes.get(i);
            if (!node.out().hasGrad()) continue;
            node.backward().apply(node.out().grad());
            if (checkFinite) {
                List<Var> inputs = node.inputs();
                for (int k = 0; k < inputs.size(); k++) {
                    Var in = inputs.get(k);
                    if (in.requiresGrad() && in.hasGrad()) requireFinite(in.grad(), node.op(),
                            "backward, in the gradient of input %d %s".formatted(k, in.shape()));
                }
            }
        }
    }

    /** A scope in which ops record nothing: {@code try (var _ = tape.noGrad()) { ... }}. Scopes nest. */
    public NoGrad noGrad() {
        boolean previous = recording;
        recording = false;
        return () -> recording = previous;
    }

    /** Ends a {@link #noGrad()} scope; closing restores the recording state from before it. */
    @FunctionalInterface
    public interface NoGrad extends AutoCloseable {
        @Override void close();
    }

    /**
     * Thrown by the finite check. The message names the op, what it produced and where, e.g.
     * "op fourier_features produced NaN (first at index 37) in its output (64, 16)"; {@link #op()} is the op.
     */
    public static final class NonFiniteException extends ArithmeticException {
        private final String op;

        NonFiniteException(String op, String message) {
            super(message);
            this.op = op;
        }

        /** The name of the first op that produced a NaN or an infinity. */
        public String op() { return op; }
    }

    /**
     * One backend reduction per checked tensor; only when it fails is the tensor scanned element by element,
     * on this thread, for the first bad index (so the cost of a passing check stays one vectorised pass).
     */
    private void requireFinite(Tensor t, String op, String where) {
        if (backend.allFinite(t)) return;
        float[] values = backend.memory().toArray(t);     // the failing case only: an explicit copy to the host
        int first = 0;
        while (first < values.length && Float.isFinite(values[first])) first++;
        String kind = first < values.length && Float.isNaN(values[first]) ? "NaN" : "Inf";
        throw new NonFiniteException(op, "op %s produced %s (first at index %d) in its %s"
                .formatted(op, kind, first, where));
    }

    /**
     * Starts a new step on this tape: forgets the recorded nodes and hands the step memory out again from
     * its start (growing the slab once if the last step needed more). Every tensor from {@link #alloc} and
     * every variable recorded before the reset is dead afterwards. The recording state ({@link #noGrad()})
     * and the finite check are kept.
     */
    public void reset() {
        nodes.clear();
        backwardDone = false;
        memory.reset();
    }

    /**
     * How many times this tape has asked for native memory so far. In a loop of {@link #reset()} and
     * identical steps it stops changing after the first step: the check that a step allocates nothing.
     */
    public int memoryGrowths() { return memory.growths(); }

    /** Bytes handed out by {@link #alloc} since the last {@link #reset()} (64-byte aligned): a step's activation memory. */
    public long stepBytes() { return memory.stepBytes(); }

    /**
     * Bytes of native memory the step slab holds (0 before the first {@link #reset()}): after a warm-up step,
     * what one step of this loop costs. For memory estimates and their tests.
     */
    public long stepMemoryBytes() { return memory.slabBytes(); }

    /** Frees every activation and step-local gradient of this step. */
    @Override public void close() {
        memory.close();
        arena.close();
    }
}
