package io.querk.review.internal.index;

import io.querk.review.CostBasis;
import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.shape.QueryShape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Evaluates candidates with the {@link CostEstimator}, where HypoPG is not available. */
public final class EstimateOracle implements Ranker.Oracle {

    private final QueryShape shape;
    private final Map<String, TableInfo> tables;
    private final CostSettings settings;

    /**
     * @param shape    the query's shape with values
     * @param tables   facts per alias
     * @param settings the server's cost settings
     */
    public EstimateOracle(QueryShape shape, Map<String, TableInfo> tables, CostSettings settings) {
        this.shape = shape;
        this.tables = tables;
        this.settings = settings;
    }

    @Override
    public Evaluation evaluate(List<Candidate> indexes) {
        CostEstimator.Estimate e = CostEstimator.estimate(shape, tables, indexes, settings);
        List<Long> sizes = new ArrayList<>();
        for (Candidate c : indexes) {
            TableInfo t = tables.get(c.alias());
            sizes.add(t == null ? 0 : IndexSize.bytes(c, t, partialShare(c, t)));
        }
        boolean used = !Double.isNaN(e.cost());
        return new Evaluation(used ? e.cost() : shape.root().totalCost(), used, e.node(), "", sizes, CostBasis.ESTIMATED, null);
    }

    /**
     * @param c a candidate
     * @param t its table
     * @return the share of the table's rows it holds: its predicate's selectivity, or 1
     */
    public double partialShare(Candidate c, TableInfo t) {
        if (c.predicate() == null) {
            return 1;
        }
        var u = shape.relations().get(c.alias());
        if (u == null) {
            return 1;
        }
        return u.restrictions().stream().map(x -> Pred.of(x, c.alias()))
                .filter(p -> CandidateGenerator.unwrap(p.source().sql(c.alias())).equals(c.predicate()))
                .mapToDouble(p -> Selectivity.of(p, t)).findFirst().orElse(1);
    }
}
