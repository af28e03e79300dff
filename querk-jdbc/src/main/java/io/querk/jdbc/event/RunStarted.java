package io.querk.jdbc.event;

import io.querk.Api;
import java.time.Instant;
import java.util.List;

/**
 * A run with pending work began (after the runner lock was taken).
 *
 * @param pending the phases to run, as "migration-id phase"
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record RunStarted(Instant at, List<String> pending) implements QuerkEvent {
    /**
     * Copies {@code pending}: an event does not change once published.
     *
     * @param at      when the run began
     * @param pending the phases to run, as "migration-id phase"
     */
    public RunStarted {
        pending = List.copyOf(pending);
    }
}
