package io.querk.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.jdbc.event.StepRetrying;
import io.querk.migration.Migration;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meters of a real run: an expand step blocked by an idle transaction (a lock wait, a blocker,
 * a retry, then success) and a backfill, read back from a Micrometer registry.
 */
@ExtendWith(PostgresExtension.class)
class QuerkMetricsIT {

    private static final int ROWS = 5_000;
    private static final String ID = "2026-12-01.items-note";

    @Test
    void aRunWithALockWaitARetryAndABackfillShowsInTheMeters(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)");
            s.execute("INSERT INTO items SELECT g, 0 FROM generate_series(1, " + ROWS + ") g");
            s.execute("ANALYZE items");
        }
        Migration m = Migration.define(ID)
                .expand(e -> e.addColumn("items", "note", "text"))
                .backfill(b -> b.table("items").set("n", "n + 1").batchSize(500).pause(Duration.ZERO))
                .build();

        MeterRegistry registry = new SimpleMeterRegistry();
        List<Double> batchSizesSeen = new ArrayList<>();
        // An application session idle in a transaction that read the table: ADD COLUMN must wait for it.
        Connection blocker = db.connect();
        blocker.setAutoCommit(false);
        try (Statement s = blocker.createStatement()) {
            s.execute("SET application_name = 'billing'");
            s.execute("SELECT count(*) FROM items");
        }
        AtomicBoolean released = new AtomicBoolean();
        Querk querk = Querk.create(QuerkConfig.custom()
                .dataSource(db.dataSource())
                .migrations(m)
                .lockTimeout(Duration.ofMillis(300))
                .backfill(BackfillSettings.custom().progressInterval(Duration.ofMillis(1)).build())
                .listener(QuerkMetrics.bindTo(registry))
                .listener(event -> {
                    if (event instanceof StepRetrying && released.compareAndSet(false, true)) {
                        // The first retry is the moment the blocker gives way: the next attempt gets the lock.
                        commit(blocker);
                    }
                    if (event instanceof BackfillProgress) {
                        batchSizesSeen.add(registry.get(QuerkMetrics.BACKFILL_BATCH_SIZE).tag("worker", "1").gauge().value());
                    }
                })
                .build());
        try {
            querk.migrate();
        } finally {
            blocker.close();
        }
        assertTrue(released.get(), "the expand step was retried once the blocker held it up");

        assertEquals(1, registry.get(QuerkMetrics.STEP_RETRIES).tags("migration", ID, "phase", "expand", "reason", "lock_timeout")
                .counter().count());
        Timer waited = registry.get(QuerkMetrics.LOCK_WAIT).tags("phase", "expand", "outcome", "lock_timeout").timer();
        assertEquals(1, waited.count());
        assertTrue(waited.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) >= 100, "the longest observed wait");
        assertTrue(registry.get(QuerkMetrics.LOCK_BLOCKERS).tags("phase", "expand", "state", "idle in transaction")
                .counter().count() >= 1, "the idle transaction was seen blocking");

        Timer expand = registry.get(QuerkMetrics.STEP_DURATION)
                .tags("migration", ID, "phase", "expand", "kind", "add_column", "outcome", "applied", "retried", "true").timer();
        assertEquals(1, expand.count());
        assertEquals(1, registry.get(QuerkMetrics.STEP_DURATION).tags("phase", "backfill", "retried", "false").timer().count());
        assertEquals(2, registry.get(QuerkMetrics.PHASE_DURATION).timers().stream().mapToLong(Timer::count).sum());
        assertEquals(1, registry.get(QuerkMetrics.RUN_DURATION).tag("outcome", "completed").timer().count());
        assertEquals(0, registry.get(QuerkMetrics.RUN_ACTIVE).gauge().value());

        assertEquals(ROWS, registry.get(QuerkMetrics.BACKFILL_ROWS).tags("migration", ID, "step", "1", "kind", "updated")
                .functionCounter().count());
        assertEquals(1.0, registry.get(QuerkMetrics.BACKFILL_PROGRESS).gauge().value(), 0.01);
        assertTrue(batchSizesSeen.contains(500.0), "the worker's batch size while it ran: " + batchSizesSeen);
        assertEquals(0, registry.get(QuerkMetrics.BACKFILL_RATE).gauge().value(), "no rate once the backfill ended");

        // Bounded tags only: no meter carries SQL, a reason or a blocker's query.
        for (Meter meter : registry.getMeters()) {
            meter.getId().getTags().forEach(t -> assertTrue(t.getValue().length() < 64 && !t.getValue().contains(" set ")
                    && !t.getValue().toUpperCase().contains("ALTER"), meter.getId().toString()));
            assertTrue(meter.getId().getName().matches("querk(\\.[a-z]+)+"), meter.getId().getName());
        }
        List<String> names = registry.getMeters().stream().map(x -> x.getId().getName()).distinct().sorted().toList();
        assertTrue(names.containsAll(List.of(QuerkMetrics.BACKFILL_BATCH_LONGEST, QuerkMetrics.BACKFILL_REMAINING)), names.toString());
        assertTrue(registry.find(QuerkMetrics.BACKFILL_RATE).gauges().stream().allMatch(g -> g instanceof Gauge));
    }

    private static void commit(Connection c) {
        try {
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
