package io.querk.jdbc;

import io.querk.Api;
import io.querk.QuerkException;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.jdbc.internal.run.BackgroundRun;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A migration running in the background of a booted application: watch it, pause it, resume it,
 * cancel it. Made by {@link Querk#migrateInBackground()}.
 *
 * <pre>{@code
 * MigrationHandle handle = querk.migrateInBackground();   // expand done when this returns
 * server.start();
 * ...
 * handle.progress().ifPresent(p -> log.info("backfill {}% done", Math.round(p.fractionDone() * 100)));
 * handle.pause();     // a traffic peak: batches stop at the next boundary
 * handle.resume();
 * handle.cancel();    // shutting down: the cursor is saved, the next start resumes
 * }</pre>
 *
 * <p>Pause and cancel act at safe points only: between steps and between backfill batches,
 * never inside a statement.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public final class MigrationHandle {

    /** Where a background migration stands. */
    public enum State {
        /** Working. */
        RUNNING,
        /** Paused on request, between batches or steps. */
        PAUSED,
        /** Everything it had to do is done. */
        SUCCEEDED,
        /** A step failed; {@link #await(Duration)} throws its error. */
        FAILED,
        /** Cancelled on request; the next run resumes where it stopped. */
        CANCELLED,
        /**
         * Another instance holds the runner lock and is doing the pending backfills; this one had
         * nothing to do before the application starts.
         */
        RUNNING_ELSEWHERE
    }

    private final BackgroundRun run;

    MigrationHandle(BackgroundRun run) {
        this.run = run;
    }

    /** @return the current state */
    public State state() {
        return run.state();
    }

    /** @return the latest progress of the backfill running now or last, if any ran */
    public Optional<BackfillProgress> progress() {
        return run.progress();
    }

    /** Pauses at the next safe point. */
    public void pause() {
        run.control().pause();
    }

    /** Lets a paused migration go on. */
    public void resume() {
        run.control().resume();
    }

    /** Stops at the next safe point; the history keeps the cursor, and the next run resumes from it. */
    public void cancel() {
        run.control().cancel();
    }

    /** @return a future completed with the report, or exceptionally with the failure */
    public CompletableFuture<MigrationReport> completion() {
        return run.completion();
    }

    /**
     * Waits for the end.
     *
     * @param timeout how long to wait at most; the run goes on if this gives up
     * @return the report (of a cancelled run too: {@link MigrationReport#cancelled()})
     * @throws TimeoutException     if it is still running after {@code timeout}
     * @throws InterruptedException if this thread is interrupted while waiting; the run goes on
     * @throws QuerkException       the failure, if it failed
     */
    public MigrationReport await(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return run.completion().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QuerkException q) {
                throw q;
            }
            throw new QuerkException("Background migration failed: " + e.getCause(), null, null, null, e.getCause());
        }
    }
}
