package io.querk.review.internal.index;

import io.querk.review.internal.Fixtures;
import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.shape.QueryShape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimator's arithmetic, on plans PostgreSQL printed, without a server. */
class CostEstimatorTest {

    private static Candidate btree(String alias, String... cols) {
        return new Candidate("public", "shipments", alias, "btree",
                java.util.Arrays.stream(cols).map(c -> new Candidate.Key(c, null, false, null)).toList(), List.of(), null, null,
                "", Set.of());
    }

    @Test
    void anIndexOnASelectiveFilterCostsAFractionOfTheScanAndSaysWhichNodeUsesIt() {
        QueryShape s = QueryShape.of(Fixtures.plan("update"));
        Map<String, TableInfo> t = Map.of("shipments", Fixtures.shipments());
        CostEstimator.Estimate e = CostEstimator.estimate(s, t, List.of(btree("shipments", "tracking_no")), CostSettings.DEFAULTS);
        assertTrue(e.cost() < s.root().totalCost() / 100, e.toString());
        assertEquals("Index Scan using {0} on shipments", e.node());
    }

    @Test
    void anIndexInTheSortOrderStopsAtTheLimit() {
        QueryShape s = QueryShape.of(Fixtures.plan("limit-sort"));
        Map<String, TableInfo> t = Map.of("shipments", Fixtures.shipments());
        double ordered = CostEstimator.estimate(s, t, List.of(btree("shipments", "customer_id", "status", "created_at")),
                CostSettings.DEFAULTS).cost();
        double unordered = CostEstimator.estimate(s, t, List.of(btree("shipments", "customer_id", "status")),
                CostSettings.DEFAULTS).cost();
        assertTrue(ordered < s.root().totalCost() && unordered < s.root().totalCost());
        assertTrue(ordered <= unordered, ordered + " vs " + unordered);
    }

    @Test
    void theInnerSideOfANestedLoopBecomesLookups() {
        QueryShape s = QueryShape.of(Fixtures.plan("nested-loop"));
        Map<String, TableInfo> t = Map.of("s", Fixtures.shipments(), "c", Fixtures.customers());
        CostEstimator.Estimate e = CostEstimator.estimate(s, t, List.of(btree("s", "customer_id")), CostSettings.DEFAULTS);
        assertTrue(e.cost() < s.root().totalCost() / 10, e.toString());
        assertTrue(e.node().contains("nested loop inner"), e.node());
    }

    @Test
    void anIndexServingNoConditionHasNoEstimate() {
        QueryShape s = QueryShape.of(Fixtures.plan("update"));
        CostEstimator.Estimate e = CostEstimator.estimate(s, Map.of("shipments", Fixtures.shipments()),
                List.of(btree("shipments", "weight_g")), CostSettings.DEFAULTS);
        assertTrue(Double.isNaN(e.cost()));
    }

    @Test
    void sizesAndBuildTimesGrowWithTheTable() {
        TableInfo t = Fixtures.shipments();
        Candidate c = btree("shipments", "customer_id");
        long full = IndexSize.bytes(c, t, 1);
        long part = IndexSize.bytes(c, t, 0.1);
        assertTrue(full > 200_000 * 16L && full < 200_000 * 64L, "about 24 bytes an entry: " + full);
        assertTrue(part < full / 5);
        assertTrue(IndexSize.buildTime(t, 1, false).compareTo(IndexSize.buildTime(t, 1, true)) < 0);
    }
}
