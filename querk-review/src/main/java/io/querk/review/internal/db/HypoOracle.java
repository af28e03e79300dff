package io.querk.review.internal.db;

import io.querk.review.CostBasis;
import io.querk.review.internal.index.Candidate;
import io.querk.review.internal.index.EstimateOracle;
import io.querk.review.internal.index.Evaluation;
import io.querk.review.internal.index.Ranker;
import io.querk.review.internal.plan.PlanNode;
import io.querk.review.internal.plan.PlanReader;
import io.querk.review.internal.render.PlanText;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the planner itself: creates the candidates as HypoPG hypothetical indexes (which exist in
 * this session's memory only), plans the query, and drops them again. GIN indexes, which HypoPG
 * cannot simulate, are estimated instead.
 */
public final class HypoOracle implements Ranker.Oracle {

    private final Session s;
    private final Explainer explainer;
    private final EstimateOracle fallback;

    /**
     * @param s         the review's session
     * @param explainer plans the query
     * @param fallback  estimates what HypoPG cannot create
     */
    public HypoOracle(Session s, Explainer explainer, EstimateOracle fallback) {
        this.s = s;
        this.explainer = explainer;
        this.fallback = fallback;
    }

    private record Hypo(long oid, String name) {
    }

    @Override
    public Evaluation evaluate(List<Candidate> indexes) throws SQLException {
        if (indexes.stream().anyMatch(c -> !c.hypothetical())) {
            return fallback.evaluate(indexes);
        }
        List<Hypo> made = new ArrayList<>();
        try {
            for (Candidate c : indexes) {
                try {
                    made.add(s.inSavepoint(() -> {
                        Object[] r = s.rows("SELECT indexrelid::bigint, indexname::text FROM hypopg_create_index(?)",
                                c.hypotheticalDdl()).get(0);
                        long oid = ((Number) r[0]).longValue();
                        s.hypothetical(oid);
                        return new Hypo(oid, (String) r[1]);
                    }));
                } catch (SQLException e) {
                    return new Evaluation(Double.NaN, false, null, "", List.of(), CostBasis.PROVEN, Session.serverMessage(e));
                }
            }
            PlanReader.Explained ex = explainer.explain(false);
            PlanNode root = ex.root();
            boolean used = true;
            String node = null;
            for (int i = 0; i < made.size(); i++) {
                String name = made.get(i).name();
                PlanNode using = root.stream().filter(n -> name.equals(n.indexName())).findFirst().orElse(null);
                if (using == null) {
                    used = false;
                } else if (node == null) {
                    String label = using.label();
                    if (using.relation() == null) {
                        // A Bitmap Index Scan: name the table its heap scan reads.
                        PlanNode heap = root.pathTo(using).stream().filter(x -> x.relation() != null)
                                .reduce((a, b) -> b).orElse(null);
                        if (heap != null) {
                            label = heap.label() + " (" + label + ")";
                        }
                    }
                    node = placeholders(label, made);
                }
            }
            List<Long> sizes = new ArrayList<>();
            for (Hypo h : made) {
                sizes.add(((Number) s.rows("SELECT hypopg_relation_size(?::oid)", h.oid()).get(0)[0]).longValue());
            }
            return new Evaluation(root.totalCost(), used, node, placeholders(PlanText.render(root), made), sizes,
                    CostBasis.PROVEN, null);
        } finally {
            for (Hypo h : made) {
                try {
                    s.dropHypothetical(h.oid());
                } catch (SQLException e) {
                    // The transaction is aborted (the EXPLAIN failed): the session drops it after its rollback.
                }
            }
        }
    }

    private static String placeholders(String text, List<Hypo> made) {
        String out = text;
        for (int i = 0; i < made.size(); i++) {
            out = out.replace("\"" + made.get(i).name() + "\"", "{" + i + "}").replace(made.get(i).name(), "{" + i + "}");
        }
        return out;
    }
}
