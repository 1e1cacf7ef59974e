package dev.posenc.core.graph;

import dev.posenc.core.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Plain-text edge lists, one edge "u v" per line (networkx's {@code write_edgelist} format): whitespace-separated
 * non-negative integer node ids, further columns (weights) ignored, '#' starts a comment, blank lines skipped.
 *
 * <p>What is done with each kind of input, so that nothing is changed in silence:
 * <ul>
 *   <li>node count declared ({@code nodes} ≥ 1): ids must lie in [0, nodes) and are kept as they are; an id outside
 *       is an error naming the file and line;</li>
 *   <li>node count not declared ({@code nodes} = 0): the ids that occur are relabelled 0 .. n−1 in increasing order
 *       (as networkx's reader does), so gaps in the numbering make no isolated nodes;</li>
 *   <li>a self-loop is dropped, and so is a repeated edge (for an undirected graph "v u" repeats "u v"); both are
 *       counted in {@link Parsed}, with the first line of each, for the caller to report;</li>
 *   <li>a malformed line (one field, a non-integer, a negative id) and a file with no edge are errors.</li>
 * </ul>
 */
public final class EdgeLists {
    private EdgeLists() {}

    /** The graph and what was dropped or relabelled on the way (line numbers 1-based, 0 when none). */
    public record Parsed(Graph graph, int selfLoops, int firstSelfLoopLine, int repeats, int firstRepeatLine,
                         boolean relabelled) {
        /** One line for the user, e.g. "dropped 53 repeated edges (first at line 4)". */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (selfLoops > 0) parts.add("dropped %d self-loop%s (first at line %d)".formatted(selfLoops,
                    selfLoops == 1 ? "" : "s", firstSelfLoopLine));
            if (repeats > 0) parts.add("dropped %d repeated edge%s (first at line %d)".formatted(repeats,
                    repeats == 1 ? "" : "s", firstRepeatLine));
            if (relabelled) parts.add("node ids relabelled 0..%d in increasing order".formatted(graph.nodes() - 1));
            return parts.isEmpty() ? "read as given" : String.join("; ", parts);
        }
    }

    /**
     * Reads an edge list. {@code nodes}: the declared node count, or 0 to relabel the ids that occur.
     *
     * @throws IllegalArgumentException naming the file and line for malformed input, an out-of-range id, or no edge
     */
    public static Parsed read(Path file, boolean directed, int nodes) throws IOException {
        if (nodes < 0) throw new IllegalArgumentException("nodes: expected >= 0 (0: relabel), got " + nodes);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<int[]> raw = new ArrayList<>();   // u, v, line
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String body = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (body.isEmpty()) continue;
            String[] f = body.split("\\s+");
            String where = "%s:%d".formatted(file, i + 1);
            if (f.length < 2) throw new IllegalArgumentException(
                    "%s: expected two node ids \"u v\", got \"%s\"".formatted(where, body));
            int u = id(f[0], where), v = id(f[1], where);
            if (nodes > 0 && (u >= nodes || v >= nodes)) throw new IllegalArgumentException(
                    "%s: node id %d out of range [0, %d) (the declared node count)".formatted(where, Math.max(u, v), nodes));
            raw.add(new int[] {u, v, i + 1});
        }
        if (raw.isEmpty()) throw new IllegalArgumentException(file + ": expected at least one edge \"u v\", got none");
        int n = nodes;
        Map<Integer, Integer> relabel = null;
        if (nodes == 0) {
            TreeSet<Integer> ids = new TreeSet<>();
            for (int[] r : raw) { ids.add(r[0]); ids.add(r[1]); }
            relabel = new HashMap<>();
            for (int id : ids) relabel.put(id, relabel.size());
            n = ids.size();
        }
        int selfLoops = 0, firstLoop = 0, repeats = 0, firstRepeat = 0;
        Map<Long, Integer> seen = new HashMap<>();
        List<int[]> kept = new ArrayList<>();
        for (int[] r : raw) {
            int u = relabel == null ? r[0] : relabel.get(r[0]), v = relabel == null ? r[1] : relabel.get(r[1]);
            if (u == v) {
                if (selfLoops++ == 0) firstLoop = r[2];
                continue;
            }
            long key = directed ? (long) u * n + v : (long) Math.min(u, v) * n + Math.max(u, v);
            if (seen.putIfAbsent(key, r[2]) != null) {
                if (repeats++ == 0) firstRepeat = r[2];
                continue;
            }
            kept.add(new int[] {u, v});
        }
        if (kept.isEmpty()) throw new IllegalArgumentException(
                file + ": expected at least one edge between two different nodes, got only self-loops");
        int[] s = new int[kept.size()], d = new int[kept.size()];
        for (int e = 0; e < s.length; e++) { s[e] = kept.get(e)[0]; d[e] = kept.get(e)[1]; }
        return new Parsed(Graph.of(n, s, d, directed), selfLoops, firstLoop, repeats, firstRepeat, relabel != null);
    }

    private static int id(String field, String where) {
        try {
            int v = Integer.parseInt(field);
            if (v < 0) throw new IllegalArgumentException("%s: node id: expected >= 0, got %d".formatted(where, v));
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("%s: node id: expected a non-negative integer, got \"%s\"".formatted(where, field));
        }
    }

    /** Writes the graph's edges as given, one "u v" per line, under a "# nodes N directed|undirected" comment. */
    public static void write(Path file, Graph g) throws IOException {
        StringBuilder sb = new StringBuilder("# nodes %d %s%n".formatted(g.nodes(), g.directed() ? "directed" : "undirected"));
        for (int e = 0; e < g.edges(); e++) sb.append(g.src(e)).append(' ').append(g.dst(e)).append('\n');
        AtomicFiles.writeString(file, sb.toString());
    }
}
