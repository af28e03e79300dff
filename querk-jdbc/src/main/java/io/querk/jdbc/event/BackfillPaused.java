package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;

/**
 * A backfill held off because the database is under stress (or it was asked to pause).
 *
 * @param reason  why, e.g. "dead tuples 23% of shipments, above the 20% limit"
 * @param pause   how long it waits before looking again
 * @param cause   which throttle held it, for tools that count pauses by kind (metrics, alerts)
 *                without parsing the reason
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record BackfillPaused(Instant at, StepRef step, String reason, Duration pause, Cause cause)
        implements QuerkEvent {

    /** What held a backfill off. */
    public enum Cause {
        /** {@code MigrationHandle.pause()} was called; it goes on at {@code resume()}. */
        REQUESTED,
        /** Another session (autovacuum, say) is vacuuming the table. */
        VACUUM_RUNNING,
        /** Dead row versions above {@code maxDeadTupleRatio}, and the backfill may not vacuum itself. */
        DEAD_TUPLES,
        /** A standby is further behind than {@code maxReplicationLagBytes}. */
        REPLICATION_LAG
    }
}
