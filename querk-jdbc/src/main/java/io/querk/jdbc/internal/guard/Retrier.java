package io.querk.jdbc.internal.guard;

import io.querk.QuerkException;
import io.querk.jdbc.LockTimeoutException;
import io.querk.jdbc.event.StepRetrying;
import io.querk.jdbc.internal.event.EventBus;
import io.querk.migration.StepRef;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * Runs an attempt until it succeeds or the retry budget is spent, sleeping between attempts
 * as the {@link TimeoutPolicy} says (a gap for the application, then jitter). Never waits
 * without bound.
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
         * @param attempt from 1; the attempt's timeouts come from the policy for this number
         */
        T run(int attempt) throws RetryableFailure, SQLException;
    }

    /**
     * The result of a successful attempt.
     *
     * @param value    what the attempt returned
     * @param attempts how many attempts it took
     */
    public record Result<T>(T value, int attempts) {
    }

    private final TimeoutPolicy timeouts;
    private final EventBus events;
    private final Random random;
    private final Sleeper sleeper;

    /** @param random the jitter source */
    public Retrier(TimeoutPolicy timeouts, EventBus events, Random random, Sleeper sleeper) {
        this.timeouts = timeouts;
        this.events = events;
        this.random = random;
        this.sleeper = sleeper;
    }

    /** @return a retrier that really sleeps */
    public static Retrier sleeping(TimeoutPolicy timeouts, EventBus events) {
        return new Retrier(timeouts, events, new Random(), d -> Thread.sleep(d.toMillis()));
    }

    /** @return the policy the attempts take their timeouts from */
    public TimeoutPolicy timeouts() {
        return timeouts;
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
            try {
                return new Result<>(attempt.run(n), n);
            } catch (RetryableFailure f) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                Duration backoff = timeouts.backoffAfter(n, f.lockTimeout(), random);
                if (n >= timeouts.retry().maxAttempts()
                        || elapsed.plus(backoff).compareTo(timeouts.retry().maxDuration()) >= 0) {
                    throw new LockTimeoutException(step, f.sql(), f.blockers(), n, elapsed, f.getCause());
                }
                events.publish(new StepRetrying(Instant.now(), step, n, f.sqlState(), f.blockers(), backoff,
                        timeouts.forAttempt(TimeoutPolicy.Kind.BLOCKS_APPLICATION, n + 1).lock()));
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
