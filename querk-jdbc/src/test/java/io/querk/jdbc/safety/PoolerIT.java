package io.querk.jdbc.safety;

import io.querk.jdbc.LockTimeoutException;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.UnstableSessionException;
import io.querk.jdbc.retry.RetryPolicy;
import io.querk.jdbc.support.Held;
import io.querk.jdbc.support.PgBouncer;
import io.querk.jdbc.support.ServiceDatabase;
import io.querk.migration.Migration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reproduction 6 of "safe by construction", against a real PgBouncer the test starts in front of
 * the PostgreSQL 15 service (the embedded servers run no pooler; one server version is enough for
 * what the pooler does). In transaction mode every run is refused before it takes its lock or
 * changes anything, on a quiet pool and on a busy one; in session mode migrations work, with the
 * lock guard naming a blocker as on a direct connection.
 */
class PoolerIT {

    private static final int POOL = 4;

    private ServiceDatabase db;
    private PgBouncer bouncer;

    @BeforeEach
    void start() throws Exception {
        db = ServiceDatabase.create("pooler");
        bouncer = PgBouncer.start(db, POOL);
        exec(db.direct(), "CREATE TABLE items (id bigint PRIMARY KEY, qty int NOT NULL DEFAULT 0)",
                "INSERT INTO items (id) SELECT g FROM generate_series(1, 2000) g");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            bouncer.close();
        } finally {
            db.close();
        }
    }

    private static Migration addNote() {
        return Migration.define("2026-12-01.items-note")
                .expand(e -> e.addColumn("items", "note", "text", c -> c.derivedFrom("'item ' || id")))
                .contract(c -> c.dropColumn("items", "qty")).build();
    }

    private static Querk querk(DataSource ds) {
        return Querk.create(QuerkConfig.custom().dataSource(ds).migrations(addNote()).contractReleasedThrough(
                "2026-12-01.items-note").runnerLockTimeout(Duration.ofSeconds(2)).build());
    }

    @Test
    void transactionPoolingOnAQuietPoolIsRefusedBeforeAnythingIsHeldOrChanged() throws Exception {
        UnstableSessionException e = assertThrows(UnstableSessionException.class,
                () -> querk(bouncer.dataSource(PgBouncer.TRANSACTION)).migrate());
        assertTrue(e.getMessage().contains("pool_mode=session") && e.getMessage().contains("direct"), e.getMessage());
        assertNothingHeldOrChanged();

        // Nothing was left behind in a pooled server session: a direct run goes straight through.
        querk(db.direct()).migrate();
        assertEquals("item 7", one(db.direct(), "SELECT note FROM items WHERE id = 7"), "expand and backfill ran");
    }

    @Test
    void transactionPoolingOnABusyPoolIsRefusedEveryTime() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        List<Thread> traffic = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> pooledTraffic(bouncer.dataSource(PgBouncer.TRANSACTION), stop, done));
            t.setDaemon(true);
            t.start();
            traffic.add(t);
        }
        try {
            io.querk.jdbc.support.Await.until("pooled traffic", 20_000, () -> done.get() > 200);
            for (int run = 0; run < 5; run++) {
                assertThrows(UnstableSessionException.class,
                        () -> querk(bouncer.dataSource(PgBouncer.TRANSACTION)).migrate(), "run " + run);
            }
        } finally {
            stop.set(true);
            for (Thread t : traffic) {
                t.join(10_000);
            }
        }
        assertTrue(done.get() > 200, "the pool was busy: " + done.get() + " transactions");
        assertNothingHeldOrChanged();
    }

    @Test
    void sessionPoolingMigratesAndTheGuardNamesABlockerByItsRealPid() throws Exception {
        Querk q = Querk.create(QuerkConfig.custom().dataSource(bouncer.dataSource(PgBouncer.SESSION))
                .migrations(addNote()).lockTimeout(Duration.ofMillis(100))
                .retryPolicy(RetryPolicy.custom().maxAttempts(2).build()).build());
        try (Held blocker = Held.transaction(db.direct(), "SELECT count(*) FROM items /* the report */")) {
            LockTimeoutException e = assertThrows(LockTimeoutException.class, q::migrate);
            assertTrue(e.blockers().stream().anyMatch(b -> b.pid() == blocker.pid()), e.getMessage());
        }
        MigrationReport report = querk(bouncer.dataSource(PgBouncer.SESSION)).migrate();
        assertTrue(report.applied().size() >= 2, report.toString());
        assertEquals("item 7", one(db.direct(), "SELECT note FROM items WHERE id = 7"));
        assertEquals("0", one(db.direct(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"));
    }

    private void assertNothingHeldOrChanged() throws SQLException {
        assertEquals("0", one(db.direct(), "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"),
                "no advisory lock is left in any server session");
        assertEquals("0", one(db.direct(), "SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass"
                + " AND attname = 'note'"), "nothing changed");
        assertEquals("0", one(db.direct(), "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'items'::regclass"
                + " AND NOT tgisinternal"));
    }

    private static void pooledTraffic(DataSource ds, AtomicBoolean stop, AtomicLong done) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE items SET qty = qty + 1 WHERE id = ?")) {
            long i = 0;
            while (!stop.get()) {
                ps.setLong(1, 1 + (i++ % 2000));
                ps.executeUpdate();
                done.incrementAndGet();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void exec(DataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static String one(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
