package io.querk.jdbc.internal.guard;

import io.querk.QuerkException;
import io.querk.jdbc.LockTimeoutException;
import io.querk.migration.StepRef;
import io.querk.jdbc.event.StepRetrying;
import io.querk.jdbc.internal.run.EventBus;
import io.querk.jdbc.retry.RetryPolicy;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * Runs an attempt until it succeeds or the {@link RetryPolicy}'s budget is spent, sleeping
 * with full jitter in between and growing the lock timeout. Never waits without bound.
 */
public final class Retrier {

    /** How to sleep; tests replace it to run the loop without waiting. */
    @FunctionalInterface
    public interface Sleeper {
        /** Sleeps. */
        void sleep(Duration d) throws InterruptedException;
    }

    /** One attempt. */
    @FunctionalInterface
    public interface Attempt<T> {
        /**
         * @param attempt     from 1
         * @param lockTimeout the lock timeout for this attempt
         */
        T run(int attempt, Duration lockTimeout) throws RetryableFailure, SQLException;
    }

    /**
     * The result of a successful attempt.
     *
     * @param value    what the attempt returned
     * @param attempts how many attempts it took
     */
    public record Result<T>(T value, int attempts) {
    }

    private final RetryPolicy policy;
    private final Duration baseLockTimeout;
    private final EventBus events;
    private final Random random;
    private final Sleeper sleeper;

    /** @param random the jitter source */
    public Retrier(RetryPolicy policy, Duration baseLockTimeout, EventBus events, Random random, Sleeper sleeper) {
        this.policy = policy;
        this.baseLockTimeout = baseLockTimeout;
        this.events = events;
        this.random = random;
        this.sleeper = sleeper;
    }

    /** @return a retrier that really sleeps */
    public static Retrier sleeping(RetryPolicy policy, Duration baseLockTimeout, EventBus events) {
        return new Retrier(policy, baseLockTimeout, events, new Random(), d -> Thread.sleep(d.toMillis()));
    }

    /** @return the lock timeout of the first attempt */
    public Duration baseLockTimeout() {
        return baseLockTimeout;
    }

    /**
     * Runs the attempt until it succeeds.
     *
     * @throws LockTimeoutException when the budget is spent
     * @throws SQLException         when an attempt fails in a way retrying cannot fix
     */
    public <T> Result<T> run(StepRef step, Attempt<T> attempt) throws SQLException {
        long start = System.nanoTime();
        for (int n = 1; ; n++) {
            Duration lockTimeout = policy.lockTimeoutFor(n, baseLockTimeout);
            try {
                return new Result<>(attempt.run(n, lockTimeout), n);
            } catch (RetryableFailure f) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                Duration backoff = policy.backoffAfter(n, random);
                if (n >= policy.maxAttempts() || elapsed.plus(backoff).compareTo(policy.maxDuration()) >= 0) {
                    throw new LockTimeoutException(step, f.sql(), f.blockers(), n, elapsed, f.getCause());
                }
                events.publish(new StepRetrying(Instant.now(), step, n, f.sqlState(), f.blockers(), backoff,
                        policy.lockTimeoutFor(n + 1, baseLockTimeout)));
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new QuerkException("Interrupted while waiting to retry " + step + "; run again to resume.",
                            null, step, f.sql(), e);
                }
            }
        }
    }
}
