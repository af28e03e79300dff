package io.querk.jdbc.internal.run;

import io.querk.jdbc.MigrationHandle;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.event.BackfillProgress;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The engine's side of a {@link MigrationHandle}: its control, its state and its outcome. */
public final class BackgroundRun {

    private final RunControl control = new RunControl();
    private final CompletableFuture<MigrationReport> completion = new CompletableFuture<>();
    private volatile MigrationHandle.State state = MigrationHandle.State.RUNNING;
    private volatile BackfillProgress progress;

    /** @return the pause/resume/cancel requests */
    public RunControl control() {
        return control;
    }

    /** @return the state, PAUSED while a pause is requested and the run not yet ended */
    public MigrationHandle.State state() {
        MigrationHandle.State s = state;
        return s == MigrationHandle.State.RUNNING && control.paused() ? MigrationHandle.State.PAUSED : s;
    }

    /** @return the latest backfill progress seen */
    public Optional<BackfillProgress> progress() {
        return Optional.ofNullable(progress);
    }

    /** @return the outcome */
    public CompletableFuture<MigrationReport> completion() {
        return completion;
    }

    void progress(BackfillProgress p) {
        this.progress = p;
    }

    void end(MigrationReport report, MigrationHandle.State end) {
        state = end;
        completion.complete(report);
    }

    void fail(Throwable t) {
        state = MigrationHandle.State.FAILED;
        completion.completeExceptionally(t);
    }
}
