package dev.posenc.models.nn;

import dev.posenc.autograd.Tape;
import dev.posenc.autograd.Var;
import dev.posenc.core.Backend;
import dev.posenc.core.HostMemory;
import dev.posenc.core.Rng;
import dev.posenc.core.Shape;
import dev.posenc.core.Tensor;
import dev.posenc.core.TensorMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every tensor of a model in one model-lifetime slab (llm.c): declare, then allocate once.
 *
 * <p>Layers {@link #declare} their parameters (and fixed buffers, such as a Gaussian mapping's B) by name
 * while the model is built; {@link #allocate} then lays them out in one {@code Arena.ofShared()}:
 * <pre>
 *   values: [ trainable 0 | trainable 1 | ... | buffer 0 | ... ]     each slice 64-byte aligned
 *   grads:  [ trainable 0 | trainable 1 | ... ]                      same offsets as the trainable values
 * </pre>
 * and runs the initialisers in declaration order with one {@link Rng}, so a seed fixes every weight. Because
 * the trainable values and their gradients are each contiguous, the optimiser updates the whole model with
 * one fused call ({@link #trainableValues()}, {@link #grads()}); the alignment padding is zero in both and
 * stays zero under Adam. Closing the store frees everything at once.
 */
public final class ParameterStore implements AutoCloseable {
    /** Fills a freshly allocated tensor; runs once, in declaration order. */
    @FunctionalInterface
    public interface Init {
        void fill(Tensor t, Rng rng);
    }

    /** One named tensor of the model. Its value (and gradient, if trainable) exist once the store is allocated. */
    public static final class Parameter {
        private final String name;
        private final Shape shape;
        private final boolean trainable;
        private final Init init;
        private Tensor value, grad;
        private Var var;

        private Parameter(String name, Shape shape, boolean trainable, Init init) {
            this.name = name;
            this.shape = shape;
            this.trainable = trainable;
            this.init = init;
        }

        public String name() { return name; }

        public Shape shape() { return shape; }

        /** True for weights the optimiser updates; false for fixed buffers (saved, never trained). */
        public boolean trainable() { return trainable; }

        public Tensor value() {
            if (value == null) throw new IllegalStateException(
                    "parameter '%s': store not allocated yet".formatted(name));
            return value;
        }

        /** ∂loss/∂value, accumulated by the tape; zeroed by {@link ParameterStore#zeroGrad()}. */
        public Tensor grad() {
            if (!trainable) throw new IllegalStateException(
                    "parameter '%s' is a fixed buffer: no gradient".formatted(name));
            value();
            return grad;
        }

        /** The variable to use on {@code tape}: a parameter (gradient flows) or, for a buffer, a constant. */
        public Var var(Tape tape) {
            if (!trainable) return tape.constant(value());
            if (var == null) var = Var.parameter(value(), grad);
            return var;
        }

        @Override public String toString() { return name + shape + (trainable ? "" : " buffer"); }
    }

    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    private Arena arena;
    private TensorMemory memory = HostMemory.INSTANCE;
    private TensorMemory.Region region;   // the slabs' owner after placeOn; null while they are allocate()'s arena
    private Tensor valueSlab, trainableValues, grads;   // valueSlab: every value, trainable then buffers
    private long trainableElements;

    /** Declares a trainable parameter; {@code init} fills it at {@link #allocate}. Names must be unique. */
    public Parameter declare(String name, Shape shape, Init init) { return add(name, shape, true, init); }

    /** Declares a fixed buffer: saved with the model, never trained (e.g. Tancik's B). */
    public Parameter declareBuffer(String name, Shape shape, Init init) { return add(name, shape, false, init); }

    private Parameter add(String name, Shape shape, boolean trainable, Init init) {
        if (arena != null) throw new IllegalStateException(
                "declare '%s': the store is already allocated".formatted(name));
        if (byName.containsKey(name)) throw new IllegalArgumentException(
                "declare: name: '%s' is already declared".formatted(name));
        if (shape.size() == 0) throw new IllegalArgumentException(
                "declare '%s': shape: expected no zero dimension, got %s".formatted(name, shape));
        Parameter p = new Parameter(name, shape, trainable, init);
        byName.put(name, p);
        return p;
    }

    /** Lays every declared tensor out in one slab and initialises them in declaration order. Call once. */
    public void allocate(Rng rng) {
        if (arena != null) throw new IllegalStateException("allocate: already allocated");
        long trainableFloats = 0, bufferFloats = 0;
        for (Parameter p : byName.values()) {
            if (p.trainable) trainableFloats += padded(p.shape.size());
            else bufferFloats += padded(p.shape.size());
        }
        arena = Arena.ofShared(); // shared: kernels read parameters from worker threads
        long valueBytes = Math.max(1, trainableFloats + bufferFloats) * Float.BYTES;
        MemorySegment values = arena.allocate(valueBytes, Tensor.ALIGNMENT);          // zero-filled
        MemorySegment gradSlab = arena.allocate(Math.max(1, trainableFloats) * Float.BYTES, Tensor.ALIGNMENT);
        trainableElements = trainableFloats;
        Shape flat = Shape.of(Math.toIntExact(trainableFloats));
        valueSlab = new Tensor(Shape.of(Math.toIntExact(trainableFloats + bufferFloats)),
                values.asSlice(0, (trainableFloats + bufferFloats) * Float.BYTES));
        trainableValues = new Tensor(flat, values.asSlice(0, trainableFloats * Float.BYTES));
        grads = new Tensor(flat, gradSlab.asSlice(0, trainableFloats * Float.BYTES));
        long trainableAt = 0, bufferAt = trainableFloats;
        for (Parameter p : byName.values()) {
            long n = p.shape.size(), at = p.trainable ? trainableAt : bufferAt;
            p.value = new Tensor(p.shape, values.asSlice(at * Float.BYTES, n * Float.BYTES));
            if (p.trainable) {
                p.grad = new Tensor(p.shape, gradSlab.asSlice(at * Float.BYTES, n * Float.BYTES));
                trainableAt += padded(n);
            } else {
                bufferAt += padded(n);
            }
        }
        for (Parameter p : byName.values()) p.init.fill(p.value, rng);
    }

    /** Whole floats per tensor, rounded up so the next one starts 64-byte aligned. */
    private static long padded(long floats) {
        long perLine = Tensor.ALIGNMENT / Float.BYTES;
        return (floats + perLine - 1) / perLine * perLine;
    }

    public boolean allocated() { return arena != null; }

    /** Where the slabs live: host memory until {@link #placeOn} moves them. */
    public TensorMemory memory() { return memory; }

    /**
     * Moves every value and gradient into {@code target} (a backend's memory), so the training step never
     * leaves it: one copy of the value slab (llm.c's single host→device copy), the gradients zeroed there.
     * Host memory (the CPU backend) is a no-op: the tensors stay where they are, bit for bit. Call after
     * {@link #allocate} (and any load) and before {@link Parameter#var} is used on a tape; {@code placeOn(host)}
     * brings a device model back (for checkpoints, images, saving).
     */
    public void placeOn(TensorMemory target) {
        requireAllocated();
        if (target == memory) return;
        TensorMemory.Region next = target.region();
        Tensor values = next.zeros(valueSlab.shape());
        (target.device() ? target : memory).copy(values, valueSlab);   // one copy; the device side counts it
        Tensor gradSlab = next.zeros(Shape.of(Math.toIntExact(Math.max(1, trainableElements))));
        long trainableAt = 0, bufferAt = trainableElements;   // the offsets allocate() used: the same layout
        for (Parameter p : byName.values()) {
            long at = p.trainable ? trainableAt : bufferAt;
            Tensor v = values.view(at, p.shape);
            if (p.trainable) {
                p.grad = gradSlab.view(at, p.shape);
                trainableAt += padded(p.shape.size());
            } else {
                bufferAt += padded(p.shape.size());
            }
            p.value = v;
            p.var = null;
        }
        valueSlab = values;
        trainableValues = values.view(0, Shape.of(Math.toIntExact(trainableElements)));
        grads = gradSlab.view(0, Shape.of(Math.toIntExact(trainableElements)));
        if (region != null) region.close();   // the slabs of a previous placeOn; allocate()'s arena lives on
        region = next;
        memory = target;
    }

    /** The scope of {@link #placedOn}: closing it moves the store back. */
    @FunctionalInterface
    public interface Placement extends AutoCloseable {
        @Override void close();
    }

    /**
     * {@link #placeOn}({@code target}) for a scope: {@code try (var _ = store.placedOn(backend.memory())) {...}}
     * puts the store back where it was at the end. For evaluating a model that lives on the host with a device
     * backend (a weights copy each way); a no-op where it already is.
     */
    public Placement placedOn(TensorMemory target) {
        TensorMemory was = memory;
        placeOn(target);
        return () -> placeOn(was);
    }

    /** Every declared tensor, in declaration order. */
    public List<Parameter> all() { return Collections.unmodifiableList(new ArrayList<>(byName.values())); }

    /** The tensor called {@code name}; the error lists the names there are. */
    public Parameter get(String name) {
        Parameter p = byName.get(name);
        if (p == null) throw new IllegalArgumentException(
                "parameter: no '%s'; declared: %s".formatted(name, byName.keySet()));
        return p;
    }

    /** Number of trainable scalars (not counting alignment padding). */
    public long trainableCount() {
        return byName.values().stream().filter(Parameter::trainable).mapToLong(p -> p.shape.size()).sum();
    }

    /** Every trainable value as one flat tensor (with zero padding between parameters), for fused updates. */
    public Tensor trainableValues() { requireAllocated(); return trainableValues; }

    /** Every gradient as one flat tensor, in the layout of {@link #trainableValues()}. */
    public Tensor grads() { requireAllocated(); return grads; }

    /** Sets every gradient to 0: once per step, before backward (the tape only adds). */
    public void zeroGrad() {
        requireAllocated();
        if (trainableElements > 0) memory.zero(grads);
    }

    /**
     * Null if every value (trainable or buffer) is finite; else which is not, e.g. "parameter 'mlp.0.weight'
     * (256, 512) holds NaN (first at index 3)". One backend reduction per tensor; only a failing one is scanned.
     */
    public String firstNonFinite(Backend backend) {
        requireAllocated();
        for (Parameter p : byName.values()) {
            String bad = describeNonFinite(backend, p.value);
            if (bad != null) return "parameter '%s' %s holds %s".formatted(p.name, p.shape, bad);
        }
        return null;
    }

    /** Null if {@code t} is finite, else "NaN (first at index i)" or "Inf (first at index i)". */
    public static String describeNonFinite(Backend backend, Tensor t) {
        if (backend.allFinite(t)) return null;
        float[] v = backend.memory().toArray(t);   // the failing case only: an explicit copy to the host
        int i = 0;
        while (i < v.length && Float.isFinite(v[i])) i++;
        return "%s (first at index %d)".formatted(i < v.length && Float.isNaN(v[i]) ? "NaN" : "Inf", i);
    }

    private void requireAllocated() {
        if (arena == null) throw new IllegalStateException("parameter store: not allocated yet");
    }

    @Override public void close() {
        if (region != null) region.close();
        if (arena != null) arena.close();
    }
}
