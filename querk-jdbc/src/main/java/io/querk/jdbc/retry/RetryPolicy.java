package io.querk.jdbc.retry;

import io.querk.Api;
import io.querk.internal.check.Checks;
import io.querk.jdbc.QuerkConfigException;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;

/**
 * What the engine does when a statement cannot get its lock in time (SQLSTATE 55P03,
 * {@code lock_not_available}) or is chosen as a deadlock victim (40P01): roll back, leave the
 * application a gap, and try again, until a budget of attempts or of total time is spent. Then
 * the step fails with a {@link io.querk.jdbc.LockTimeoutException} naming the blockers; it never
 * falls back to an unbounded wait.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.custom()
 *         .maxAttempts(20)
 *         .maxDuration(Duration.ofMinutes(5))
 *         .initialBackoff(Duration.ofMillis(500))
 *         .build();
 * }</pre>
 *
 * <p><b>The gap.</b> While an attempt waits for its lock, every later query on the table queues
 * behind it: the attempt's lock timeout is the application's stall. So the engine waits at least
 * that long again before the next attempt, and then a random time with full jitter in
 * {@code [0, min(maxBackoff, initialBackoff * 2^(n-1)))} more, so that several waiting runners,
 * or a runner and a retrying application, do not fall into step. Two waits therefore never merge
 * into one longer stall.
 *
 * <p><b>Escalation.</b> By default every attempt waits the configured lock timeout and no longer:
 * the stall the application sees is exactly the one asked for. On a table so busy that a short
 * wait never finds a gap, {@link Builder#escalateLockTimeout(double, Duration)} lets the lock
 * timeout grow by a factor per attempt up to a ceiling of its own; the worst stall is then that
 * ceiling.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class RetryPolicy {

    /** Attempts per step before giving up: {@value}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 12;
    /** Total time per step before giving up: 3 minutes. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(3);
    /** Jitter ceiling of the first retry, on top of the gap: 250 ms. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
    /** Jitter ceiling of any retry, on top of the gap: 15 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(15);

    private static final Checks CHECK = Checks.raising(QuerkConfigException::new);
    private static final RetryPolicy DEFAULTS = custom().build();

    private final int maxAttempts;
    private final Duration maxDuration;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double escalationFactor;
    private final Duration escalationCeiling;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.maxDuration = b.maxDuration;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.escalationFactor = b.escalationFactor;
        this.escalationCeiling = b.escalationCeiling;
    }

    /** @return the default policy (see the {@code DEFAULT_} constants); no escalation */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a policy that tries once and fails at the first lock timeout */
    public static RetryPolicy noRetry() {
        return custom().maxAttempts(1).build();
    }

    /** @return a builder starting from the defaults */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * @param base the policy to start from
     * @return a builder starting from {@code base}'s settings
     */
    public static Builder from(RetryPolicy base) {
        Builder b = new Builder();
        b.maxAttempts = base.maxAttempts;
        b.maxDuration = base.maxDuration;
        b.initialBackoff = base.initialBackoff;
        b.maxBackoff = base.maxBackoff;
        b.escalationFactor = base.escalationFactor;
        b.escalationCeiling = base.escalationCeiling;
        return b;
    }

    /** @return attempts per step, the first included */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return total time per step */
    public Duration maxDuration() {
        return maxDuration;
    }

    /** @return the jitter ceiling of the first retry */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the jitter ceiling of any retry */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return the factor the lock timeout grows by per attempt; 1.0 (the default) keeps it constant */
    public double lockTimeoutGrowth() {
        return escalationFactor;
    }

    /** @return the ceiling an escalating lock timeout may reach; empty without escalation */
    public Optional<Duration> maxLockTimeout() {
        return Optional.ofNullable(escalationCeiling);
    }

    /**
     * @param attempt 1 for the first attempt
     * @param base    the configured lock timeout
     * @return the lock timeout for that attempt: {@code base}, or with escalation
     *         {@code min(ceiling, base * factor^(attempt-1))}
     */
    public Duration lockTimeoutFor(int attempt, Duration base) {
        if (escalationCeiling == null) {
            return base;
        }
        double ms = base.toMillis() * Math.pow(escalationFactor, attempt - 1);
        return Duration.ofMillis((long) Math.min(ms, Math.max(base.toMillis(), escalationCeiling.toMillis())));
    }

    /**
     * @param attempt       the attempt that just failed, from 1
     * @param failedTimeout the lock timeout that attempt waited: the gap left to the application
     * @param random        the source of jitter
     * @return how long to sleep before the next attempt
     */
    public Duration backoffAfter(int attempt, Duration failedTimeout, Random random) {
        double ceiling = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() * Math.pow(2, attempt - 1));
        return failedTimeout.plusMillis((long) (random.nextDouble() * ceiling));
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", maxDuration=" + maxDuration + ", initialBackoff="
                + initialBackoff + ", maxBackoff=" + maxBackoff
                + (escalationCeiling == null ? ", no escalation"
                : ", lock timeout grows x" + escalationFactor + " up to " + escalationCeiling) + "]";
    }

    /** Builds a {@link RetryPolicy}; every setter checks its argument at once. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration maxDuration = DEFAULT_MAX_DURATION;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private double escalationFactor = 1.0;
        private Duration escalationCeiling;

        private Builder() {
        }

        /**
         * Attempts per step, the first included.
         *
         * @param attempts at least 1; 1 means no retry
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = CHECK.positive("maxAttempts", attempts);
            return this;
        }

        /**
         * Total time a step may spend retrying, so that a long queue of attempts cannot outlive a
         * deploy window.
         *
         * @param d positive
         * @return this builder
         */
        public Builder maxDuration(Duration d) {
            this.maxDuration = CHECK.positive("maxDuration", d);
            return this;
        }

        /**
         * Jitter ceiling of the first retry, on top of the gap; it doubles per attempt up to
         * {@link #maxBackoff(Duration)}.
         *
         * @param d positive, at most the maximum backoff
         * @return this builder
         */
        public Builder initialBackoff(Duration d) {
            this.initialBackoff = CHECK.positive("initialBackoff", d);
            return this;
        }

        /**
         * Jitter ceiling of any retry, on top of the gap.
         *
         * @param d positive, at least the initial backoff
         * @return this builder
         */
        public Builder maxBackoff(Duration d) {
            this.maxBackoff = CHECK.positive("maxBackoff", d);
            return this;
        }

        /**
         * Opts in to a lock timeout that grows by {@code factor} per attempt, up to {@code max}: for a
         * table so busy that the configured wait never finds a gap. The application's worst stall
         * becomes {@code max}; the engine's configuration refuses a {@code max} below its lock timeout.
         *
         * @param factor above 1.0
         * @param max    the ceiling, positive
         * @return this builder
         */
        public Builder escalateLockTimeout(double factor, Duration max) {
            CHECK.require(factor > 1.0 && !Double.isInfinite(factor), "escalateLockTimeout's factor must be above"
                    + " 1.0, got " + factor + "; leave escalation off for a constant lock timeout.");
            this.escalationFactor = factor;
            this.escalationCeiling = CHECK.positive("escalateLockTimeout's max", max);
            return this;
        }

        /**
         * Checks the settings against each other; each setter already checked its own.
         *
         * @return the policy
         * @throws QuerkConfigException if the initial backoff is above the maximum backoff
         */
        public RetryPolicy build() {
            CHECK.require(initialBackoff.compareTo(maxBackoff) <= 0, "initialBackoff (" + initialBackoff
                    + ") is above maxBackoff (" + maxBackoff + "); raise maxBackoff or lower initialBackoff.");
            return new RetryPolicy(this);
        }
    }
}
