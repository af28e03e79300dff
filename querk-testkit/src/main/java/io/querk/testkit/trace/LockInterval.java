package io.querk.testkit.trace;

import io.querk.Api;
import io.querk.plan.LockMode;

import java.time.Duration;
import java.time.Instant;

/**
 * A table lock a traced session held, or waited for, over an interval of time.
 *
 * <p>A {@link Source#SAMPLED sampled} interval's start and end are estimated from samples: the
 * lock was first seen at one sample and last at another, so each end is placed midway to the
 * neighbouring sample. Its error is at most about one sampling interval plus the time a sample
 * takes (see {@link LockTracer}). A {@link Source#CAPTURED captured} interval comes from the
 * engine itself: the lock was read inside the statement's own transaction, so it is certain,
 * however short; it spans from the transaction's first statement to its commit, the longest the
 * lock can have been waited for or held.
 *
 * @param pid         the server process
 * @param leaderPid   for a parallel worker, its leader's process; otherwise 0
 * @param application its {@code application_name} (a worker's: its leader's). For Querk sessions:
 *                    {@code querk/<phase>#<step>/<run token>/<migration>}
 * @param relation    the table, schema-qualified as SQL names it, e.g. {@code public.shipments}
 * @param mode        the lock mode
 * @param granted     true if held; false if waited for (which blocks everyone queued behind it too).
 *                    A captured interval is granted: its statement got the lock
 * @param start       estimated start
 * @param end         estimated end
 * @param query       what the session was running when the lock was first seen
 * @param source      sampled from outside, or captured by the engine inside the transaction
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record LockInterval(int pid, int leaderPid, String application, String relation, LockMode mode, boolean granted,
                           Instant start, Instant end, String query, Source source) {

    /** Where an interval comes from. */
    public enum Source {
        /** Seen by the tracer's samples of {@code pg_locks}. */
        SAMPLED,
        /** Read by the engine inside the statement's transaction ({@code LocksHeld}). */
        CAPTURED
    }

    /** @return how long it lasted */
    public Duration duration() {
        return Duration.between(start, end);
    }

    /** @return true if reads of the relation had to wait meanwhile (held or queued ACCESS EXCLUSIVE) */
    public boolean blocksReads() {
        return mode.blocksReads();
    }

    /** @return true if writes to the relation had to wait meanwhile */
    public boolean blocksWrites() {
        return mode.blocksWrites();
    }

    /** @return "held" or "waited for" */
    public String state() {
        return granted ? "held" : "waited for";
    }

    /** @return the session whose step this is: the leader for a parallel worker, else the session itself */
    public int sessionPid() {
        return leaderPid != 0 ? leaderPid : pid;
    }
}
