package io.querk.jdbc.internal.run;

/**
 * Pause, resume and cancel requests for a running migration, checked at safe points only:
 * between steps and between backfill batches, never inside a statement.
 */
public final class RunControl {

    private boolean paused;
    private volatile boolean cancelled;

    /** A control nobody pauses or cancels: for synchronous runs. */
    public static RunControl none() {
        return new RunControl();
    }

    /** Asks the run to stop at its next safe point. */
    public synchronized void pause() {
        paused = true;
    }

    /** Lets a paused run go on. */
    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    /** Asks the run to stop for good at its next safe point; a later run resumes from there. */
    public synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    /** @return true once cancel was asked */
    public boolean cancelled() {
        return cancelled;
    }

    /** @return true while paused */
    public synchronized boolean paused() {
        return paused;
    }

    /**
     * Blocks while paused.
     *
     * @return true if the run may go on, false if it was cancelled
     */
    public synchronized boolean awaitGo() throws InterruptedException {
        while (paused && !cancelled) {
            wait();
        }
        return !cancelled;
    }
}
