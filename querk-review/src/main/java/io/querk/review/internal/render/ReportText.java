package io.querk.review.internal.render;

import io.querk.review.CostBasis;
import io.querk.review.Finding;
import io.querk.review.IndexProposal;
import io.querk.review.ProposedIndex;
import io.querk.review.QueryReviewReport;
import io.querk.review.ReviewedParameter;
import io.querk.review.Rewrite;

/** The report for a person, in a terminal or a log. */
public final class ReportText {

    /** Proposals shown in full; the rest get a line each. */
    static final int DETAILED = 3;

    private ReportText() {
    }

    /**
     * @param r the report
     * @return its text
     */
    public static String render(QueryReviewReport r) {
        StringBuilder b = new StringBuilder();
        b.append("Query review on PostgreSQL ").append(r.serverVersion()).append(", ")
                .append(r.basis() == CostBasis.PROVEN ? "costs proven with HypoPG " + r.hypoPgVersion().orElse("")
                        : "costs estimated (no HypoPG)")
                .append(", in ").append(Numbers.millis(r.reviewTime())).append('\n');
        indent(b, r.sql(), "  ");
        if (!r.parameters().isEmpty()) {
            b.append("\nParameters\n");
            for (ReviewedParameter p : r.parameters()) {
                b.append("  ").append(p.describe()).append('\n');
            }
        }
        b.append("\nPlan now: cost ").append(Numbers.cost(r.plan().totalCost())).append(", ~")
                .append(Numbers.rows(r.plan().rows())).append(" rows").append(r.writes() ? " (planned only: the statement writes)" : "")
                .append('\n');
        indent(b, r.plan().text(), "  ");
        r.execution().ifPresent(e -> b.append(String.format(java.util.Locale.ROOT,
                "  measured: %.1f ms, %s rows, %,d buffers hit, %,d read%n", e.executionMs(), Numbers.rows(e.rows()),
                e.sharedHitBlocks(), e.sharedReadBlocks())));

        b.append("\nFindings");
        if (r.findings().isEmpty()) {
            b.append(": none\n");
        } else {
            b.append('\n');
            int i = 1;
            for (Finding f : r.findings()) {
                b.append("  ").append(i++).append(". ").append(f.kind().label()).append(": ").append(f.message()).append('\n');
            }
        }

        b.append("\nIndex proposals, ranked by the planner's cost with the index in place");
        if (r.proposals().isEmpty()) {
            b.append(": none\n");
        } else {
            b.append('\n');
            for (IndexProposal p : r.proposals()) {
                if (p.rank() <= DETAILED) {
                    proposal(b, p);
                } else {
                    b.append("  #").append(p.rank()).append(' ')
                            .append(String.join(" + ", p.indexes().stream().map(ProposedIndex::definition).toList()))
                            .append(": cost ").append(Numbers.cost(p.costAfter())).append(" (").append(p.basis().label())
                            .append(")\n");
                }
            }
        }

        if (!r.rewrites().isEmpty()) {
            b.append("\nRewrites returning the same rows\n");
            int i = 1;
            for (Rewrite w : r.rewrites()) {
                b.append("  ").append(i++).append(". ").append(w.kind().label()).append(": cost ")
                        .append(Numbers.cost(w.costBefore())).append(" -> ").append(Numbers.cost(w.costAfter()));
                w.index().ifPresent(ix -> b.append(", ").append(Numbers.cost(ix.costAfter())).append(" with index ")
                        .append(String.join(" + ", ix.indexes().stream().map(ProposedIndex::name).toList())));
                b.append('\n').append("     why: ").append(w.reason()).append('\n');
                w.index().ifPresent(ix -> {
                    for (ProposedIndex pi : ix.indexes()) {
                        b.append("     with: ").append(pi.definition()).append(" (").append(ix.basis().label()).append(")\n");
                    }
                });
                for (String p : w.parameters()) {
                    b.append("     new parameter ").append(p).append('\n');
                }
                indent(b, w.sql(), "       ");
            }
        }
        if (!r.notes().isEmpty()) {
            b.append("\nNotes\n");
            for (String n : r.notes()) {
                b.append("  - ").append(n).append('\n');
            }
        }
        return b.toString();
    }

    private static void proposal(StringBuilder b, IndexProposal p) {
        b.append("  #").append(p.rank()).append(' ').append(String.join(" + ", p.indexes().stream().map(ProposedIndex::name).toList()))
                .append(": cost ").append(Numbers.cost(p.costBefore())).append(" -> ").append(Numbers.cost(p.costAfter()))
                .append(" (").append(Numbers.factor(p.improvement())).append(" cheaper, ").append(p.basis().label()).append(")\n");
        for (ProposedIndex ix : p.indexes()) {
            b.append("     ").append(ix.definition()).append('\n');
        }
        b.append("     why: ").append(p.reason()).append('\n');
        if (!p.expectedPlan().isEmpty()) {
            b.append("     plan: ").append(p.expectedPlan()).append('\n');
        }
        for (ProposedIndex ix : p.indexes()) {
            b.append("     write path").append(p.indexes().size() > 1 ? " of " + ix.name() : "").append(":\n");
            for (String line : ix.writeImpact().describe()) {
                b.append("       - ").append(line).append('\n');
            }
            ix.extension().ifPresent(x -> b.append("       - needs the ").append(x).append(" extension, which the database"
                    + " lacks: the migration runs CREATE EXTENSION IF NOT EXISTS ").append(x)
                    .append(" first (a privileged user must)\n"));
        }
        b.append("     verify:\n");
        b.append("       ").append(p.verification().command()).append('\n');
        b.append("       expect ").append(p.expectedPlan().isEmpty() ? "the new index" : p.expectedPlan())
                .append(", cost about ").append(Numbers.cost(p.verification().expectedCost())).append('\n');
        for (String q : p.verification().catalogChecks()) {
            b.append("       ").append(q).append("   -- true once the index is valid\n");
        }
        b.append("     ship it: proposal.toMigration(\"").append(p.suggestedMigrationId()).append("\")\n");
    }

    private static void indent(StringBuilder b, String text, String pad) {
        for (String line : text.split("\n", -1)) {
            b.append(pad).append(line).append('\n');
        }
    }
}
