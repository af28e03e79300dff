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
    void backoffIsTheGapThenFullJitterUnderAnExponentialCeiling(SeededRandom random) {
        RetryPolicy p = RetryPolicy.custom().initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofMillis(1000)).build();
        Duration waited = Duration.ofMillis(200);
        for (int attempt = 1; attempt <= 8; attempt++) {
            long ceiling = Math.min(1000, 100L << (attempt - 1));
            long max = 0;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 2_000; i++) {
                long jitter = p.backoffAfter(attempt, waited, random).toMillis() - waited.toMillis();
                assertTrue(jitter >= 0 && jitter <= ceiling, "attempt " + attempt + ": jitter " + jitter
                        + " outside [0, " + ceiling + "]: the application must get at least the stall back as a gap");
                max = Math.max(max, jitter);
                min = Math.min(min, jitter);
            }
            // Full jitter spreads over the whole range, not just near the ceiling.
            assertTrue(max > ceiling * 0.9 && min < ceiling * 0.1, "attempt " + attempt + ": " + min + ".." + max);
        }
    }

    @Test
    void byDefaultEveryAttemptWaitsTheConfiguredLockTimeoutAndNoLonger() {
        RetryPolicy d = RetryPolicy.defaults();
        Duration base = Duration.ofMillis(200);
        for (int attempt = 1; attempt <= 50; attempt++) {
            assertEquals(base, d.lockTimeoutFor(attempt, base), "attempt " + attempt);
        }
        assertTrue(d.maxLockTimeout().isEmpty());
        assertEquals(1.0, d.lockTimeoutGrowth());
    }

    @Test
    void escalationIsAnOptInThatGrowsPerAttemptUpToItsOwnCeiling() {
        RetryPolicy p = RetryPolicy.custom().escalateLockTimeout(2.0, Duration.ofMillis(700)).build();
        Duration base = Duration.ofMillis(100);
        assertEquals(Duration.ofMillis(100), p.lockTimeoutFor(1, base));
        assertEquals(Duration.ofMillis(200), p.lockTimeoutFor(2, base));
        assertEquals(Duration.ofMillis(400), p.lockTimeoutFor(3, base));
        assertEquals(Duration.ofMillis(700), p.lockTimeoutFor(4, base));
        assertEquals(Duration.ofMillis(700), p.lockTimeoutFor(40, base));
        assertEquals(Duration.ofMillis(700), p.maxLockTimeout().orElseThrow());
    }

    @Test
    void aCeilingBelowTheBaseNeverShrinksTheLockTimeout() {
        RetryPolicy p = RetryPolicy.custom().escalateLockTimeout(1.5, Duration.ofMillis(50)).build();
        assertEquals(Duration.ofMillis(300), p.lockTimeoutFor(3, Duration.ofMillis(300)));
    }

    @Test
    void defaultsAreTheDocumentedConstantsAndFromCopiesEverySetting() {
        RetryPolicy d = RetryPolicy.defaults();
        assertEquals(RetryPolicy.DEFAULT_MAX_ATTEMPTS, d.maxAttempts());
        assertEquals(RetryPolicy.DEFAULT_MAX_DURATION, d.maxDuration());
        assertEquals(RetryPolicy.DEFAULT_INITIAL_BACKOFF, d.initialBackoff());
        assertEquals(RetryPolicy.DEFAULT_MAX_BACKOFF, d.maxBackoff());
        assertEquals(1, RetryPolicy.noRetry().maxAttempts());
        RetryPolicy custom = RetryPolicy.custom().maxAttempts(3).escalateLockTimeout(1.2, Duration.ofSeconds(2)).build();
        assertEquals(custom.toString(), RetryPolicy.from(custom).build().toString());
        assertEquals(4, RetryPolicy.from(custom).maxAttempts(4).build().maxAttempts());
        assertEquals(3, custom.maxAttempts(), "a policy does not change when a builder made from it does");
    }

    @Test
    void builderRejectsNonsenseWithAMessageNamingTheSetting() {
        assertEquals("maxAttempts must be at least 1, got 0.",
                assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom().maxAttempts(0)).getMessage());
        assertEquals("maxDuration must be a positive duration, got PT0S.",
                assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom().maxDuration(Duration.ZERO)).getMessage());
        assertEquals("initialBackoff must be a positive duration, got null.",
                assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom().initialBackoff(null)).getMessage());
        assertTrue(assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom().escalateLockTimeout(1.0, Duration.ofSeconds(1)))
                .getMessage().contains("above 1.0"));
        assertTrue(assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom().escalateLockTimeout(Double.NaN, Duration.ofSeconds(1)))
                .getMessage().contains("escalateLockTimeout"));
        assertTrue(assertThrows(QuerkConfigException.class, () -> RetryPolicy.custom()
                .initialBackoff(Duration.ofSeconds(20)).maxBackoff(Duration.ofSeconds(1)).build())
                .getMessage().contains("above maxBackoff"));
    }
}
