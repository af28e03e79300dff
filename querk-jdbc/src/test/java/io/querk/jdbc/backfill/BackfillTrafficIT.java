package io.querk.jdbc.backfill;

import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.Migration;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application keeps inserting, updating and deleting while a backfill runs: no row ends
 * stale, none is missed.
 */
@ExtendWith(PostgresExtension.class)
class BackfillTrafficIT {

    private static final int ROWS = 20_000;

    @Test
    void derivedColumnStaysConsistentUnderInsertsUpdatesAndDeletes(TestDatabase db) throws Exception {
        exec(db, "CREATE TABLE parcels (id bigint PRIMARY KEY, address text NOT NULL)",
                "INSERT INTO parcels SELECT g * 2, 'City' || (g % 37) || ', Road ' || g FROM generate_series(1, " + ROWS + ") g");
        Migration m = Migration.define("1").expand(e -> e.addColumn("parcels", "city", "text",
                c -> c.derivedFrom("split_part(address, ',', 1)"))).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ops = new AtomicLong();
        List<Thread> traffic = List.of(
                // Odd ids fall between existing keys: many land behind the backfill's cursor.
                loop(db, stop, ops, "INSERT INTO parcels (id, address) VALUES (?, 'Town' || ? || ', Lane') ON CONFLICT DO NOTHING",
                        r -> new long[] {r.nextLong(ROWS) * 2 + 1, r.nextLong(50)}),
                loop(db, stop, ops, "UPDATE parcels SET address = 'Moved' || ? || ', Quay' WHERE id = ?",
                        r -> new long[] {r.nextLong(50), r.nextLong(ROWS * 2)}),
                loop(db, stop, ops, "DELETE FROM parcels WHERE id = ?", r -> new long[] {r.nextLong(ROWS * 2)}));
        traffic.forEach(Thread::start);
        MigrationReport report;
        try {
            report = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m)
                    .backfill(io.querk.jdbc.BackfillSettings.custom().batchSize(500).pause(Duration.ofMillis(5)).build())
                    .build()).migrate();
        } finally {
            stop.set(true);
            for (Thread t : traffic) {
                t.join(10_000);
            }
        }
        assertEquals(2, report.applied().size());
        assertTrue(ops.get() > 100, "the traffic really ran alongside: " + ops.get() + " operations");
        assertEquals("0", one(db, "SELECT count(*) FROM parcels WHERE city IS DISTINCT FROM split_part(address, ',', 1)"));
    }

    @Test
    void aPlainBackfillComputesFromTheRowsCurrentVersion(TestDatabase db) throws Exception {
        exec(db, "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, status_v2 text)",
                "INSERT INTO orders SELECT g, 'open', NULL FROM generate_series(1, " + ROWS + ") g");
        // The new application version writes both columns; the backfill copies the old into the new.
        Migration m = Migration.define("1").backfill(b -> b.table("orders").set("status_v2", "status")
                .batchSize(300).pause(Duration.ofMillis(2))).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ops = new AtomicLong();
        Thread writer = loop(db, stop, ops, "UPDATE orders SET status = 's' || ?, status_v2 = 's' || ? WHERE id = ?",
                r -> {
                    long v = r.nextLong(1000);
                    return new long[] {v, v, 1 + r.nextLong(ROWS)};
                });
        writer.start();
        try {
            Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).build()).migrate();
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
        assertTrue(ops.get() > 50, "the writer really ran: " + ops.get());
        assertEquals("0", one(db, "SELECT count(*) FROM orders WHERE status_v2 IS DISTINCT FROM status"));
    }

    private interface Args {
        long[] next(ThreadLocalRandom r);
    }

    private static Thread loop(TestDatabase db, AtomicBoolean stop, AtomicLong ops, String sql, Args args) {
        List<Throwable> errors = new ArrayList<>();
        return new Thread(() -> {
            try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
                while (!stop.get()) {
                    long[] a = args.next(ThreadLocalRandom.current());
                    for (int i = 0; i < a.length; i++) {
                        ps.setLong(i + 1, a[i]);
                    }
                    ps.execute();
                    ops.incrementAndGet();
                }
            } catch (SQLException e) {
                errors.add(e);
                throw new IllegalStateException(e);
            }
        }, "traffic");
    }
}
