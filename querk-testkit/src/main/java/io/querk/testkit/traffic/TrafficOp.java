package io.querk.testkit.traffic;

import io.querk.Api;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One simulated application request and how long it took.
 *
 * @param workload  the workload it belongs to, e.g. "reads of public.shipments"
 * @param operation the operation, e.g. "lookup"
 * @param kind      read or write
 * @param tables    the tables it touches, schema-qualified
 * @param start     when it was due: for an open-loop workload the moment its rate scheduled it
 *                  (so time spent queued behind a stall counts), for a closed-loop client the
 *                  moment it was sent
 * @param end       when its answer came
 * @param error     the error it got ({@code SQLSTATE message}), or null
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record TrafficOp(String workload, String operation, Kind kind, List<String> tables, Instant start, Instant end,
                        String error) {

    /**
     * Copies {@code tables}.
     *
     * @param workload  the workload
     * @param operation the operation
     * @param kind      read or write
     * @param tables    the tables it touches
     * @param start     when it was due
     * @param end       when its answer came
     * @param error     the error, or null
     */
    public TrafficOp {
        tables = List.copyOf(tables);
    }

    /** What an operation does. */
    public enum Kind {
        /** A SELECT. */
        READ,
        /** An INSERT, UPDATE or DELETE. */
        WRITE,
        /** A participant's transaction (see {@link SessionRun}); never an operation's kind. */
        TRANSACTION
    }

    /** @return how long until its answer */
    public Duration latency() {
        return Duration.between(start, end);
    }

    /**
     * @param table a table, schema-qualified as SQL names it
     * @return true if this operation touches it
     */
    public boolean touches(String table) {
        return tables.contains(table);
    }
}
