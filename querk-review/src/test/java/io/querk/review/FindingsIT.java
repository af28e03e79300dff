package io.querk.review;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of finding, on a real PostgreSQL's plans (14 to 18 in CI). */
@ExtendWith(PostgresExtension.class)
class FindingsIT {

    private DataSource ds;

    @BeforeEach
    void schema(TestDatabase db) throws Exception {
        ds = db.dataSource();
        Schemas.logistics(ds, 50_000);
        Schemas.exec(ds, "CREATE INDEX customers_email_idx ON customers (email)",
                "CREATE INDEX shipments_weight_idx ON shipments (weight_g)",
                "CREATE TABLE audit (id bigint PRIMARY KEY, note text) WITH (autovacuum_enabled = false)",
                "INSERT INTO audit SELECT g, 'n' || g FROM generate_series(1, 5000) g");
    }

    private Set<FindingKind> kinds(DataSource on, String sql) {
        QueryReviewReport r = QueryReview.of(sql).hypotheticalIndexes(HypotheticalIndexes.OFF).on(on).run();
        return r.findings().stream().map(Finding::kind).collect(Collectors.toSet());
    }

    private void finds(FindingKind kind, String sql) {
        Set<FindingKind> k = kinds(ds, sql);
        assertTrue(k.contains(kind), kind + " expected in " + k + " for " + sql);
    }

    @Test
    void eachShapeIsFoundWhereItIs() {
        finds(FindingKind.SEQ_SCAN_SELECTIVE_FILTER, "SELECT * FROM shipments WHERE tracking_no = 'TRK00000042'");
        finds(FindingKind.SORT_FEEDS_LIMIT, "SELECT id FROM shipments WHERE status = 'lost' ORDER BY created_at DESC LIMIT 10");
        finds(FindingKind.UNINDEXED_FOREIGN_KEY_JOIN, "SELECT s.id FROM shipments s JOIN customers c ON c.id = s.customer_id"
                + " WHERE c.email = 'customer7@example.com'");
        finds(FindingKind.FUNCTION_WRAPS_INDEXED_COLUMN, "SELECT id FROM customers WHERE lower(email) = 'customer7@example.com'");
        finds(FindingKind.LEADING_WILDCARD_LIKE, "SELECT id FROM shipments WHERE tracking_no LIKE '%0042%'");
        finds(FindingKind.OFFSET_PAGINATION, "SELECT id FROM shipments ORDER BY id OFFSET 1000 LIMIT 10");
        finds(FindingKind.OR_ACROSS_COLUMNS, "SELECT id FROM shipments WHERE tracking_no = 'TRK00000042' OR dest_city = 'City-7'");
        finds(FindingKind.NOT_IN_SUBQUERY, "SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM shipments"
                + " WHERE status = 'lost')");
        finds(FindingKind.IMPLICIT_CAST_DEFEATS_INDEX, "SELECT id FROM shipments WHERE weight_g = 1500.0");
        finds(FindingKind.MISSING_STATISTICS, "SELECT * FROM audit WHERE note = 'n5'");
    }

    @Test
    void aNestedLoopRescanningItsInnerTable(TestDatabase db) {
        // Steer the planner to the shape (as a misestimate would) on the review's own connections.
        PGSimpleDataSource steered = new PGSimpleDataSource();
        steered.setUrl(db.jdbcUrl());
        steered.setUser(db.user());
        if (db.password() != null) {
            steered.setPassword(db.password());
        }
        steered.setOptions("-c enable_hashjoin=off -c enable_mergejoin=off -c enable_material=off -c enable_memoize=off"
                + " -c max_parallel_workers_per_gather=0");
        Set<FindingKind> k = kinds(steered, "SELECT c.name, s.id FROM customers c JOIN shipments s ON s.customer_id = c.id"
                + " WHERE c.id < 4");
        assertTrue(k.containsAll(List.of(FindingKind.NESTED_LOOP_INNER_SEQ_SCAN, FindingKind.UNINDEXED_FOREIGN_KEY_JOIN)),
                k.toString());
    }

    @Test
    void aQueryUsingItsIndexHasNothingToFix() {
        Set<FindingKind> k = kinds(ds, "SELECT * FROM shipments WHERE id = 42");
        assertTrue(k.isEmpty(), k.toString());
    }
}
