package io.querk.jdbc.safety;

import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.event.StatementFinished;
import io.querk.jdbc.event.StatementStarted;
import io.querk.jdbc.support.Await;
import io.querk.jdbc.support.Held;
import io.querk.jdbc.support.KeyedTraffic;
import io.querk.jdbc.support.Recorder;
import io.querk.migration.Migration;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.querk.jdbc.support.Db.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reproduction 10 of "safe by construction": with {@code lockTimeout(200 ms)} and the default
 * retry policy, application queries stalled about 1,000 ms per attempt, because the timeout grew
 * ×1.5 per attempt to 1 s. With the defaults every attempt waits at most the configured lock
 * timeout, and consecutive attempts leave the application a gap at least as long, so that two
 * waits never merge into one longer stall.
 */
@ExtendWith(PostgresExtension.class)
class DefaultStallIT {

    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(200);
    /** A late grant's commit and a loaded two-core machine's scheduling: far below the old 1,000 ms. */
    private static final long SLACK_MS = 250;

    @Test
    void withTheDefaultRetryPolicyNoAttemptWaitsLongerThanTheLockTimeoutAndAttemptsLeaveGaps(TestDatabase db)
            throws Exception {
        exec(db, "CREATE TABLE orders (id int PRIMARY KEY, qty int NOT NULL)",
                "INSERT INTO orders SELECT g, 0 FROM generate_series(1, 1000) g");
        Recorder recorder = new Recorder();
        Migration m = Migration.define("2026-12-01.orders-note").expand(e -> e.addColumn("orders", "note", "text")).build();
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).lockTimeout(LOCK_TIMEOUT)
                .listener(recorder).build());

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong worst = new AtomicLong();
        AtomicLong queries = new AtomicLong();
        List<Thread> traffic = new ArrayList<>();
        for (String sql : List.of("SELECT qty FROM orders WHERE id = ?", "UPDATE orders SET qty = qty + 1 WHERE id = ?")) {
            traffic.add(KeyedTraffic.of(db, sql, stop, worst, queries));
        }
        traffic.forEach(Thread::start);
        MigrationReport report;
        try {
            CompletableFuture<MigrationReport> run;
            try (Held blocker = Held.transaction(db, "SELECT count(*) FROM orders /* the long report */")) {
                run = CompletableFuture.supplyAsync(q::migrate);
                Await.until("four attempts to time out", 60_000, () -> timedOut(recorder) >= 4);
            }
            report = run.get(60, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            for (Thread t : traffic) {
                t.join(10_000);
            }
        }

        assertTrue(report.applied().get(0).attempts() >= 5, "it retried, then went through: " + report);
        List<StatementStarted> alters = recorder.of(StatementStarted.class).stream()
                .filter(s -> s.sql().startsWith("ALTER TABLE")).toList();
        List<StatementFinished> ends = recorder.of(StatementFinished.class).stream()
                .filter(s -> s.sql().startsWith("ALTER TABLE")).toList();
        assertEquals(alters.size(), ends.size());
        for (StatementStarted s : alters) {
            assertEquals(LOCK_TIMEOUT, s.lockTimeout(), "no attempt waits longer than asked: the timeout never grows");
        }
        for (int i = 1; i < alters.size(); i++) {
            Duration gap = Duration.between(ends.get(i - 1).at(), alters.get(i).at());
            assertTrue(gap.compareTo(LOCK_TIMEOUT) >= 0, "attempt " + (i + 1) + " left the application a gap of only "
                    + gap.toMillis() + " ms after the one before");
        }
        long worstMs = worst.get() / 1_000_000;
        assertTrue(worstMs >= LOCK_TIMEOUT.toMillis() / 2, "the traffic queued behind a waiting ALTER at least once: "
                + worstMs + " ms over " + queries.get() + " queries");
        assertTrue(worstMs <= LOCK_TIMEOUT.toMillis() + SLACK_MS, "the application waited " + worstMs + " ms, more than"
                + " the lock timeout of " + LOCK_TIMEOUT.toMillis() + " ms");
    }

    private static long timedOut(Recorder recorder) {
        return recorder.of(StatementFinished.class).stream().filter(f -> "55P03".equals(f.sqlState())).count();
    }
}
