package io.querk.review.internal.sql;

import io.querk.review.RewriteKind;
import io.querk.review.internal.Fixtures;
import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.shape.QueryShape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rewrites' text, on plans PostgreSQL printed. That they return the same rows is proven on a
 * real server ({@code RewritesReturnTheSameRowsIT}).
 */
class RewritesTest {

    private static final Map<String, TableInfo> SHIPMENTS = Map.of("shipments", Fixtures.shipments());

    @Test
    void offsetBecomesAKeysetOnAUniqueOrder() {
        SqlText t = SqlText.of("SELECT * FROM shipments WHERE status = 'lost' ORDER BY created_at DESC OFFSET 1000 LIMIT 20");
        QueryShape s = QueryShape.of(Fixtures.plan("limit-sort"));
        Rewrites.Draft d = Rewrites.keyset(t, Clauses.of(t), s, SHIPMENTS).orElseThrow();
        assertEquals(RewriteKind.KEYSET_PAGINATION, d.kind());
        assertEquals("SELECT * FROM shipments WHERE (status = 'lost') AND (created_at, id) < ($1, $2) ORDER BY created_at DESC,"
                + " id DESC LIMIT 20", d.sql());
        assertEquals(List.of("$1: created_at of the previous page's last row", "$2: id of the previous page's last row"),
                d.newParameters());
    }

    @Test
    void aNullableSortKeyGetsNoKeyset() {
        SqlText t = SqlText.of("SELECT * FROM shipments ORDER BY dest_city OFFSET 10 LIMIT 5");
        assertEquals(Optional.empty(), Rewrites.keyset(t, Clauses.of(t), QueryShape.of(Fixtures.plan("update")), SHIPMENTS));
    }

    @Test
    void orBecomesUnionAllWithoutDuplicates() {
        SqlText t = SqlText.of("SELECT id FROM shipments WHERE status = 'lost' AND (tracking_no = 'x' OR dest_city = 'y')");
        Rewrites.Draft d = Rewrites.unionAll(t, Clauses.of(t), QueryShape.of(Fixtures.plan("update"))).orElseThrow();
        assertEquals("SELECT id FROM shipments WHERE status = 'lost' AND (tracking_no = 'x')\nUNION ALL\n"
                + "SELECT id FROM shipments WHERE status = 'lost' AND (dest_city = 'y') AND (tracking_no = 'x') IS NOT TRUE", d.sql());
    }

    @Test
    void orWithOrderAndLimitKeepsThemOutsideAndInEachBranch() {
        SqlText t = SqlText.of("SELECT * FROM shipments WHERE tracking_no = 'x' OR dest_city = 'y' ORDER BY id LIMIT 5");
        Rewrites.Draft d = Rewrites.unionAll(t, Clauses.of(t), QueryShape.of(Fixtures.plan("update"))).orElseThrow();
        assertTrue(d.sql().endsWith("ORDER BY id LIMIT 5)\nUNION ALL\n(SELECT * FROM shipments WHERE (dest_city = 'y')"
                + " AND (tracking_no = 'x') IS NOT TRUE ORDER BY id LIMIT 5) ORDER BY id LIMIT 5"), d.sql());
    }

    @Test
    void notInBecomesNotExistsKeepingItsNullAnswers() {
        SqlText t = SqlText.of("SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM shipments WHERE status = 'lost')");
        QueryShape s = QueryShape.of(Fixtures.plan("not-in"));
        Rewrites.Draft d = Rewrites.notExists(t, s, Map.of("customers", Fixtures.customers(), "shipments",
                Fixtures.shipments())).orElseThrow();
        // customers.id is NOT NULL; shipments.customer_id is not, so one NULL must still mean no rows.
        assertEquals("SELECT id FROM customers WHERE NOT EXISTS (SELECT 1 FROM shipments WHERE (status = 'lost') AND"
                + " shipments.customer_id = customers.id) AND NOT EXISTS (SELECT 1 FROM shipments WHERE (status = 'lost')"
                + " AND shipments.customer_id IS NULL)", d.sql());
    }

    @Test
    void wrappedColumnsBecomeRanges() {
        QueryShape s = QueryShape.of(Fixtures.plan("mixed-filter"));
        assertEquals("SELECT id FROM shipments WHERE created_at >= ('2024-01-01')::date AND created_at < ('2024-01-01')::date + 1",
                Rewrites.sargable(SqlText.of("SELECT id FROM shipments WHERE date(created_at) = '2024-01-01'"), s, SHIPMENTS)
                        .orElseThrow().sql());
        assertEquals("SELECT id FROM shipments WHERE created_at >= '2024-01-01' AND created_at < '2025-01-01'",
                Rewrites.sargable(SqlText.of("SELECT id FROM shipments WHERE extract(year FROM created_at) = 2024"), s, SHIPMENTS)
                        .orElseThrow().sql());
        assertEquals("SELECT id FROM shipments WHERE (weight_g = 0 OR weight_g IS NULL)",
                Rewrites.sargable(SqlText.of("SELECT id FROM shipments WHERE coalesce(weight_g, 0) = 0"), s, SHIPMENTS)
                        .orElseThrow().sql());
        assertEquals("SELECT id FROM shipments WHERE created_at >= ($1)::date AND created_at < ($1)::date + 1",
                Rewrites.sargable(SqlText.of("SELECT id FROM shipments WHERE created_at::date = $1"), s, SHIPMENTS)
                        .orElseThrow().sql());
    }

    @Test
    void anIntegerColumnComparedWithADecimalGetsTheIntegerBack() {
        QueryShape s = QueryShape.of(Fixtures.plan("mixed-filter"));
        SqlText t = SqlText.of("SELECT id FROM shipments WHERE weight_g = 1.0e3");
        Rewrites.Draft d = Rewrites.implicitCast(t, s, SHIPMENTS).orElseThrow();
        assertEquals("SELECT id FROM shipments WHERE weight_g = 1000", d.sql());
        assertTrue(d.reason().contains("integer"), d.reason());
        assertEquals(Optional.empty(), Rewrites.implicitCast(SqlText.of("SELECT id FROM shipments WHERE weight_g = 1.5"), s,
                SHIPMENTS), "1.5 has no integer twin");
    }
}
