package io.querk.review;

import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.Migration;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The review on a real PostgreSQL (14 to 18 in CI) without HypoPG: the estimate path, bad input,
 * statements that write, ANALYZE under its timeout, and a connection handed back as it came.
 */
@ExtendWith(PostgresExtension.class)
class QueryReviewIT {

    static final String SLOW = "SELECT id, created_at FROM shipments WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20";

    @Test
    void withoutHypoPgTheProposalIsEstimatedSaidSoAndShipsAsAMigrationThatVerifies(TestDatabase db) throws Exception {
        DataSource ds = db.dataSource();
        Schemas.logistics(ds, 100_000);
        QueryReviewReport r = QueryReview.of(SLOW).on(ds).run();

        assertEquals(CostBasis.ESTIMATED, r.basis());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("HypoPG is not installed")), r.notes().toString());
        assertEquals(ParameterSource.SAMPLED, r.parameters().get(0).source());
        assertEquals("shipments.customer_id", r.parameters().get(0).column());
        assertTrue(r.findings().stream().anyMatch(f -> f.kind() == FindingKind.SEQ_SCAN_SELECTIVE_FILTER
                || f.kind() == FindingKind.SORT_FEEDS_LIMIT), r.toText());
        IndexProposal best = r.bestProposal().orElseThrow(() -> new AssertionError(r.toText()));
        assertEquals("customer_id", best.index().keys().get(0).column(), r.toText());
        assertTrue(best.costAfter() < best.costBefore() * 0.1, r.toText());
        assertTrue(best.index().definition().startsWith("CREATE INDEX CONCURRENTLY " + best.index().name() + " ON shipments"));

        Migration m = best.toMigration("2026-11-24.review-it");
        Querk.create(QuerkConfig.custom().dataSource(ds).migrations(m).build()).migrateAllPhases();
        VerificationResult v = best.verification().check(ds);
        assertTrue(v.passed(), v.plan());
        assertTrue(v.executionMs() >= 0, "the query ran: " + v);
        assertTrue(v.cost() < r.plan().totalCost() * 0.1, v.plan());
    }

    @Test
    void badInputGetsTheServersWordsAndWhere(TestDatabase db) throws Exception {
        DataSource ds = db.dataSource();
        Schemas.logistics(ds, 1_000);
        QueryReviewException syntax = assertThrows(QueryReviewException.class,
                () -> QueryReview.of("SELECT id\nFROM shipments WHERE customer_id = = 3").on(ds).run());
        assertTrue(syntax.getMessage().startsWith("The query does not parse: syntax error at or near \"=\""), syntax.getMessage());
        assertTrue(syntax.getMessage().contains("(at line 2, column 36)"), syntax.getMessage());
        assertTrue(syntax.sql().isPresent());

        QueryReviewException table = assertThrows(QueryReviewException.class,
                () -> QueryReview.of("SELECT * FROM shipmnts WHERE id = 1").on(ds).run());
        assertTrue(table.getMessage().contains("relation \"shipmnts\" does not exist")
                && table.getMessage().contains("table's name"), table.getMessage());

        QueryReviewException column = assertThrows(QueryReviewException.class,
                () -> QueryReview.of("SELECT * FROM shipments WHERE weight = 1").on(ds).run());
        assertTrue(column.getMessage().contains("column \"weight\" does not exist"), column.getMessage());

        QueryReviewException count = assertThrows(QueryReviewException.class,
                () -> QueryReview.of(SLOW).parameters(1, 2).on(ds).run());
        assertTrue(count.getMessage().contains("has 1 parameter ($1) but 2 values were given"), count.getMessage());

        QueryReviewException ddl = assertThrows(QueryReviewException.class,
                () -> QueryReview.of("CREATE INDEX ON shipments (status)").on(ds).run());
        assertTrue(ddl.getMessage().contains("starts with CREATE"), ddl.getMessage());

        QueryReviewException untyped = assertThrows(QueryReviewException.class,
                () -> QueryReview.of("SELECT id FROM shipments WHERE $1 IS NULL").on(ds).run());
        assertTrue(untyped.getMessage().contains("$1::bigint"), untyped.getMessage());

        QueryReviewException required = assertThrows(QueryReviewException.class,
                () -> QueryReview.of(SLOW).hypotheticalIndexes(HypotheticalIndexes.REQUIRE).on(ds).run());
        assertTrue(required.getMessage().contains("CREATE EXTENSION hypopg"), required.getMessage());
    }

    @Test
    void aStatementThatWritesIsPlannedNeverRun(TestDatabase db) throws Exception {
        DataSource ds = db.dataSource();
        Schemas.logistics(ds, 20_000);
        QueryReviewReport r = QueryReview.of("UPDATE shipments SET status = 'reviewed' WHERE tracking_no = 'TRK00000042'")
                .analyze(true).on(ds).run();
        assertTrue(r.writes());
        assertTrue(r.execution().isEmpty());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("never run")), r.notes().toString());
        assertEquals(0, Schemas.count(ds, "SELECT count(*) FROM shipments WHERE status = 'reviewed'"));
        IndexProposal best = r.bestProposal().orElseThrow(() -> new AssertionError(r.toText()));
        assertEquals("tracking_no", best.index().keys().get(0).column());
        assertFalse(best.verification().analyze());
        assertTrue(best.verification().command().startsWith("EXPLAIN UPDATE"), best.verification().command());
        assertTrue(best.index().writeImpact().setByReviewed().isEmpty(), "status is not in the index");

        QueryReviewReport renumber = QueryReview.of("UPDATE shipments SET tracking_no = tracking_no || '-1'"
                + " WHERE tracking_no = 'TRK00000042'").on(ds).run();
        WriteImpact w = renumber.bestProposal().orElseThrow().index().writeImpact();
        assertEquals(java.util.List.of("tracking_no"), w.setByReviewed());
        assertTrue(w.describe().stream().anyMatch(l -> l.contains("no longer be a HOT update")), w.describe().toString());
        assertEquals(1, Schemas.count(ds, "SELECT count(*) FROM shipments WHERE tracking_no = 'TRK00000042'"));
    }

    @Test
    void analyzeRunsReadOnlyUnderTheTimeoutAndNeverWrites(TestDatabase db) throws Exception {
        DataSource ds = db.dataSource();
        Schemas.logistics(ds, 20_000);
        Schemas.exec(ds, "CREATE SEQUENCE review_seq");
        QueryReviewReport measured = QueryReview.of("SELECT count(*) FROM shipments WHERE status = 'lost'").analyze(true).on(ds).run();
        Execution e = measured.execution().orElseThrow(() -> new AssertionError(measured.toText()));
        assertTrue(e.executionMs() > 0 && e.rows() == 1, e.toString());

        QueryReviewReport slow = QueryReview.of("SELECT pg_sleep(5), id FROM shipments LIMIT 1").analyze(true)
                .statementTimeout(Duration.ofMillis(200)).on(ds).run();
        assertTrue(slow.execution().isEmpty());
        assertTrue(slow.notes().stream().anyMatch(n -> n.contains("did not finish") && n.contains("statement timeout")),
                slow.notes().toString());

        QueryReviewReport writer = QueryReview.of("SELECT nextval('review_seq')").analyze(true).on(ds).run();
        assertTrue(writer.execution().isEmpty(), "nextval cannot run in a read-only transaction");
        assertTrue(writer.notes().stream().anyMatch(n -> n.contains("read-only transaction")), writer.notes().toString());
        assertEquals(1, Schemas.count(ds, "SELECT nextval('review_seq')"), "the review advanced nothing");
    }

    @Test
    void aTableLockedByAMigrationMakesTheReviewWaitAtMostItsTimeoutAndSaySo(TestDatabase db) throws Exception {
        Schemas.logistics(db.dataSource(), 1_000);
        try (Connection holder = db.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE shipments IN ACCESS EXCLUSIVE MODE");
            long t0 = System.nanoTime();
            QueryReviewException e = assertThrows(QueryReviewException.class, () -> QueryReview.of(SLOW)
                    .statementTimeout(Duration.ofMillis(300)).on(db.dataSource()).run());
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            holder.rollback();
            assertTrue(e.getMessage().startsWith("The review waited 270 ms for a lock on a table the query reads"),
                    e.getMessage());
            assertTrue(waitedMs < 5_000, "gave up after its lock timeout, not the holder's: " + waitedMs + " ms");
        }
        assertTrue(QueryReview.of(SLOW).on(db.dataSource()).run().plan().totalCost() > 0, "and works once the lock is gone");
    }

    @Test
    void theConnectionGoesBackAsItCameEvenAfterAFailure(TestDatabase db) throws Exception {
        Schemas.logistics(db.dataSource(), 20_000);
        try (Connection c = db.connect()) {
            DataSource one = Schemas.single(c);
            String before = settings(c);
            QueryReview.of(SLOW).analyze(true).on(one).run();
            assertThrows(QueryReviewException.class, () -> QueryReview.of("SELECT * FROM nowhere").on(one).run());
            assertTrue(c.getAutoCommit());
            assertEquals(before, settings(c));
            assertEquals(0, count(c, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'querk_review%'"));
            assertEquals(0, count(c, "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation'"
                    + " AND relation::regclass::text IN ('shipments', 'customers')"), "no lock outlives the review");
        }
    }

    private static String settings(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('statement_timeout'),"
                + " current_setting('lock_timeout'), current_setting('application_name'), current_setting('plan_cache_mode'),"
                + " current_setting('transaction_read_only')")) {
            rs.next();
            return rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|" + rs.getString(5);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
