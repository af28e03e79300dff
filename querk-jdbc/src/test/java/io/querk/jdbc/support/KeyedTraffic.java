package io.querk.jdbc.support;

import io.querk.testkit.postgres.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application in lock tests: one connection running a statement by key ({@code id} 1 to
 * 1,000) back to back until stopped, keeping its worst latency.
 */
public final class KeyedTraffic {

    private KeyedTraffic() {
    }

    /** @return a daemon thread, not started, running {@code sql} (one {@code ?} for the key) until {@code stop} */
    public static Thread of(TestDatabase db, String sql, AtomicBoolean stop, AtomicLong worstNanos, AtomicLong queries) {
        Thread t = new Thread(() -> {
            try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 0;
                while (!stop.get()) {
                    ps.setInt(1, 1 + (i++ % 1000));
                    long t0 = System.nanoTime();
                    ps.execute();
                    worstNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    queries.incrementAndGet();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "traffic");
        t.setDaemon(true);
        return t;
    }
}
