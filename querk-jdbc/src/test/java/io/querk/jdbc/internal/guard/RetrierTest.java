package io.querk.jdbc.internal.guard;

import io.querk.jdbc.Blocker;
import io.querk.jdbc.LockTimeoutException;
import io.querk.migration.StepRef;
import io.querk.jdbc.event.StepRetrying;
import io.querk.jdbc.internal.event.EventBus;
import io.querk.jdbc.retry.RetryPolicy;
import io.querk.jdbc.support.Recorder;
import io.querk.migration.Phase;
import io.querk.migration.StepKind;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetrierTest {

    private static final StepRef STEP = new StepRef("m", Phase.EXPAND, 1, 1, StepKind.ADD_COLUMN, "add column t.c int");
    private static final Blocker BLOCKER = new Blocker(42, "app", "api", "idle in transaction", Duration.ofSeconds(3),
            "SELECT 1");

    private final List<Duration> slept = new ArrayList<>();
    private final Recorder recorder = new Recorder();

    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(100);

    private TimeoutPolicy policy(RetryPolicy retry) {
        return new TimeoutPolicy(LOCK_TIMEOUT, Duration.ofSeconds(5), Duration.ofMinutes(10), retry);
    }

    private Retrier retrier(RetryPolicy retry) {
        return new Retrier(policy(retry), new EventBus(List.of(recorder)), new Random(7), slept::add);
    }

    private static RetryableFailure lockTimeout(Duration waited) {
        return new RetryableFailure(new SQLException("canceling statement due to lock timeout", "55P03"), "ALTER ...",
                List.of(BLOCKER), waited);
    }

    private static RetryableFailure lockTimeout() {
        return lockTimeout(LOCK_TIMEOUT);
    }

    @Test
    void retriesWithTheConfiguredLockTimeoutAndAGapAtLeastAsLongUntilSuccess() throws Exception {
        RetryPolicy retry = RetryPolicy.defaults();
        TimeoutPolicy timeouts = policy(retry);
        List<Duration> used = new ArrayList<>();
        Retrier.Result<String> r = retrier(retry).run(STEP, attempt -> {
            Duration lt = timeouts.forAttempt(TimeoutPolicy.Kind.BLOCKS_APPLICATION, attempt).lock();
            used.add(lt);
            if (attempt < 4) {
                throw lockTimeout(lt);
            }
            return "ok";
        });
        assertEquals("ok", r.value());
        assertEquals(4, r.attempts());
        assertEquals(List.of(LOCK_TIMEOUT, LOCK_TIMEOUT, LOCK_TIMEOUT, LOCK_TIMEOUT), used, "no escalation by default");
        assertEquals(3, slept.size());
        assertTrue(slept.stream().allMatch(d -> d.compareTo(LOCK_TIMEOUT) >= 0), "each gap at least the stall: " + slept);
        List<StepRetrying> events = recorder.of(StepRetrying.class);
        assertEquals(3, events.size());
        assertEquals(List.of(BLOCKER), events.get(0).blockers());
        assertEquals(slept, events.stream().map(StepRetrying::backoff).toList());
        assertTrue(events.stream().allMatch(e -> e.nextLockTimeout().equals(LOCK_TIMEOUT)));
    }

    @Test
    void anOptedInEscalationGrowsTheLockTimeoutUpToItsCeiling() throws Exception {
        RetryPolicy retry = RetryPolicy.custom().escalateLockTimeout(2.0, Duration.ofMillis(300)).build();
        TimeoutPolicy timeouts = policy(retry);
        List<Duration> used = new ArrayList<>();
        retrier(retry).run(STEP, attempt -> {
            Duration lt = timeouts.forAttempt(TimeoutPolicy.Kind.BLOCKS_APPLICATION, attempt).lock();
            used.add(lt);
            if (attempt < 4) {
                throw lockTimeout(lt);
            }
            return "ok";
        });
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(300)),
                used);
        for (int i = 0; i < slept.size(); i++) {
            assertTrue(slept.get(i).compareTo(used.get(i)) >= 0, "gap " + i + " shorter than the stall before it");
        }
    }

    @Test
    void statementsThatBlockNothingWaitLongAndRunWithoutAStatementTimeout() {
        TimeoutPolicy.Timeouts t = policy(RetryPolicy.defaults()).forAttempt(TimeoutPolicy.Kind.BLOCKS_NOTHING, 7);
        assertEquals(Duration.ofMinutes(10), t.lock());
        assertEquals(Duration.ZERO, t.statement());
        assertEquals(Duration.ofSeconds(5),
                policy(RetryPolicy.defaults()).forAttempt(TimeoutPolicy.Kind.BLOCKS_APPLICATION, 1).statement());
    }

    @Test
    void givesUpAfterMaxAttemptsNamingTheBlocker() {
        LockTimeoutException e = assertThrows(LockTimeoutException.class, () ->
                retrier(RetryPolicy.custom().maxAttempts(3).build()).run(STEP, attempt -> {
                    throw lockTimeout();
                }));
        assertEquals(3, e.attempts());
        assertEquals(List.of(BLOCKER), e.blockers());
        assertTrue(e.getMessage().contains("pid 42"), e.getMessage());
        assertTrue(e.getMessage().contains("pg_terminate_backend(42)"), e.getMessage());
        assertEquals("ALTER ...", e.sql().orElseThrow());
        assertEquals(2, slept.size());
    }

    @Test
    void givesUpWhenTheNextBackoffWouldPassTheTimeBudget() {
        RetryPolicy p = RetryPolicy.custom().maxAttempts(1000).maxDuration(Duration.ofMillis(1))
                .initialBackoff(Duration.ofSeconds(10)).maxBackoff(Duration.ofSeconds(10)).build();
        // The gap alone (the 100 ms lock timeout) passes a 1 ms budget: the first failure is the last.
        LockTimeoutException e = assertThrows(LockTimeoutException.class, () ->
                retrier(p).run(STEP, attempt -> {
                    throw lockTimeout();
                }));
        assertEquals(1, e.attempts());
    }

    @Test
    void otherErrorsAreNotRetried() {
        SQLException syntax = new SQLException("syntax error", "42601");
        int[] calls = {0};
        SQLException e = assertThrows(SQLException.class, () -> retrier(RetryPolicy.defaults()).run(STEP, a -> {
            calls[0]++;
            throw syntax;
        }));
        assertSame(syntax, e);
        assertEquals(1, calls[0]);
        assertTrue(slept.isEmpty());
    }

    @Test
    void deadlocksAndLockTimeoutsAreRetryableOthersNot() {
        assertTrue(RetryableFailure.isRetryable(new SQLException("x", "55P03")));
        assertTrue(RetryableFailure.isRetryable(new SQLException("x", "40P01")));
        assertEquals(false, RetryableFailure.isRetryable(new SQLException("x", "57014")));
        assertEquals(false, RetryableFailure.isRetryable(new SQLException("x", (String) null)));
    }
}
