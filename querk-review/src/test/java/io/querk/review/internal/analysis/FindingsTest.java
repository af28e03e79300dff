package io.querk.review.internal.analysis;

import io.querk.review.Finding;
import io.querk.review.FindingKind;
import io.querk.review.internal.Fixtures;
import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.shape.QueryShape;
import io.querk.review.internal.sql.SqlText;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FindingsTest {

    private static Set<FindingKind> kinds(String plan, String sql, Map<String, TableInfo> tables) {
        return Findings.of(QueryShape.of(Fixtures.plan(plan)), tables, SqlText.of(sql)).stream().map(Finding::kind)
                .collect(Collectors.toSet());
    }

    @Test
    void aSelectiveSeqScanUnderASortForALimit() {
        List<Finding> f = Findings.of(QueryShape.of(Fixtures.plan("limit-sort")), Map.of("shipments", Fixtures.shipments()),
                SqlText.of("SELECT 1"));
        assertEquals(FindingKind.SEQ_SCAN_SELECTIVE_FILTER, f.get(0).kind(), f.toString());
        assertTrue(f.get(0).message().contains("~200,000 rows"), f.get(0).message());
        assertTrue(f.get(0).costShare() > 0.5);
    }

    @Test
    void anUnindexedForeignKeyAndANestedLoopRescanningIt() {
        Set<FindingKind> k = kinds("nested-loop", "SELECT 1", Map.of("s", Fixtures.shipments(), "c", Fixtures.customers()));
        assertTrue(k.contains(FindingKind.NESTED_LOOP_INNER_SEQ_SCAN), k.toString());
        assertTrue(k.contains(FindingKind.UNINDEXED_FOREIGN_KEY_JOIN), k.toString());
    }

    @Test
    void patternsFunctionsCastsAndOr() {
        TableInfo withIndexes = new Fixtures.Table("shipments").column("tracking_no", "text").column("created_at", "timestamp with time zone")
                .column("weight_g", "integer").column("status", "text").column("carrier_id", "integer")
                .index("shipments_tracking_no_idx", false, "tracking_no").index("shipments_weight_idx", false, "weight_g")
                .build();
        Set<FindingKind> k = kinds("mixed-filter", "SELECT ... WHERE (weight_g)::numeric = 1.5", Map.of("shipments", withIndexes));
        assertTrue(k.contains(FindingKind.FUNCTION_WRAPS_INDEXED_COLUMN), k.toString());
        // The text writes the cast itself here: not an implicit one.
        assertTrue(!k.contains(FindingKind.IMPLICIT_CAST_DEFEATS_INDEX), k.toString());
        Set<FindingKind> implicit = kinds("mixed-filter", "SELECT ... WHERE weight_g = 1.5", Map.of("shipments", withIndexes));
        assertTrue(implicit.contains(FindingKind.IMPLICIT_CAST_DEFEATS_INDEX), implicit.toString());
        Set<FindingKind> like = kinds("like-or", "SELECT 1", Map.of("shipments", Fixtures.shipments()));
        assertTrue(like.contains(FindingKind.LEADING_WILDCARD_LIKE), like.toString());
        assertTrue(like.contains(FindingKind.OR_ACROSS_COLUMNS), like.toString());
    }

    @Test
    void notInAndOffsetFromTheText() {
        Set<FindingKind> k = kinds("not-in", "SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM shipments)"
                + " ORDER BY id OFFSET 500", Map.of("customers", Fixtures.customers(), "shipments", Fixtures.shipments()));
        assertTrue(k.contains(FindingKind.NOT_IN_SUBQUERY), k.toString());
        assertTrue(k.contains(FindingKind.OFFSET_PAGINATION), k.toString());
    }

    @Test
    void aTableNeverAnalyzed() {
        TableInfo t = Fixtures.shipments();
        TableInfo never = new TableInfo(t.schema(), t.name(), -1, 0, 0, 0, t.columns(), t.indexes(), t.foreignKeys(), null);
        assertTrue(kinds("update", "SELECT 1", Map.of("shipments", never)).contains(FindingKind.MISSING_STATISTICS));
    }

    @Test
    void percentagesAndCounts() {
        assertEquals("0.0017%", Findings.percent(0.000017));
        assertEquals("17%", Findings.percent(0.17));
        assertEquals("1,000,000", Findings.count(1e6));
    }
}
