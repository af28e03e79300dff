package io.querk.review.internal.render;

import io.querk.review.CostBasis;
import io.querk.review.Finding;
import io.querk.review.IndexProposal;
import io.querk.review.ProposedIndex;
import io.querk.review.QueryReviewReport;
import io.querk.review.ReviewedParameter;
import io.querk.review.Rewrite;

/** The report as Markdown for a pull-request comment: the verdict first, details folded. */
public final class ReportMarkdown {

    private ReportMarkdown() {
    }

    /**
     * @param r the report
     * @return its Markdown
     */
    public static String render(QueryReviewReport r) {
        StringBuilder b = new StringBuilder();
        b.append("### Query review\n\n");
        String verdict = r.bestProposal().map(p -> "**" + Numbers.factor(p.improvement()) + " cheaper** with `"
                + String.join("` + `", p.indexes().stream().map(ProposedIndex::name).toList()) + "` (cost "
                + Numbers.cost(p.costBefore()) + " → " + Numbers.cost(p.costAfter()) + ", " + p.basis().label() + ")")
                .orElse(r.findings().isEmpty() ? "No problem found." : "No index helps; see the findings"
                        + (r.rewrites().isEmpty() ? "." : " and rewrites."));
        b.append(verdict).append(verdict.endsWith(".") ? "" : ".").append(" PostgreSQL ").append(r.serverVersion()).append(", reviewed in ")
                .append(Numbers.millis(r.reviewTime())).append(".\n\n");
        b.append("```sql\n").append(r.sql()).append("\n```\n\n");
        if (!r.parameters().isEmpty()) {
            for (ReviewedParameter p : r.parameters()) {
                b.append("- `").append(p.describe().replace("`", "'")).append("`\n");
            }
            b.append('\n');
        }
        if (!r.findings().isEmpty()) {
            b.append("#### Findings\n\n");
            for (Finding f : r.findings()) {
                b.append("- **").append(f.kind().label()).append("**: ").append(md(f.message())).append('\n');
            }
            b.append('\n');
        }
        if (!r.proposals().isEmpty()) {
            b.append("#### Index proposals\n\n");
            b.append("| # | index | cost | cheaper | basis | plan |\n|---|---|---|---|---|---|\n");
            for (IndexProposal p : r.proposals()) {
                b.append("| ").append(p.rank()).append(" | `")
                        .append(String.join("` + `", p.indexes().stream().map(ix -> ix.name() + " " + shape(ix)).toList()))
                        .append("` | ").append(Numbers.cost(p.costBefore())).append(" → ").append(Numbers.cost(p.costAfter()))
                        .append(" | ").append(Numbers.factor(p.improvement())).append(" | ").append(p.basis() == CostBasis.PROVEN
                                ? "HypoPG" : "estimate").append(" | ").append(md(p.expectedPlan())).append(" |\n");
            }
            b.append('\n');
            IndexProposal best = r.proposals().get(0);
            b.append("**#1**: ").append(md(best.reason())).append("\n\n");
            b.append("```sql\n");
            best.indexes().forEach(ix -> b.append(ix.definition()).append(";\n"));
            b.append("```\n\n");
            b.append("Write path:\n\n");
            for (ProposedIndex ix : best.indexes()) {
                for (String line : ix.writeImpact().describe()) {
                    b.append("- ").append(md(line)).append('\n');
                }
            }
            b.append("\nShip it as a Querk migration (built `CONCURRENTLY`, planned, guarded, rehearsable):\n\n");
            b.append("```java\n").append(best.migrationSource(best.suggestedMigrationId())).append(";\n```\n\n");
            b.append("Verify after it ran: expect ").append(md(best.expectedPlan())).append(", cost about ")
                    .append(Numbers.cost(best.verification().expectedCost())).append(".\n\n");
            b.append("```sql\n").append(best.verification().command()).append(";\n");
            best.verification().catalogChecks().forEach(q -> b.append(q).append(";\n"));
            b.append("```\n\n");
        }
        if (!r.rewrites().isEmpty()) {
            b.append("#### Rewrites returning the same rows\n\n");
            for (Rewrite w : r.rewrites()) {
                b.append("- **").append(w.kind().label()).append("** (cost ").append(Numbers.cost(w.costBefore())).append(" → ")
                        .append(Numbers.cost(w.costAfter()));
                w.index().ifPresent(ix -> b.append(", ").append(Numbers.cost(ix.costAfter())).append(" with `")
                        .append(String.join("` + `", ix.indexes().stream().map(ProposedIndex::name).toList())).append('`'));
                b.append("): ").append(md(w.reason())).append("\n\n  ```sql\n");
                for (String line : w.sql().split("\n")) {
                    b.append("  ").append(line).append('\n');
                }
                w.index().ifPresent(ix -> ix.indexes().forEach(i -> b.append("  -- with: ").append(i.definition()).append(";\n")));
                b.append("  ```\n");
            }
            b.append('\n');
        }
        b.append("<details><summary>Plan now (cost ").append(Numbers.cost(r.plan().totalCost())).append(")</summary>\n\n```\n")
                .append(r.plan().text()).append("\n```\n</details>\n");
        r.bestProposal().filter(p -> !p.planText().isEmpty()).ifPresent(p -> b.append("<details><summary>Plan with #1 (cost ")
                .append(Numbers.cost(p.costAfter())).append(")</summary>\n\n```\n").append(p.planText()).append("\n```\n</details>\n"));
        if (!r.notes().isEmpty()) {
            b.append('\n');
            for (String n : r.notes()) {
                b.append("> ").append(md(n)).append('\n');
            }
        }
        return b.toString();
    }

    private static String shape(ProposedIndex ix) {
        String d = ix.definition();
        int on = d.indexOf(" ON ");
        return on < 0 ? "" : d.substring(d.indexOf(' ', on + 4) + 1);
    }

    /** Escapes what Markdown would read as markup in running text; table pipes especially. */
    static String md(String s) {
        return s.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;");
    }
}
