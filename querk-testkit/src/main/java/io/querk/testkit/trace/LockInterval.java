package io.querk.testkit.trace;

import io.querk.plan.LockMode;

import java.time.Duration;
import java.time.Instant;

/**
 * A table lock a traced session held, or waited for, over an interval of time.
 *
 * <p>Start and end are estimated from samples: the lock was first seen at one sample and last at
 * another, so each end is placed half a sampling interval outside them. The error of a duration
 * is at most about one sampling interval plus the time a sample takes (see {@link LockTracer}).
 *
 * @param pid         the server process
 * @param application its {@code application_name} (for Querk sessions: {@code querk/<phase>#<step>/<migration>})
 * @param relation    the table, schema-qualified as SQL names it, e.g. {@code public.shipments}
 * @param mode        the lock mode
 * @param granted     true if held; false if waited for (which blocks everyone queued behind it too)
 * @param start       estimated start
 * @param end         estimated end
 * @param query       what the session was running when the lock was first seen
 */
public record LockInterval(int pid, String application, String relation, LockMode mode, boolean granted,
                           Instant start, Instant end, String query) {

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
}
