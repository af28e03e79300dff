package io.querk.jdbc.retry;

import io.querk.jdbc.QuerkConfigException;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(SeededRandomExtension.class)
class RetryPolicyTest {

    @Test
    void backoffIsFullJitterUnderAnExponentialCeiling(SeededRandom random) {
        RetryPolicy p = RetryPolicy.custom().initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(1000)).build();
        for (int attempt = 1; attempt <= 8; attempt++) {
            long ceiling = Math.min(1000, 100L << (attempt - 1));
            long max = 0;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 2_000; i++) {
                long b = p.backoffAfter(attempt, random).toMillis();
                assertTrue(b >= 0 && b <= ceiling, "attempt " + attempt + ": " + b + " outside [0, " + ceiling + "]");
                max = Math.max(max, b);
                min = Math.min(min, b);
            }
            // Full jitter spreads over the whole range, not just near the ceiling.
            assertTrue(max > ceiling * 0.9 && min < ceiling * 0.1, "attempt " + attempt + ": " + min + ".." + max);
        }
    }

    @Test
    void lockTimeoutGrowsPerAttemptUpToItsCeiling() {
        RetryPolicy p = RetryPolicy.custom().lockTimeoutGrowth(2.0, Duration.ofMillis(700)).build();
        Duration base = Duration.ofMillis(100);
        assertEquals(Duration.ofMillis(100), p.lockTimeoutFor(1, base));
        assertEquals(Duration.ofMillis(200), p.lockTimeoutFor(2, base));
        assertEquals(Duration.ofMillis(400), p.lockTimeoutFor(3, base));
        assertEquals(Duration.ofMillis(700), p.lockTimeoutFor(4, base));
        assertEquals(Duration.ofMillis(700), p.lockTimeoutFor(40, base));
    }

    @Test
    void aCeilingBelowTheBaseNeverShrinksTheLockTimeout() {
        RetryPolicy p = RetryPolicy.custom().lockTimeoutGrowth(1.5, Duration.ofMillis(50)).build();
        assertEquals(Duration.ofMillis(300), p.lockTimeoutFor(3, Duration.ofMillis(300)));
    }

    @Test
    void defaultsAreTheDocumentedConstants() {
        RetryPolicy d = RetryPolicy.defaults();
        assertEquals(RetryPolicy.DEFAULT_MAX_ATTEMPTS, d.maxAttempts());
        assertEquals(RetryPolicy.DEFAULT_MAX_DURATION, d.maxDuration());
        assertEquals(RetryPolicy.DEFAULT_MAX_LOCK_TIMEOUT, d.maxLockTimeout());
        assertEquals(1, RetryPolicy.noRetry().maxAttempts());
        assertEquals(d.maxAttempts(), d.toBuilder().build().maxAttempts());
    }

    @Test
    void builderRejectsNonsenseWithAMessageNamingTheSetting() {
        assertTrue(assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom().maxAttempts(0))
                .getMessage().contains("maxAttempts"));
        assertTrue(assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom().maxDuration(Duration.ZERO))
                .getMessage().contains("maxDuration"));
        assertTrue(assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom().initialBackoff(Duration.ofMillis(-1)))
                .getMessage().contains("initialBackoff"));
        assertTrue(assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom().lockTimeoutGrowth(0.5, Duration.ofSeconds(1)))
                .getMessage().contains("lockTimeoutGrowth"));
        assertTrue(assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom().lockTimeoutGrowth(Double.NaN, Duration.ofSeconds(1)))
                .getMessage().contains("lockTimeoutGrowth"));
        assertTrue(assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom()
                .initialBackoff(Duration.ofSeconds(20)).maxBackoff(Duration.ofSeconds(1)).build())
                .getMessage().contains("above maxBackoff"));
    }
}
