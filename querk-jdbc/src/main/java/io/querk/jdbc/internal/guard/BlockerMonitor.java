package io.querk.jdbc.internal.guard;

import io.querk.jdbc.Blocker;
import io.querk.migration.StepRef;
import io.querk.jdbc.event.LockWaiting;
import io.querk.jdbc.internal.event.EventBus;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a statement while it runs and records who blocks it. When a lock timeout strikes,
 * the blocker has usually let go of nothing: it is still there, but our wait is over and
 * {@code pg_blocking_pids()} no longer names it. So the monitor asks while the statement
 * waits, from the runner lock's idle connection, and keeps the last answer.
 */
public final class BlockerMonitor implements AutoCloseable {

    /** Polling never goes faster than this, whatever the lock timeout. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(25);
    /** Nor slower than this, so long waits are reported while they happen. */
    static final Duration MAX_INTERVAL = Duration.ofSeconds(1);

    private static final String QUERY = "SELECT " + BlockerRows.COLUMNS
            + " FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids(?)) ORDER BY a.xact_start NULLS LAST";

    private final RunnerLock lock;
    private final EventBus events;
    private final ScheduledExecutorService executor;

    /** @param lock whose idle connection runs the queries */
    public BlockerMonitor(RunnerLock lock, EventBus events) {
        this.lock = lock;
        this.events = events;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "querk-blocker-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts watching a backend that is about to run {@code sql}.
     *
     * @param lockTimeout the statement's lock timeout; the first look comes at half of it
     */
    public Watch watch(int pid, StepRef step, String sql, Duration lockTimeout) {
        return new Watch(pid, step, sql, lockTimeout);
    }

    /** The blockers of a backend right now. */
    public List<Blocker> blockersOf(int pid) {
        return lock.withConnection(c -> {
            List<Blocker> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(QUERY)) {
                ps.setInt(1, pid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(BlockerRows.read(rs));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** One statement being watched; close it when the statement returns. */
    public final class Watch implements AutoCloseable {
        private final int pid;
        private final StepRef step;
        private final String sql;
        private final long started = System.nanoTime();
        private final ScheduledFuture<?> task;
        private volatile List<Blocker> last = List.of();
        private volatile List<Integer> reportedPids = List.of();

        private Watch(int pid, StepRef step, String sql, Duration lockTimeout) {
            this.pid = pid;
            this.step = step;
            this.sql = sql;
            long half = Math.max(MIN_INTERVAL.toMillis(), lockTimeout.toMillis() / 2);
            long interval = Math.min(MAX_INTERVAL.toMillis(), half);
            this.task = executor.scheduleWithFixedDelay(this::look, Math.min(half, interval), interval,
                    TimeUnit.MILLISECONDS);
        }

        private void look() {
            try {
                List<Blocker> now = blockersOf(pid);
                if (!now.isEmpty()) {
                    last = now;
                    List<Integer> pids = now.stream().map(Blocker::pid).toList();
                    if (!pids.equals(reportedPids)) {
                        reportedPids = pids;
                        events.publish(new LockWaiting(Instant.now(), step, sql,
                                Duration.ofNanos(System.nanoTime() - started), now));
                    }
                }
            } catch (RuntimeException e) {
                // A failed look costs only diagnostics; the statement itself is unaffected.
            }
        }

        /** @return the blockers seen last while the statement waited; empty if none were seen */
        public List<Blocker> lastBlockers() {
            return last;
        }

        @Override
        public void close() {
            task.cancel(false);
        }
    }
}
