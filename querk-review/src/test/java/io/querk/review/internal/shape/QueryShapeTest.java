package io.querk.review.internal.shape;

import io.querk.review.internal.Fixtures;
import io.querk.review.internal.plan.Expr;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The query's structure, read from plans PostgreSQL 15 printed. */
class QueryShapeTest {

    @Test
    void aSortUnderALimitWithTheTablesConditionsAndTheColumnsItNeeds() {
        QueryShape s = QueryShape.of(Fixtures.plan("limit-sort"));
        RelationUse u = s.relation("shipments").orElseThrow();
        assertEquals("public.shipments", u.qualified());
        assertEquals(2, u.restrictions().size());
        assertEquals(1, u.sortKeys().size());
        assertTrue(u.sortKeys().get(0).descending());
        assertTrue(u.sortFeedsLimit());
        assertEquals(Set.of("id", "created_at", "customer_id", "status"), u.neededColumns());
        // One worker plus the leader's share of a parallel scan.
        assertEquals(u.scan().planRows() * 1.7, u.rowsOut(), 1e-9);
        assertFalse(s.writes());
    }

    @Test
    void aHashJoinGivesEachSideItsJoinColumn() {
        QueryShape s = QueryShape.of(Fixtures.plan("hash-join"));
        RelationUse ship = s.relation("s").orElseThrow();
        RelationUse cust = s.relation("c").orElseThrow();
        assertEquals("customer_id", ship.joins().get(0).column());
        assertEquals("c", ship.joins().get(0).otherAlias());
        assertEquals("id", cust.joins().get(0).column());
        assertEquals(1, cust.restrictions().size());
        assertTrue(ship.restrictions().isEmpty());
        assertEquals(Set.of("id", "customer_id"), ship.neededColumns(), "not the physical target list of the scan");
    }

    @Test
    void theInnerSideOfANestedLoopKnowsHowOftenItRuns() {
        QueryShape s = QueryShape.of(Fixtures.plan("nested-loop"));
        RelationUse inner = s.relation("s").orElseThrow();
        assertNotNull(inner.innerOfNestedLoop());
        assertEquals(4, inner.loops(), 1e-9);
        assertNull(s.relation("c").orElseThrow().innerOfNestedLoop());
        assertEquals("customer_id", inner.joins().get(0).column());
    }

    @Test
    void parametersAreBoundToTheColumnsTheyMeetEvenInARowComparison() {
        QueryShape s = QueryShape.of(Fixtures.plan("keyset"));
        assertEquals(new QueryShape.ParamUse("shipments", "created_at", "<"), s.parameters().get(1));
        assertEquals(new QueryShape.ParamUse("shipments", "id", "<"), s.parameters().get(2));
    }

    @Test
    void aWriteIsAWrite() {
        QueryShape s = QueryShape.of(Fixtures.plan("update"));
        assertTrue(s.writes());
        RelationUse u = s.relation("shipments").orElseThrow();
        assertEquals("(shipments.tracking_no = 'TR77'::text)", u.restrictions().get(0).sql());
    }

    @Test
    void theFilterOfABareColumnAndCastsAreRead() {
        QueryShape s = QueryShape.of(Fixtures.plan("mixed-filter"));
        RelationUse u = s.relation("shipments").orElseThrow();
        assertTrue(u.restrictions().stream().anyMatch(e -> e instanceof Expr.Is), u.restrictions().toString());
        assertTrue(u.restrictions().stream().anyMatch(e -> e instanceof Expr.AnyAll), u.restrictions().toString());
        assertEquals(7, u.restrictions().size(), u.restrictions().toString());
    }
}
