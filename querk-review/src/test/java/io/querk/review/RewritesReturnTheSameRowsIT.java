package io.querk.review;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rewrite the review proposes returns exactly the original's rows, NULLs, duplicates and
 * ties included: both are run and their rows compared.
 */
@ExtendWith(PostgresExtension.class)
class RewritesReturnTheSameRowsIT {

    private DataSource ds;

    @BeforeEach
    void schema(TestDatabase db) throws Exception {
        ds = db.dataSource();
        Schemas.logistics(ds, 30_000);
        // Ties in created_at, so pages must not split them; NULL destinations.
        Schemas.exec(ds, "UPDATE shipments SET created_at = date_trunc('hour', created_at) WHERE id % 3 = 0",
                "CREATE TABLE returns (id bigint PRIMARY KEY, customer_id bigint)",
                "INSERT INTO returns SELECT g, g % 500 FROM generate_series(1, 2000) g", "ANALYZE");
    }

    private Rewrite rewrite(String sql, RewriteKind kind) {
        QueryReviewReport r = QueryReview.of(sql).hypotheticalIndexes(HypotheticalIndexes.OFF).on(ds).run();
        return r.rewrites().stream().filter(w -> w.kind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " for " + sql + ":\n" + r.toText()));
    }

    private void same(String original, String rewritten) throws SQLException {
        List<List<String>> a = sorted(Schemas.rows(ds, original));
        List<List<String>> b = sorted(Schemas.rows(ds, rewritten));
        assertEquals(a, b, original + "\nvs\n" + rewritten);
    }

    private static List<List<String>> sorted(List<List<String>> rows) {
        List<List<String>> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing(Object::toString));
        return out;
    }

    @Test
    void unionAllForOrKeepsRowsMatchingBothBranchesOnce() throws SQLException {
        String q = "SELECT id, dest_city FROM shipments WHERE dest_city = 'City-7' OR weight_g < 400";
        Rewrite w = rewrite(q, RewriteKind.UNION_ALL_FOR_OR);
        assertTrue(Schemas.count(ds, "SELECT count(*) FROM shipments WHERE dest_city = 'City-7' AND weight_g < 400") > 0,
                "rows match both branches");
        same(q, w.sql());
    }

    @Test
    void notExistsForNotInKeepsNotInsAnswerWhenTheSubqueryHasANull() throws SQLException {
        String q = "SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM returns WHERE id > 100)";
        Rewrite withoutNull = rewrite(q, RewriteKind.NOT_EXISTS_FOR_NOT_IN);
        assertFalse(Schemas.rows(ds, q).isEmpty());
        same(q, withoutNull.sql());
        Schemas.exec(ds, "UPDATE returns SET customer_id = NULL WHERE id = 777");
        assertTrue(Schemas.rows(ds, q).isEmpty(), "a NULL makes NOT IN return nothing");
        same(q, withoutNull.sql());
    }

    @Test
    void aSargableRangeForAWrappedColumn() throws SQLException {
        String day = "SELECT id FROM shipments WHERE date(created_at) = '2025-01-03'";
        same(day, rewrite(day, RewriteKind.SARGABLE_PREDICATE).sql());
        String cast = "SELECT id FROM shipments WHERE created_at::date = '2025-01-05'";
        same(cast, rewrite(cast, RewriteKind.SARGABLE_PREDICATE).sql());
        String year = "SELECT count(*) FROM shipments WHERE extract(year FROM created_at) = 2025";
        same(year, rewrite(year, RewriteKind.SARGABLE_PREDICATE).sql());
        String nulls = "SELECT id FROM shipments WHERE coalesce(dest_city, 'none') = 'none'";
        same(nulls, rewrite(nulls, RewriteKind.SARGABLE_PREDICATE).sql());
        String decimal = "SELECT id FROM shipments WHERE weight_g = 1500.0";
        same(decimal, rewrite(decimal, RewriteKind.SARGABLE_PREDICATE).sql());
    }

    @Test
    void keysetPaginationReturnsTheNextPageThroughTies() throws SQLException {
        String page2 = "SELECT id, created_at FROM shipments WHERE status <> 'lost' ORDER BY created_at DESC OFFSET 20 LIMIT 20";
        Rewrite w = rewrite(page2, RewriteKind.KEYSET_PAGINATION);
        assertEquals(2, w.parameters().size(), w.parameters().toString());
        // The last row of page 1, in the order the keyset pages by (created_at, then id).
        List<String> last = Schemas.rows(ds, "SELECT created_at, id FROM shipments WHERE status <> 'lost'"
                + " ORDER BY created_at DESC, id DESC OFFSET 19 LIMIT 1").get(0);
        String keyset = w.sql().replace("$1", "'" + last.get(0) + "'::timestamptz").replace("$2", last.get(1));
        List<List<String>> expected = Schemas.rows(ds, "SELECT id, created_at FROM shipments WHERE status <> 'lost'"
                + " ORDER BY created_at DESC, id DESC OFFSET 20 LIMIT 20");
        assertEquals(expected, Schemas.rows(ds, keyset), keyset);
        assertTrue(w.reason().contains("id is added to ORDER BY"), w.reason());
    }
}
