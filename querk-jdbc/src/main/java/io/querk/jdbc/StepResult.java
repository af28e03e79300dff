package io.querk.jdbc;

import io.querk.Api;
import io.querk.migration.StepRef;
import java.time.Duration;

/**
 * What a run did with one step.
 *
 * @param step     the step
 * @param outcome  applied now, or found applied by an earlier run
 * @param attempts attempts this run made (0 if it made none)
 * @param took     time this run spent on it
 * @param rows     rows a backfill updated in this run (0 for other steps)
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepResult(StepRef step, Outcome outcome, int attempts, Duration took, long rows) {

    /** What happened to a step. */
    public enum Outcome {
        /** This run applied it (or finished applying it). */
        APPLIED,
        /** An earlier run had applied it; nothing was done. */
        ALREADY_APPLIED
    }
}
