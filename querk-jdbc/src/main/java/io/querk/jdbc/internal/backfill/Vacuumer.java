package io.querk.jdbc.internal.backfill;

import io.querk.migration.StepRef;
import io.querk.jdbc.event.BackfillVacuumed;
import io.querk.jdbc.internal.event.EventBus;
import io.querk.jdbc.internal.guard.TimeoutPolicy;
import io.querk.jdbc.internal.guard.WorkSession;
import io.querk.sql.QualifiedName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Vacuums a backfill's table alongside its batches, on a connection of its own, one VACUUM at a
 * time. Plain VACUUM blocks no reads or writes, so the batches need not wait for it; on a machine
 * with more than one core the two overlap, and the space each VACUUM frees is reused by the
 * batches that follow.
 */
final class Vacuumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("io.querk");

    private final DataSource dataSource;
    private final EventBus events;
    private final TimeoutPolicy.Timeouts timeouts;
    private final ExecutorService executor;
    private volatile Future<?> current;
    private volatile int pid;


    /** @param timeouts a VACUUM's: it blocks nothing the application does */
    Vacuumer(DataSource dataSource, EventBus events, TimeoutPolicy.Timeouts timeouts) {
        this.dataSource = dataSource;
        this.events = events;
        this.timeouts = timeouts;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "querk-vacuum");
            t.setDaemon(true);
            return t;
        });
    }

    /** @return true while a VACUUM of ours runs */
    synchronized boolean running() {
        return current != null && !current.isDone();
    }

    /** @return the backend pid of the running VACUUM, or 0: the throttle does not count our own vacuum as someone else's */
    int pid() {
        return running() ? pid : 0;
    }

    /** Starts a VACUUM of {@code table} unless one of ours is already running. */
    synchronized void start(StepRef ref, QualifiedName table, String reason) {
        if (running()) {
            return;
        }
        current = executor.submit(() -> {
            long t0 = System.nanoTime();
            try (WorkSession s = WorkSession.open(dataSource)) {
                pid = s.backendPid();
                s.applicationName("querk/vacuum");
                s.timeouts(timeouts);
                try (Statement st = s.connection().createStatement()) {
                    // TRUNCATE false: truncating empty trailing pages needs an ACCESS EXCLUSIVE lock,
                    // which would block reads; the pages are reused by the next batches anyway.
                    st.execute("VACUUM (TRUNCATE false) " + table.sql());
                }
                events.publish(new BackfillVacuumed(Instant.now(), ref, reason, Duration.ofNanos(System.nanoTime() - t0)));
            } catch (SQLException | RuntimeException e) {
                LOG.warn("querk:   VACUUM of {} failed: {}; the backfill goes on", table.sql(), e.getMessage());
            } finally {
                pid = 0;
            }
        });
    }

    /** Waits for a running VACUUM to end, so that a finished backfill leaves its table vacuumed and no connection behind. */
    void awaitIdle() {
        Future<?> f = current;
        if (f != null) {
            try {
                f.get(1, TimeUnit.HOURS);
            } catch (Exception e) {
                // Logged by the task itself; nothing to add here.
            }
        }
    }

    @Override
    public void close() {
        awaitIdle();
        executor.shutdown();
    }
}
