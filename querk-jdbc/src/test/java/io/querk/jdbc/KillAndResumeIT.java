package io.querk.jdbc;

import io.querk.jdbc.support.Await;
import io.querk.jdbc.support.Child;
import io.querk.jdbc.support.Db;
import io.querk.jdbc.support.Scenarios;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.TestDatabase;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A runner killed with SIGKILL anywhere in a phase, several times over, then run again: the
 * schema ends exactly as an uninterrupted run leaves it, raw SQL ran once, and the
 * non-idempotent backfill (n = n + 1) touched every row exactly once.
 */
@ExtendWith({PostgresExtension.class, SeededRandomExtension.class})
class KillAndResumeIT {

    private static final int ROWS = 20_000;
    private static final long PAUSE_MS = 15;
    private static final int BATCH = 500;

    @Test
    void sigkillAtRandomPointsThenResume(TestDatabase db, PostgresServer server, SeededRandom random) throws Exception {
        List<List<String>> reference;
        try (TestDatabase clean = server.createDatabase("reference")) {
            exec(clean, Scenarios.seed(ROWS));
            Querk.create(QuerkConfig.custom().dataSource(clean.dataSource()).migrations(Scenarios.workload(Duration.ZERO)).build())
                    .migrateAllPhases();
            reference = Db.schema(clean);
        }

        exec(db, Scenarios.seed(ROWS));
        long total = 14 + ROWS / BATCH;  // steps plus backfill batches, roughly
        for (int round = 0; round < 3; round++) {
            long now = progress(db);
            long target = now + 1 + random.nextInt((int) Math.max(1, (total - now) / 2));
            try (Child child = Child.start(db, PAUSE_MS, false)) {
                Await.until("progress " + target + " (round " + round + ")", 60_000, () -> progress(db) >= target);
                // Land sometimes at a batch boundary, sometimes inside a batch or a statement.
                Thread.sleep(random.between(0, (int) PAUSE_MS * 2));
                child.kill();
            }
            System.out.println("round " + round + ": killed at progress " + progress(db) + " (target " + target + ")");
        }
        assertTrue(Db.bool(db, "SELECT count(*) < 5 OR bool_or(status <> 'applied') FROM querk_history"),
                "the kills must have interrupted the work, or this test proves nothing");
        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(Scenarios.workload(Duration.ZERO)).build()).migrateAllPhases();

        assertEquals(reference, Db.schema(db));
        assertEquals(List.of(List.of("m1 sql"), List.of("m2 sql")), Db.rows(db, "SELECT step FROM applied_log ORDER BY step"));
        assertEquals(String.valueOf(ROWS), one(db, "SELECT count(*) FROM items WHERE n = 1"));
    }

    /** Steps done plus backfill batches committed: a measure of how far the runners got. */
    private static long progress(TestDatabase db) {
        if (!Db.bool(db, "SELECT to_regclass('querk_history_range') IS NOT NULL")) {
            return 0;
        }
        return Db.count(db, "SELECT (SELECT count(*) FROM querk_history_step WHERE status = 'done')"
                + " + coalesce((SELECT sum(rows_scanned) FROM querk_history_range), 0)::bigint / " + BATCH);
    }
}
