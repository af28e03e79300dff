package io.querk.review.internal.render;

import io.querk.review.internal.plan.PlanNode;

import java.util.Locale;

/** A plan as an indented tree, in the manner of {@code EXPLAIN}'s text format. */
public final class PlanText {

    private PlanText() {
    }

    /**
     * @param root the plan
     * @return one node a line, with costs, rows, conditions and sort keys
     */
    public static String render(PlanNode root) {
        StringBuilder b = new StringBuilder();
        node(root, 0, b);
        return b.toString().stripTrailing();
    }

    private static void node(PlanNode n, int depth, StringBuilder b) {
        String pad = depth == 0 ? "" : "  ".repeat(depth * 2 - 1) + "->  ";
        String detailPad = "  ".repeat(depth * 2 + (depth == 0 ? 1 : 2));
        b.append(pad).append(n.label())
                .append(String.format(Locale.ROOT, "  (cost=%.2f..%.2f rows=%.0f)", n.startupCost(), n.totalCost(), n.planRows()));
        if (n.actual() != null) {
            b.append(String.format(Locale.ROOT, " (actual %.3f ms, rows=%.0f loops=%.0f)", n.actual().totalMs(),
                    n.actual().rows(), n.actual().loops()));
        }
        b.append('\n');
        if (n.subplanName() != null) {
            b.append(detailPad).append(n.subplanName()).append('\n');
        }
        for (String k : PlanNode.CONDITION_KEYS) {
            n.condition(k).ifPresent(c -> b.append(detailPad).append(k).append(": ").append(c).append('\n'));
        }
        if (!n.sortKey().isEmpty()) {
            b.append(detailPad).append("Sort Key: ").append(String.join(", ", n.sortKey())).append('\n');
        }
        if (n.actual() != null && (n.actual().sharedHit() > 0 || n.actual().sharedRead() > 0)) {
            b.append(detailPad).append("Buffers: shared hit=").append(n.actual().sharedHit()).append(" read=")
                    .append(n.actual().sharedRead()).append('\n');
        }
        for (PlanNode c : n.children()) {
            node(c, depth + 1, b);
        }
    }
}
