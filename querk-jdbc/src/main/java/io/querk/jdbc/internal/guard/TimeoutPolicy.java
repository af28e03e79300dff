package io.querk.jdbc.internal.guard;

import io.querk.internal.render.Action;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.retry.RetryPolicy;

import java.time.Duration;
import java.util.Random;

/**
 * The one answer to "which lock timeout and statement timeout for this attempt of this kind of
 * statement", asked by the guard, the retrier, the backfill engine and the vacuumer alike, so
 * that the rule the application's stall depends on lives in one place:
 *
 * <ul>
 *   <li>a statement whose locks block the application (a strong table lock, a backfill batch's row
 *       locks) waits at most the configured lock timeout, grown per attempt only if the retry policy
 *       opts in to escalation, and may run at most the statement timeout;</li>
 *   <li>a statement that blocks nothing the application does ({@code CONCURRENTLY}, {@code VALIDATE},
 *       {@code VACUUM}) may wait the long lock timeout and runs without a statement timeout, since
 *       cutting it short wastes its work and spares no one.</li>
 * </ul>
 */
public final class TimeoutPolicy {

    /** What a statement's locks do to the application while they are waited for or held. */
    public enum Kind {
        /** A strong table lock or a batch's row locks: every wait is the application's stall. */
        BLOCKS_APPLICATION,
        /** Only locks that leave reads and writes alone. */
        BLOCKS_NOTHING
    }

    /**
     * The timeouts of one attempt.
     *
     * @param lock      {@code lock_timeout}
     * @param statement {@code statement_timeout}; zero for none
     */
    public record Timeouts(Duration lock, Duration statement) {
    }

    private final Duration lockTimeout;
    private final Duration statementTimeout;
    private final Duration longLockTimeout;
    private final RetryPolicy retry;

    /** Made from the engine's configuration. */
    public TimeoutPolicy(QuerkConfig config) {
        this(config.lockTimeout(), config.statementTimeout(), config.longLockTimeout(), config.retryPolicy());
    }

    TimeoutPolicy(Duration lockTimeout, Duration statementTimeout, Duration longLockTimeout, RetryPolicy retry) {
        this.lockTimeout = lockTimeout;
        this.statementTimeout = statementTimeout;
        this.longLockTimeout = longLockTimeout;
        this.retry = retry;
    }

    /** @return the kind of an action's statements, from the locks it takes */
    public static Kind kindOf(Action action) {
        return action.longRunningWeakLock() ? Kind.BLOCKS_NOTHING : Kind.BLOCKS_APPLICATION;
    }

    /**
     * @param kind    what the statement's locks do to the application
     * @param attempt 1 for the first attempt
     * @return its timeouts
     */
    public Timeouts forAttempt(Kind kind, int attempt) {
        return kind == Kind.BLOCKS_NOTHING
                ? new Timeouts(longLockTimeout, Duration.ZERO)
                : new Timeouts(retry.lockTimeoutFor(attempt, lockTimeout), statementTimeout);
    }

    /**
     * @param failedAttempt the attempt that failed, from 1
     * @param waited        the lock timeout it waited: the application gets at least as long again
     * @return the sleep before the next attempt
     */
    public Duration backoffAfter(int failedAttempt, Duration waited, Random random) {
        return retry.backoffAfter(failedAttempt, waited, random);
    }

    /** @return the retry budget */
    public RetryPolicy retry() {
        return retry;
    }
}
