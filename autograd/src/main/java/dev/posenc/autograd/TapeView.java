package dev.posenc.autograd;

import dev.posenc.core.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tape made visible: {@link Tape#describe()} as a text table and {@link Tape#toDot()} as a Graphviz graph.
 *
 * <p>Names: the output of node k is {@code %k}; a leaf (a value no recorded op produced) is {@code p0, p1, …} for
 * parameters, {@code v0, …} for step variables ({@link Tape#variable}) and {@code c0, …} for constants, numbered in
 * order of first use. A {@code *} marks a value that needs a gradient: backward will write into its grad. The bytes
 * are those of each op's output; an output that is a view of an input's memory (reshape) costs 0.
 */
final class TapeView {
    private TapeView() {}

    /** Every value's name, and the leaves in order of first use (an identity map: two Vars may be equal-looking). */
    private record Names(Map<Var, String> of, List<Var> leaves) {}

    private static Names names(List<Tape.Node> nodes) {
        Map<Var, String> names = new IdentityHashMap<>();
        List<Var> order = new ArrayList<>();
        int[] leaves = new int[3]; // parameters, variables, constants
        for (int k = 0; k < nodes.size(); k++) {
            for (Var in : nodes.get(k).inputs()) {
                if (names.containsKey(in)) continue;
                int kind = in.isParameter() ? 0 : in.requiresGrad() ? 1 : 2;
                names.put(in, "pvc".charAt(kind) + Integer.toString(leaves[kind]++));
                order.add(in);
            }
            names.put(nodes.get(k).out(), "%" + k);
        }
        return new Names(names, order);
    }

    private static String ref(Names names, Var v) {
        return names.of().get(v) + (v.requiresGrad() ? "*" : "") + " " + v.shape();
    }

    /** Bytes of the node's output, 0 when it shares its memory with an input (a view). */
    static long outputBytes(Tape.Node node) {
        Tensor out = node.out().value();
        for (Var in : node.inputs()) {
            if (in.value().data().address() == out.data().address() && in.value().data().byteSize() == out.data().byteSize()) return 0;
        }
        return out.size() * Float.BYTES;
    }

    static String describe(List<Tape.Node> nodes) {
        Names names = names(nodes);
        StringBuilder b = new StringBuilder();
        b.append("%-5s %-22s %-16s %12s  %s%n".formatted("node", "op", "output", "bytes", "inputs (* = needs a gradient)"));
        long total = 0;
        int parameters = 0;
        for (int k = 0; k < nodes.size(); k++) {
            Tape.Node node = nodes.get(k);
            long bytes = outputBytes(node);
            total += bytes;
            List<String> inputs = node.inputs().stream().map(v -> ref(names, v)).toList();
            b.append("%-5s %-22s %-16s %12d  %s%n".formatted("%" + k, node.op(), node.out().shape(), bytes,
                    String.join(", ", inputs)));
        }
        for (Var v : names.leaves()) if (v.isParameter()) parameters++;
        b.append("%d ops, %d parameter tensors, %d bytes of activations (op outputs)%n".formatted(nodes.size(), parameters, total));
        return b.toString();
    }

    /**
     * Leaves are ellipses (parameters filled), ops are boxes with their output shape and bytes. An edge that
     * carries a gradient back is solid; one into a constant is dashed (backward sends nothing along it).
     */
    static String toDot(List<Tape.Node> nodes) {
        Names names = names(nodes);
        StringBuilder b = new StringBuilder("digraph tape {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n");
        for (Var v : names.leaves()) {
            String name = names.of().get(v);
            b.append("  \"%s\" [shape=ellipse, label=\"%s\\n%s\"%s];\n".formatted(name, name, v.shape(),
                    v.isParameter() ? ", style=filled, fillcolor=\"#dde8f7\"" : ""));
        }
        for (int k = 0; k < nodes.size(); k++) {
            Tape.Node node = nodes.get(k);
            b.append("  \"%%%d\" [shape=box, label=\"%%%d %s\\n%s, %d B\"];\n".formatted(k, k, node.op(), node.out().shape(),
                    outputBytes(node)));
            for (Var in : node.inputs()) {
                b.append("  \"%s\" -> \"%%%d\"%s;\n".formatted(names.of().get(in), k, in.requiresGrad() ? "" : " [style=dashed]"));
            }
        }
        return b.append("}\n").toString();
    }
}
