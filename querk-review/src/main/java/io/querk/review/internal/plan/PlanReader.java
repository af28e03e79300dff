package io.querk.review.internal.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the output of {@code EXPLAIN (FORMAT JSON[, VERBOSE][, ANALYZE, BUFFERS])}. */
public final class PlanReader {

    private PlanReader() {
    }

    /**
     * A whole EXPLAIN result.
     *
     * @param root            the plan's top node
     * @param planningMs      planning time with ANALYZE, else NaN
     * @param executionMs     execution time with ANALYZE, else NaN
     */
    public record Explained(PlanNode root, double planningMs, double executionMs) {
    }

    /**
     * @param json the single JSON value EXPLAIN returns
     * @return the plan
     * @throws IllegalArgumentException if it is not an EXPLAIN result
     */
    public static Explained read(String json) {
        Object v = JsonReader.parse(json);
        if (v instanceof List<?> l && l.size() == 1) {
            v = l.get(0);
        }
        if (!(v instanceof Map<?, ?> top) || !(top.get("Plan") instanceof Map<?, ?> plan)) {
            throw new IllegalArgumentException("Not an EXPLAIN (FORMAT JSON) result: no \"Plan\" member");
        }
        return new Explained(node(plan), num(top, "Planning Time", Double.NaN), num(top, "Execution Time", Double.NaN));
    }

    private static PlanNode node(Map<?, ?> m) {
        List<PlanNode> children = new ArrayList<>();
        if (m.get("Plans") instanceof List<?> plans) {
            for (Object p : plans) {
                if (p instanceof Map<?, ?> pm) {
                    children.add(node(pm));
                }
            }
        }
        Map<String, String> conditions = new LinkedHashMap<>();
        for (String k : PlanNode.CONDITION_KEYS) {
            if (m.get(k) instanceof String s) {
                conditions.put(k, s);
            }
        }
        PlanNode.Actual actual = null;
        if (m.containsKey("Actual Total Time") || m.containsKey("Actual Loops")) {
            actual = new PlanNode.Actual(num(m, "Actual Total Time", 0), num(m, "Actual Rows", 0),
                    num(m, "Actual Loops", 0), (long) num(m, "Shared Hit Blocks", 0),
                    (long) num(m, "Shared Read Blocks", 0), (long) num(m, "Rows Removed by Filter", 0));
        }
        return new PlanNode(str(m, "Node Type"), str(m, "Relation Name"), str(m, "Schema"), str(m, "Alias"),
                str(m, "Index Name"), str(m, "Parent Relationship"), str(m, "Subplan Name"), str(m, "Join Type"),
                str(m, "Scan Direction"), Boolean.TRUE.equals(m.get("Parallel Aware")), num(m, "Startup Cost", 0), num(m, "Total Cost", 0), num(m, "Plan Rows", 0),
                (int) num(m, "Plan Width", 0), (int) num(m, "Workers Planned", 0), strings(m, "Output"),
                conditions, strings(m, "Sort Key"), actual, children);
    }

    private static String str(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? s : null;
    }

    private static double num(Map<?, ?> m, String key, double dflt) {
        return m.get(key) instanceof Double d ? d : dflt;
    }

    private static List<String> strings(Map<?, ?> m, String key) {
        List<String> out = new ArrayList<>();
        if (m.get(key) instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
