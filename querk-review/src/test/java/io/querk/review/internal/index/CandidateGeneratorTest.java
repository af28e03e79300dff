package io.querk.review.internal.index;

import io.querk.review.FindingKind;
import io.querk.review.internal.Fixtures;
import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.plan.Expr;
import io.querk.review.internal.plan.ExprParser;
import io.querk.review.internal.plan.PlanNode;
import io.querk.review.internal.shape.QueryShape;
import io.querk.review.internal.shape.RelationUse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CandidateGeneratorTest {

    private static List<String> shapes(CandidateGenerator.Generated g) {
        return g.singles().stream().map(c -> c.method() + " " + c.shape()).toList();
    }

    @Test
    void equalityColumnsComeFirstMostSelectiveFirstThenTheSort() {
        QueryShape s = QueryShape.of(Fixtures.plan("limit-sort"));
        List<String> got = shapes(CandidateGenerator.generate(s.relation("shipments").orElseThrow(), Fixtures.shipments(),
                Set.of(), Set.of()));
        assertTrue(got.contains("btree (customer_id, status)"), got.toString());
        assertTrue(got.contains("btree (customer_id, status, created_at)"), got.toString());
        // An index-only scan: id and created_at are all the query reads besides the keys.
        assertTrue(got.contains("btree (customer_id, status, created_at) INCLUDE (id)"), got.toString());
        // status = 'lost' is one of few common values: a partial index is worth trying.
        assertTrue(got.stream().anyMatch(x -> x.endsWith("WHERE status = 'lost'::text")), got.toString());
    }

    @Test
    void aConditionOnAParameterIsNoPartialIndex() {
        QueryShape s = QueryShape.of(Fixtures.plan("limit-sort"));
        List<String> got = shapes(CandidateGenerator.generate(s.relation("shipments").orElseThrow(), Fixtures.shipments(),
                Set.of("status|="), Set.of()));
        assertFalse(got.stream().anyMatch(x -> x.contains("WHERE")), got.toString());
    }

    @Test
    void anIndexThatExistsAlreadyIsNotProposed() {
        TableInfo t = new Fixtures.Table("shipments").column("customer_id", "bigint").column("status", "text")
                .column("created_at", "timestamp with time zone").column("id", "bigint")
                .index("shipments_pkey", true, "id").index("shipments_c_s_c", false, "customer_id", "status", "created_at")
                .build();
        QueryShape s = QueryShape.of(Fixtures.plan("limit-sort"));
        List<String> got = shapes(CandidateGenerator.generate(s.relation("shipments").orElseThrow(), t, Set.of(), Set.of()));
        assertFalse(got.contains("btree (customer_id, status)"), "a prefix of an existing index: " + got);
        assertFalse(got.contains("btree (customer_id, status, created_at)"), got.toString());
        assertTrue(got.contains("btree (customer_id, status, created_at) INCLUDE (id)"), "carries more: " + got);
    }

    @Test
    void trigramsForAContainsPatternAndOneIndexPerOrBranch() {
        QueryShape s = QueryShape.of(Fixtures.plan("like-or"));
        CandidateGenerator.Generated g = CandidateGenerator.generate(s.relation("shipments").orElseThrow(),
                Fixtures.shipments(), Set.of(), Set.of());
        assertEquals(1, g.bundles().size());
        List<Candidate> branches = g.bundles().get(0);
        assertEquals(List.of("gin (tracking_no gin_trgm_ops)", "gin (dest_city gin_trgm_ops)"),
                branches.stream().map(c -> c.method() + " " + c.shape()).toList(), "ILIKE needs trigrams too");
        assertTrue(branches.stream().allMatch(c -> "pg_trgm".equals(c.extension())));
        assertTrue(branches.get(0).addresses().contains(FindingKind.OR_ACROSS_COLUMNS));
    }

    @Test
    void expressionsRangesAndAnImplicitCastLeftToTheQuery() {
        QueryShape s = QueryShape.of(Fixtures.plan("mixed-filter"));
        RelationUse u = s.relation("shipments").orElseThrow();
        List<String> got = shapes(CandidateGenerator.generate(u, Fixtures.shipments(), Set.of(), Set.of("weight_g")));
        assertTrue(got.stream().anyMatch(x -> x.contains("(lower(tracking_no))")), got.toString());
        assertTrue(got.stream().anyMatch(x -> x.contains("weight_g")), "the range on weight_g: " + got);
        assertFalse(got.stream().anyMatch(x -> x.contains("::numeric")), "no index on a cast the query should drop: " + got);
    }

    @Test
    void isNullNarrowsTheScanButDoesNotPrecedeTheSort() {
        // WHERE delivered_at IS NULL ORDER BY created_at: (delivered_at, created_at) would not give
        // the planner its order; a partial index on created_at does.
        Expr isNull = ExprParser.parse("(shipments.delivered_at IS NULL)");
        PlanNode scan = Fixtures.plan("limit-sort").stream().filter(PlanNode::scansTable).findFirst().orElseThrow();
        RelationUse base = QueryShape.of(Fixtures.plan("limit-sort")).relation("shipments").orElseThrow();
        RelationUse u = new RelationUse("shipments", "public", "shipments", scan, List.of(isNull), List.of(),
                base.sortKeys(), true, base.sortNode(), 20, Set.of("id", "created_at"), 100, 1, null);
        TableInfo t = new Fixtures.Table("shipments").column("delivered_at", "timestamp with time zone")
                .column("created_at", "timestamp with time zone").column("id", "bigint").index("shipments_pkey", true, "id").build();
        TableInfo withNulls = new TableInfo(t.schema(), t.name(), t.reltuples(), t.relpages(), t.allVisible(), t.heapBytes(),
                Map.of("delivered_at", new TableInfo.ColumnInfo("delivered_at", "timestamp with time zone", false, null,
                        new TableInfo.ColumnStats(0.1, -0.9, 8, 0.5, List.of(), List.of(), List.of())),
                        "created_at", t.columns().get("created_at"), "id", t.columns().get("id")),
                t.indexes(), t.foreignKeys(), t.writes());
        List<String> got = shapes(CandidateGenerator.generate(u, withNulls, Set.of(), Set.of()));
        assertFalse(got.contains("btree (delivered_at, created_at)"), got.toString());
        assertTrue(got.contains("btree (created_at) WHERE delivered_at IS NULL"), got.toString());
    }

    @Test
    void aPartialIndexIsForAFewCommonValuesNotForOneOfMany() {
        TableInfo t = Fixtures.shipments();
        assertTrue(CandidateGenerator.partialWorthy(Pred.of(ExprParser.parse("(s.status = 'lost'::text)"), "s"), t));
        assertFalse(CandidateGenerator.partialWorthy(Pred.of(ExprParser.parse("(s.tracking_no = 'TR5'::text)"), "s"), t));
        assertTrue(CandidateGenerator.partialWorthy(Pred.of(ExprParser.parse("(s.carrier_id IS NULL)"), "s"), t));
        assertTrue(CandidateGenerator.trigramSearchable("%123%"));
        assertFalse(CandidateGenerator.trigramSearchable("%ab%c"));
    }

    @Test
    void theInnerSideOfANestedLoopGetsItsJoinColumn() {
        QueryShape s = QueryShape.of(Fixtures.plan("nested-loop"));
        List<Candidate> got = CandidateGenerator.generate(s.relation("s").orElseThrow(), Fixtures.shipments(), Set.of(),
                Set.of()).singles();
        Candidate join = got.stream().filter(c -> c.shape().equals("(customer_id)")).findFirst().orElseThrow();
        assertTrue(join.addresses().contains(FindingKind.UNINDEXED_FOREIGN_KEY_JOIN));
    }
}
