package io.querk.jdbc.event;

import java.time.Instant;

/**
 * Something the engine did. Every event is an immutable record; listeners tell them apart with
 * {@code instanceof} patterns.
 *
 * <pre>{@code
 * Querk.builder()
 *     .listener(event -> {
 *         if (event instanceof StepRetrying r) {
 *             metrics.counter("querk.retries").increment();
 *         } else if (event instanceof BackfillProgress p) {
 *             progressGauge.set(p.fractionDone());
 *         }
 *     })
 * }</pre>
 */
public sealed interface QuerkEvent permits RunStarted, RunFinished, PhaseStarted, PhaseFinished, StepStarted,
        StepSkipped, ActionSkipped, StatementStarted, StatementFinished, LockWaiting, StepRetrying, StepFinished,
        StepFailed, LocksHeld, BackfillProgress, BackfillPaused, BackfillResized, BackfillVacuumed {

    /** @return when it happened */
    Instant at();
}
