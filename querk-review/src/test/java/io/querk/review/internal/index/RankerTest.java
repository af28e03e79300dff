package io.querk.review.internal.index;

import io.querk.review.CostBasis;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RankerTest {

    private static Candidate c(String alias, String col, String... include) {
        return new Candidate("public", alias, alias, "btree", List.of(new Candidate.Key(col, null, false, null)),
                List.of(include), null, null, "test", Set.of());
    }

    /** An oracle from a table of costs and sizes by the candidates' shapes joined with '+'. */
    private static Ranker.Oracle oracle(Map<String, double[]> costs, List<String> asked) {
        return indexes -> {
            String key = String.join("+", indexes.stream().map(x -> x.alias() + x.shape()).toList());
            asked.add(key);
            double[] v = costs.getOrDefault(key, new double[] {1000, 0});
            List<Long> sizes = new ArrayList<>();
            indexes.forEach(x -> sizes.add((long) (v[1] / indexes.size())));
            return new Evaluation(v[0], v[0] < 1000, "node", "", sizes, CostBasis.PROVEN, null);
        };
    }

    @Test
    void cheapestFirstAndOnlyWhatHelpsEnough() throws Exception {
        Candidate a = c("t", "a");
        Candidate b = c("t", "b");
        Candidate x = c("t", "x");
        Ranker.Result r = Ranker.rank(List.of(a, b, x), List.of(), 1000, oracle(Map.of(
                "t(a)", new double[] {50, 100}, "t(b)", new double[] {10, 100}, "t(x)", new double[] {950, 10}), new ArrayList<>()));
        assertEquals(List.of("(b)", "(a)"), r.ranked().stream().map(k -> k.indexes().get(0).shape()).toList(),
                "(x) saves only 5%: not proposed");
    }

    @Test
    void withinTwoPercentTheSmallerIndexRanksFirst() throws Exception {
        Candidate wide = c("t", "a", "b", "c");
        Candidate lean = c("t", "a");
        Ranker.Result r = Ranker.rank(List.of(wide, lean), List.of(), 1000, oracle(Map.of(
                "t(a) INCLUDE (b, c)", new double[] {10.0, 900}, "t(a)", new double[] {10.15, 300}), new ArrayList<>()));
        assertEquals("(a)", r.ranked().get(0).indexes().get(0).shape());
    }

    @Test
    void indexesOnSeveralTablesAreCombinedWhileEachCutsTheCost() throws Exception {
        Candidate s = c("s", "tracking_no");
        Candidate e = c("e", "shipment_id");
        List<String> asked = new ArrayList<>();
        Ranker.Result r = Ranker.rank(List.of(s, e), List.of(), 1000, oracle(Map.of(
                "s(tracking_no)", new double[] {400, 10}, "e(shipment_id)", new double[] {600, 10},
                "s(tracking_no)+e(shipment_id)", new double[] {8, 20}), asked));
        Ranker.Ranked best = r.ranked().get(0);
        assertEquals(2, best.indexes().size());
        assertEquals(8, best.evaluation().cost());
        assertTrue(asked.contains("s(tracking_no)+e(shipment_id)"), asked.toString());
    }

    @Test
    void aBundleIsEvaluatedTogetherAndFailuresAreReported() throws Exception {
        Candidate a = c("t", "a");
        Candidate b = c("t", "b");
        Ranker.Oracle o = indexes -> indexes.size() == 2
                ? new Evaluation(20, true, "n", "", List.of(1L, 1L), CostBasis.PROVEN, null)
                : new Evaluation(Double.NaN, false, null, "", List.of(), CostBasis.PROVEN, "functions in index expression must be marked IMMUTABLE");
        Ranker.Result r = Ranker.rank(List.of(a), List.of(List.of(a, b)), 1000, o);
        assertEquals(1, r.ranked().size());
        assertEquals(2, r.ranked().get(0).indexes().size());
        assertEquals(1, r.failures().size());
        assertTrue(r.failures().get(0).contains("IMMUTABLE"));
    }
}
