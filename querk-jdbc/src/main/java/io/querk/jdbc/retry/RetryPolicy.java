package io.querk.jdbc.retry;

import io.querk.jdbc.QuerkConfigException;

import java.time.Duration;
import java.util.Random;

/**
 * What the engine does when a statement cannot get its lock in time (SQLSTATE 55P03,
 * {@code lock_not_available}) or is chosen as a deadlock victim (40P01): roll back, wait with
 * exponential backoff and full jitter, and try again with a lock timeout that may grow, until
 * a budget of attempts or of total time is spent. Then the step fails with a
 * {@link io.querk.jdbc.LockTimeoutException} naming the blockers; it never falls back to an
 * unbounded wait.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.custom()
 *         .maxAttempts(20)
 *         .maxDuration(Duration.ofMinutes(5))
 *         .initialBackoff(Duration.ofMillis(500))
 *         .lockTimeoutGrowth(1.5, Duration.ofSeconds(1))
 *         .build();
 * }</pre>
 *
 * <p>Full jitter: before attempt {@code n+1} the engine sleeps a uniformly random time in
 * {@code [0, min(maxBackoff, initialBackoff * 2^(n-1))]}, so that several waiting runners or a
 * runner and a retrying application do not fall into step.
 *
 * <p>The lock timeout of attempt {@code n} is {@code min(maxLockTimeout, lockTimeout * growth^(n-1))}:
 * the application's worst stall is therefore bounded by {@link #maxLockTimeout()}.
 */
public final class RetryPolicy {

    /** Attempts per step before giving up: {@value}. */
    public static final int DEFAULT_MAX_ATTEMPTS = 12;
    /** Total time per step before giving up: 3 minutes. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(3);
    /** Backoff ceiling of the first retry: 250 ms. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(250);
    /** Backoff ceiling of any retry: 15 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(15);
    /** Growth of the lock timeout per attempt: {@value}. */
    public static final double DEFAULT_LOCK_TIMEOUT_GROWTH = 1.5;
    /**
     * The lock timeout never grows past this unless {@link Builder#lockTimeoutGrowth} says otherwise:
     * 1 s, the longest stall we think a typical web request absorbs without a visible error.
     */
    public static final Duration DEFAULT_MAX_LOCK_TIMEOUT = Duration.ofSeconds(1);

    private static final RetryPolicy DEFAULTS = custom().build();

    private final int maxAttempts;
    private final Duration maxDuration;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double lockTimeoutGrowth;
    private final Duration maxLockTimeout;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.maxDuration = b.maxDuration;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.lockTimeoutGrowth = b.lockTimeoutGrowth;
        this.maxLockTimeout = b.maxLockTimeout;
    }

    /** @return the default policy (see the {@code DEFAULT_} constants) */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a policy that tries once and fails at the first lock timeout */
    public static RetryPolicy noRetry() {
        return custom().maxAttempts(1).lockTimeoutGrowth(1.0, DEFAULT_MAX_LOCK_TIMEOUT).build();
    }

    /** @return a builder starting from the defaults */
    public static Builder custom() {
        return new Builder();
    }

    /** @return a builder starting from this policy */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxAttempts = maxAttempts;
        b.maxDuration = maxDuration;
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.lockTimeoutGrowth = lockTimeoutGrowth;
        b.maxLockTimeout = maxLockTimeout;
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

    /** @return the backoff ceiling of the first retry */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the backoff ceiling of any retry */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return the factor the lock timeout grows by per attempt (1.0: constant) */
    public double lockTimeoutGrowth() {
        return lockTimeoutGrowth;
    }

    /** @return the largest lock timeout growth may reach */
    public Duration maxLockTimeout() {
        return maxLockTimeout;
    }

    /**
     * @param attempt   1 for the first attempt
     * @param base      the configured lock timeout
     * @return the lock timeout for that attempt
     */
    public Duration lockTimeoutFor(int attempt, Duration base) {
        double ms = base.toMillis() * Math.pow(lockTimeoutGrowth, attempt - 1);
        long capped = (long) Math.min(ms, Math.max(base.toMillis(), maxLockTimeout.toMillis()));
        return Duration.ofMillis(capped);
    }

    /**
     * @param attempt the attempt that just failed, from 1
     * @param random  the source of jitter
     * @return how long to sleep before the next attempt
     */
    public Duration backoffAfter(int attempt, Random random) {
        double ceiling = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() * Math.pow(2, attempt - 1));
        return Duration.ofMillis((long) (random.nextDouble() * ceiling));
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", maxDuration=" + maxDuration + ", initialBackoff="
                + initialBackoff + ", maxBackoff=" + maxBackoff + ", lockTimeoutGrowth=" + lockTimeoutGrowth
                + ", maxLockTimeout=" + maxLockTimeout + "]";
    }

    /** Builds a {@link RetryPolicy}; every setter checks its argument at once. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration maxDuration = DEFAULT_MAX_DURATION;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private double lockTimeoutGrowth = DEFAULT_LOCK_TIMEOUT_GROWTH;
        private Duration maxLockTimeout = DEFAULT_MAX_LOCK_TIMEOUT;

        private Builder() {
        }

        /**
         * Attempts per step, the first included.
         *
         * @param attempts at least 1; 1 means no retry
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new QuerkConfigException("maxAttempts must be at least 1, got " + attempts + ".");
            }
            this.maxAttempts = attempts;
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
            this.maxDuration = positive("maxDuration", d);
            return this;
        }

        /**
         * Backoff ceiling of the first retry; it doubles per attempt up to {@link #maxBackoff(Duration)}.
         *
         * @param d positive, at most the maximum backoff
         * @return this builder
         */
        public Builder initialBackoff(Duration d) {
            this.initialBackoff = positive("initialBackoff", d);
            return this;
        }

        /**
         * Backoff ceiling of any retry.
         *
         * @param d positive, at least the initial backoff
         * @return this builder
         */
        public Builder maxBackoff(Duration d) {
            this.maxBackoff = positive("maxBackoff", d);
            return this;
        }

        /**
         * Lets the lock timeout grow by {@code factor} per attempt, up to {@code max}.
         *
         * @param factor 1.0 or more; 1.0 keeps it constant
         * @param max    the ceiling, positive
         * @return this builder
         */
        public Builder lockTimeoutGrowth(double factor, Duration max) {
            if (!(factor >= 1.0) || Double.isInfinite(factor)) {
                throw new QuerkConfigException("lockTimeoutGrowth must be 1.0 or more, got " + factor + ".");
            }
            this.lockTimeoutGrowth = factor;
            this.maxLockTimeout = positive("maxLockTimeout", max);
            return this;
        }

        /**
         * Checks the settings against each other; each setter already checked its own.
         *
         * @return the policy
         * @throws QuerkConfigException if the initial backoff is above the maximum backoff
         */
        public RetryPolicy build() {
            if (initialBackoff.compareTo(maxBackoff) > 0) {
                throw new QuerkConfigException("initialBackoff (" + initialBackoff + ") is above maxBackoff ("
                        + maxBackoff + ").");
            }
            return new RetryPolicy(this);
        }

        private static Duration positive(String what, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new QuerkConfigException(what + " must be a positive duration, got " + d + ".");
            }
            return d;
        }
    }
}
