package io.querk.jdbc.internal.guard;

import io.querk.internal.render.Action;
import io.querk.internal.render.RelationLock;
import io.querk.jdbc.Blocker;
import io.querk.jdbc.StepFailedException;
import io.querk.migration.StepRef;
import io.querk.jdbc.event.LocksHeld;
import io.querk.jdbc.event.StatementFinished;
import io.querk.jdbc.event.StatementStarted;
import io.querk.jdbc.internal.event.EventBus;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs an action's statements under the lock guard: a lock timeout and a statement timeout
 * set for them, the session named after the step, a watch for blockers while they run.
 *
 * <p>Statements that only take weak locks ({@code CONCURRENTLY}, {@code VALIDATE}) get the long
 * lock timeout and no statement timeout: they block no reads or writes, and cutting them short
 * wastes their work. Everything else gets the short, per-attempt lock timeout and the statement
 * timeout, so that a strong lock is never held while anything slow happens.
 */
public final class GuardedExecutor {

    private final WorkSession session;
    private final BlockerMonitor monitor;
    private final RunnerLock lock;
    private final EventBus events;
    private final TimeoutPolicy timeouts;
    private volatile String runToken = "";

    /**
     * Step-run tokens: a counter from a random start, in base 36, so that every step run of this
     * process gets its own, and another process's are unlikely to match.
     */
    private static final long TOKEN_SPACE = 36L * 36 * 36 * 36 * 36 * 36;
    private static final AtomicLong TOKENS = new AtomicLong(Math.floorMod(new SecureRandom().nextLong(), TOKEN_SPACE));

    /** Made once per run. */
    public GuardedExecutor(WorkSession session, BlockerMonitor monitor, RunnerLock lock, EventBus events,
                           TimeoutPolicy timeouts) {
        this.session = session;
        this.monitor = monitor;
        this.lock = lock;
        this.events = events;
        this.timeouts = timeouts;
    }

    /** @return the session the statements run on */
    public WorkSession session() {
        return session;
    }

    /** @return the policy every statement's timeouts come from */
    public TimeoutPolicy timeouts() {
        return timeouts;
    }

    /**
     * Runs an action with the timeouts the policy gives its kind and attempt.
     *
     * @param attempt the step's attempt, from 1
     * @param ledger  a statement to run in the same transaction (the raw-SQL ledger), or null
     * @throws RetryableFailure on a lock timeout or deadlock, with the blockers seen
     * @throws SQLException     on any other database error
     */
    public void execute(StepRef step, Action action, int attempt, PreparedStatement ledger)
            throws RetryableFailure, SQLException {
        TimeoutPolicy.Timeouts t = timeouts.forAttempt(TimeoutPolicy.kindOf(action), attempt);
        session.applicationName(sessionName(step));
        Connection c = session.connection();
        if (!action.transactional()) {
            // It commits as it goes, so it must not start without the lock. It cannot run in a
            // transaction, so its timeouts are the session's (proven stable before the run began).
            session.timeouts(t);
            requireRunnerLock(c, step);
            run(step, action.statements().get(0), t, action.locks());
            return;
        }
        c.setAutoCommit(false);
        try {
            session.localTimeouts(t);
            Instant begun = Instant.now();
            for (String sql : action.statements()) {
                run(step, sql, t, action.locks());
            }
            if (ledger != null) {
                ledger.executeUpdate();
            }
            List<LocksHeld.Lock> held = events.capturesHeldLocks() ? HeldLocks.read(c) : null;
            // Checked last, inside the transaction: a runner that lost its lock while the action ran
            // (another may have taken over) rolls the action back instead of committing it.
            requireRunnerLock(c, step);
            c.commit();
            if (held != null) {
                events.publish(new LocksHeld(Instant.now(), step, session.backendPid(), action.statements(), begun, held));
            }
        } catch (SQLException | RetryableFailure | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** @return the single-runner lock this run holds */
    public RunnerLock runnerLock() {
        return lock;
    }

    private void requireRunnerLock(Connection c, StepRef step) throws SQLException {
        if (!lock.heldOn(c)) {
            throw lock.lost("a change of " + step + " was committed");
        }
    }

    /**
     * Runs one statement with its timeouts already set on the session, watching for blockers.
     *
     * @param locks the locks it takes, for naming blockers after the fact
     */
    private void run(StepRef step, String sql, TimeoutPolicy.Timeouts t, List<RelationLock> locks)
            throws RetryableFailure, SQLException {
        events.publish(new StatementStarted(Instant.now(), step, sql, session.backendPid(), t.lock(), t.statement()));
        long t0 = System.nanoTime();
        try (BlockerMonitor.Watch watch = monitor.watch(session.backendPid(), step, sql, t.lock());
             Statement s = session.connection().createStatement()) {
            try {
                s.execute(sql);
            } catch (SQLException e) {
                events.publish(new StatementFinished(Instant.now(), step, sql, Duration.ofNanos(System.nanoTime() - t0),
                        e.getSQLState()));
                if (RetryableFailure.isRetryable(e)) {
                    throw new RetryableFailure(e, sql, blockers(watch.lastBlockers(), locks), t.lock());
                }
                throw StepFailedException.of(step, sql, e);
            }
        }
        events.publish(new StatementFinished(Instant.now(), step, sql, Duration.ofNanos(System.nanoTime() - t0), null));
    }

    /** Starts watching a session (this run's, or a backfill worker's) for blockers while it runs {@code sql}. */
    public BlockerMonitor.Watch watch(int backendPid, StepRef step, String sql, Duration lockTimeout) {
        return monitor.watch(backendPid, step, sql, lockTimeout);
    }

    /** The blockers the watch saw, or, if it saw none, the holders of conflicting locks now. */
    public List<Blocker> blockers(List<Blocker> seen, List<RelationLock> locks) {
        if (!seen.isEmpty() || locks.isEmpty()) {
            return seen;
        }
        try {
            return lock.withConnection(c -> LockHolders.of(c, locks, session.backendPid()));
        } catch (RuntimeException e) {
            return seen;
        }
    }

    /**
     * Starts a step run: a new token names the run's sessions from now on.
     *
     * @return the run's token, published on {@link io.querk.jdbc.event.StepStarted}
     */
    public String startStepRun() {
        String t = Long.toString(TOKENS.getAndIncrement() % TOKEN_SPACE, 36);
        runToken = "0".repeat(6 - t.length()) + t.toLowerCase(Locale.ROOT);
        return runToken;
    }

    /** @return the {@link #applicationName(StepRef, String)} of the current step run's sessions */
    public String sessionName(StepRef step) {
        return applicationName(step, runToken);
    }

    /**
     * @param runToken the step run's token (six characters), or empty
     * @return {@code querk/<phase>#<step>/<token>/<migration id>}, cut to 63 bytes at the id's end,
     *         so that {@code pg_stat_activity} shows which step a session runs, and the token tells
     *         step runs apart however long their ids
     */
    public static String applicationName(StepRef step, String runToken) {
        String name = "querk/" + step.phase().label() + "#" + step.number() + "/"
                + (runToken.isEmpty() ? "" : runToken + "/") + step.migrationId();
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length <= 63) {
            return name;
        }
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + len > 63) {
                break;
            }
            out.appendCodePoint(cp);
            used += len;
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The original failure is what matters; a broken connection fails the next call anyway.
        }
    }
}
