package io.querk.jdbc.event;

import io.querk.Api;
import java.time.Instant;

/**
 * Something the engine did. Every event is an immutable record; listeners tell them apart with
 * {@code instanceof} patterns.
 *
 * <pre>{@code
 * QuerkConfig.custom()
 *     .listener(event -> {
 *         if (event instanceof StepRetrying r) {
 *             metrics.counter("querk.retries").increment();
 *         } else if (event instanceof BackfillProgress p) {
 *             progressGauge.set(p.fractionDone());
 *         }
 *     })
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public sealed interface QuerkEvent permits RunStarted, RunFinished, PhaseStarted, PhaseFinished, StepStarted,
        StepSkipped, ActionSkipped, StatementStarted, StatementFinished, LockWaiting, StepRetrying, StepFinished,
        StepFailed, LocksHeld, BackfillProgress, BackfillPaused, BackfillResized, BackfillVacuumed,
        MigrationAborted {

    /** @return when it happened */
    Instant at();
}
