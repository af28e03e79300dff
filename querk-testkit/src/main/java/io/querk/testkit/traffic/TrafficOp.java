package io.querk.testkit.traffic;

import java.time.Duration;
import java.time.Instant;

/**
 * One simulated application operation and how long it took.
 *
 * @param workload the workload it belongs to, e.g. "reads of shipments"
 * @param kind     read or write
 * @param start    when it was sent
 * @param latency  how long until its answer
 * @param error    the error it got, or null
 */
public record TrafficOp(String workload, Kind kind, Instant start, Duration latency, String error) {

    /** What an operation does. */
    public enum Kind {
        /** A SELECT. */
        READ,
        /** An INSERT, UPDATE or DELETE. */
        WRITE
    }

    /** @return when its answer came */
    public Instant end() {
        return start.plus(latency);
    }
}
