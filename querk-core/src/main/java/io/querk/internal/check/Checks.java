package io.querk.internal.check;

import io.querk.QuerkException;

import java.time.Duration;
import java.util.function.Function;

/**
 * Argument checks for every builder, so that the same mistake reads the same wherever it is
 * made: "lockTimeout must be a positive duration, got PT0S." Each builder raises its own kind
 * of exception (a configuration error, a migration definition error), chosen once:
 *
 * <pre>{@code
 * private static final Checks CHECK = Checks.raising(QuerkConfigException::new);
 * this.lockTimeout = CHECK.positive("lockTimeout", d);
 * }</pre>
 */
public final class Checks {

    private final Function<String, ? extends QuerkException> error;

    private Checks(Function<String, ? extends QuerkException> error) {
        this.error = error;
    }

    /** @return checks that raise the exception {@code error} makes of a message */
    public static Checks raising(Function<String, ? extends QuerkException> error) {
        return new Checks(error);
    }

    /** @return a failure with {@code message}, to throw */
    public QuerkException failure(String message) {
        return error.apply(message);
    }

    /** @return {@code value}, if it is not null */
    public <T> T notNull(String what, T value) {
        if (value == null) {
            throw failure(what + " must not be null.");
        }
        return value;
    }

    /** @return {@code d}, if it is above zero */
    public Duration positive(String what, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw failure(what + " must be a positive duration, got " + d + ".");
        }
        return d;
    }

    /** @return {@code d}, if it is zero or above */
    public Duration notNegative(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw failure(what + " must be zero or a positive duration, got " + d + ".");
        }
        return d;
    }

    /** @return {@code v}, if it is above zero */
    public int positive(String what, int v) {
        return atLeast(what, v, 1);
    }

    /** @return {@code v}, if it is {@code min} or more */
    public int atLeast(String what, int v, int min) {
        if (v < min) {
            throw failure(what + " must be at least " + min + ", got " + v + ".");
        }
        return v;
    }

    /** @return {@code v}, if it is zero or above */
    public long notNegative(String what, long v) {
        if (v < 0) {
            throw failure(what + " must be zero or positive, got " + v + ".");
        }
        return v;
    }

    /** @return {@code v}, if it lies in {@code (low, high]} */
    public double inHalfOpenRange(String what, double v, double low, double high) {
        if (!(v > low && v <= high)) {
            throw failure(what + " must be above " + low + " and at most " + high + ", got " + v + ".");
        }
        return v;
    }

    /** @return {@code v}, if it is {@code min} or more and finite */
    public double atLeast(String what, double v, double min) {
        if (!(v >= min) || Double.isInfinite(v)) {
            throw failure(what + " must be " + min + " or more, got " + v + ".");
        }
        return v;
    }

    /** Fails with {@code message} unless {@code condition} holds: for checks across settings. */
    public void require(boolean condition, String message) {
        if (!condition) {
            throw failure(message);
        }
    }
}
