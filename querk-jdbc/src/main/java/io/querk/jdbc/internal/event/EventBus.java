package io.querk.jdbc.internal.event;

import io.querk.jdbc.Blocker;
import io.querk.jdbc.event.ActionSkipped;
import io.querk.jdbc.event.BackfillPaused;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.jdbc.event.BackfillResized;
import io.querk.jdbc.event.BackfillVacuumed;
import io.querk.jdbc.event.LockWaiting;
import io.querk.jdbc.event.MigrationAborted;
import io.querk.jdbc.event.PhaseFinished;
import io.querk.jdbc.event.PhaseStarted;
import io.querk.jdbc.event.QuerkEvent;
import io.querk.jdbc.event.QuerkListener;
import io.querk.jdbc.event.RunFinished;
import io.querk.jdbc.event.RunStarted;
import io.querk.jdbc.event.StatementFinished;
import io.querk.jdbc.event.StatementStarted;
import io.querk.jdbc.event.StepFailed;
import io.querk.jdbc.event.StepFinished;
import io.querk.jdbc.event.StepRetrying;
import io.querk.jdbc.event.StepSkipped;
import io.querk.jdbc.event.StepStarted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Hands every event to the listeners and writes it to the log as a line a person can follow.
 * A failing listener is logged and skipped: observing a migration must never break it.
 */
public final class EventBus {

    private static final Logger LOG = LoggerFactory.getLogger("io.querk");

    private final List<QuerkListener> listeners;
    // The last hold-off reason logged, digits blanked: a backfill held for minutes logs its reason
    // once at INFO, and each repeat at DEBUG.
    private volatile String lastPause = "";
    private final boolean capturesHeldLocks;

    /** @param listeners called in order */
    public EventBus(List<QuerkListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.capturesHeldLocks = this.listeners.stream().anyMatch(QuerkListener::capturesHeldLocks);
    }

    /** @return true if a listener asked for {@link io.querk.jdbc.event.LocksHeld} events */
    public boolean capturesHeldLocks() {
        return capturesHeldLocks;
    }

    /** @return a bus that also delivers to {@code extra}, after the configured listeners */
    public EventBus with(QuerkListener extra) {
        List<QuerkListener> all = new java.util.ArrayList<>(listeners);
        all.add(extra);
        return new EventBus(all);
    }

    /** Logs and delivers an event. */
    public void publish(QuerkEvent event) {
        log(event);
        for (QuerkListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("querk: listener {} failed on {}: {}", l, event.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private void log(QuerkEvent e) {
        if (e instanceof RunStarted r) {
            LOG.info("querk: {} phase(s) to run: {}", r.pending().size(), String.join(", ", r.pending()));
        } else if (e instanceof PhaseStarted p) {
            LOG.info("querk: {} {}: {} {} step(s)", p.migrationId(), p.phase().label(),
                    p.resumed() ? "resuming," : "starting,", p.steps());
        } else if (e instanceof StepStarted s) {
            lastPause = "";
            LOG.info("querk: {} {} {}/{}: {}", s.step().migrationId(), s.step().phase().label(), s.step().number(),
                    s.step().count(), s.step().description());
        } else if (e instanceof StepSkipped s) {
            LOG.debug("querk: {} skipped: {}", s.step(), s.reason());
        } else if (e instanceof ActionSkipped a) {
            LOG.info("querk:   already done: {}", a.purpose());
        } else if (e instanceof StatementStarted s) {
            LOG.debug("querk:   pid {} runs (lock_timeout {}, statement_timeout {}): {}", s.backendPid(),
                    ms(s.lockTimeout()), s.statementTimeout().isZero() ? "none" : ms(s.statementTimeout()), oneLine(s.sql()));
        } else if (e instanceof StatementFinished s) {
            if (s.sqlState() == null) {
                LOG.debug("querk:   done in {}", ms(s.took()));
            } else {
                LOG.debug("querk:   failed with SQLSTATE {} after {}", s.sqlState(), ms(s.took()));
            }
        } else if (e instanceof LockWaiting w) {
            LOG.warn("querk:   waiting {} for a lock, blocked by {}", ms(w.waited()), blockers(w.blockers()));
        } else if (e instanceof StepRetrying r) {
            LOG.warn("querk:   attempt {} of {} failed ({}){}; retrying in {} with lock_timeout {}", r.failedAttempt(),
                    r.step().description(), r.sqlState().equals("40P01") ? "deadlock" : "lock timeout",
                    r.blockers().isEmpty() ? "" : ", blocked by " + blockers(r.blockers()), ms(r.backoff()),
                    ms(r.nextLockTimeout()));
        } else if (e instanceof StepFinished f) {
            LOG.info("querk:   done in {}{}", ms(f.took()), f.attempts() > 1 ? " after " + f.attempts() + " attempts" : "");
        } else if (e instanceof StepFailed f) {
            LOG.error("querk: {} failed: {}", f.step(), f.error().getMessage());
        } else if (e instanceof PhaseFinished p) {
            LOG.info("querk: {} {} applied in {}", p.migrationId(), p.phase().label(), ms(p.took()));
        } else if (e instanceof BackfillProgress p) {
            LOG.info("querk:   {}: {} rows updated, {}{} walked, {} rows/s{}, batch {}", p.step().description(),
                    p.rowsUpdated(), p.rowsScanned(), p.rowsEstimated() > 0 ? " of ~" + p.rowsEstimated() : "",
                    String.format(Locale.ROOT, "%.0f", p.rowsPerSecond()),
                    p.eta() == null ? "" : ", about " + ms(p.eta()) + " left", p.batchSize());
        } else if (e instanceof BackfillPaused p) {
            String kind = p.reason().replaceAll("[0-9]+", "#");
            if (kind.equals(lastPause)) {
                LOG.debug("querk:   backfill still holding off: {}", p.reason());
            } else {
                lastPause = kind;
                LOG.info("querk:   backfill holds off {}: {}", ms(p.pause()), p.reason());
            }
        } else if (e instanceof BackfillVacuumed v) {
            LOG.info("querk:   vacuumed the table in {} alongside the batches: {}", ms(v.took()), v.reason());
        } else if (e instanceof BackfillResized r) {
            LOG.debug("querk:   batch size {} -> {}: {}", r.from(), r.to(), r.reason());
        } else if (e instanceof MigrationAborted a) {
            LOG.warn("querk: {} aborted: {}", a.migrationId(), a.undone().isEmpty() ? "nothing to undo"
                    : String.join(", ", a.undone()));
        } else if (e instanceof RunFinished r) {
            LOG.info("querk: run finished in {}: {} step(s) applied", ms(r.report().took()), r.report().applied().size());
        }
    }

    private static String blockers(List<Blocker> blockers) {
        return blockers.isEmpty() ? "nobody visible" : blockers.stream().map(Blocker::describe).collect(Collectors.joining("; "));
    }

    /** @return a duration for people: "340 ms", "2.4 s", "3 min 20 s" */
    public static String ms(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return (ms / 60_000) + " min " + (ms % 60_000) / 1000 + " s";
    }

    private static String oneLine(String sql) {
        String s = sql.replaceAll("\\s+", " ");
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }
}
