package io.querk.jdbc;

import io.querk.jdbc.event.StepRetrying;
import io.querk.jdbc.retry.RetryPolicy;
import io.querk.jdbc.support.Await;
import io.querk.jdbc.support.Held;
import io.querk.jdbc.support.KeyedTraffic;
import io.querk.jdbc.support.Recorder;
import io.querk.migration.Migration;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.querk.jdbc.support.Db.bool;
import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second session holds a lock the step needs: the step waits at most its lock timeout per
 * attempt, retries, names the blocker, and never stalls the application much longer than the
 * lock timeout.
 */
@ExtendWith(PostgresExtension.class)
class LockGuardIT {

    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(100);

    private static Migration addColumn() {
        return Migration.define("1").expand(e -> e.addColumn("orders", "note", "text")).build();
    }

    private static QuerkConfig.Builder querk(TestDatabase db, Recorder recorder, RetryPolicy policy) {
        return QuerkConfig.custom().dataSource(db.dataSource()).migrations(addColumn()).lockTimeout(LOCK_TIMEOUT)
                .retryPolicy(policy).listener(recorder);
    }

    private static void seed(TestDatabase db) {
        exec(db, "CREATE TABLE orders (id int PRIMARY KEY, qty int NOT NULL)",
                "INSERT INTO orders SELECT g, 0 FROM generate_series(1, 1000) g");
    }

    @Test
    void retriesUntilTheBlockerEndsThenSucceeds(TestDatabase db) throws Exception {
        seed(db);
        Recorder recorder = new Recorder();
        RetryPolicy patient = RetryPolicy.custom().maxAttempts(100).maxDuration(Duration.ofSeconds(60))
                .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(100)).build();
        Querk q = Querk.create(querk(db, recorder, patient).build());

        Held blocker = Held.transaction(db, "SELECT count(*) FROM orders");
        CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(q::migrate);
        Await.until("a retry naming the blocker", 20_000, () -> recorder.of(StepRetrying.class).stream()
                .anyMatch(r -> r.blockers().stream().anyMatch(b -> b.pid() == blocker.pid())));
        assertFalse(run.isDone(), "the step must still be waiting while the blocker holds its lock");
        blocker.close();

        MigrationReport report = run.get(30, TimeUnit.SECONDS);
        assertTrue(report.applied().get(0).attempts() > 1);
        assertTrue(bool(db, "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'note')"));
        StepRetrying r = recorder.of(StepRetrying.class).get(0);
        assertEquals("55P03", r.sqlState());
        assertEquals(LOCK_TIMEOUT, r.nextLockTimeout());
    }

    @Test
    void failsNamingTheBlockerWhenTheBudgetIsSpentAndNeverStallsTrafficLongerThanTheLockTimeout(TestDatabase db)
            throws Exception {
        seed(db);
        Recorder recorder = new Recorder();
        RetryPolicy shortBudget = RetryPolicy.custom().maxAttempts(4).maxDuration(Duration.ofSeconds(20))
                .initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(100)).build();
        Querk q = Querk.create(querk(db, recorder, shortBudget).build());

        AtomicBoolean stop = new AtomicBoolean();
        List<AtomicLong> worst = List.of(new AtomicLong(), new AtomicLong());
        List<Thread> traffic = new ArrayList<>();
        traffic.add(KeyedTraffic.of(db, "SELECT qty FROM orders WHERE id = ?", stop, worst.get(0), new AtomicLong()));
        traffic.add(KeyedTraffic.of(db, "UPDATE orders SET qty = qty + 1 WHERE id = ?", stop, worst.get(1), new AtomicLong()));
        traffic.forEach(Thread::start);
        LockTimeoutException e;
        try (Held blocker = Held.transaction(db, "SELECT count(*) FROM orders /* the long report */")) {
            e = assertThrows(LockTimeoutException.class, q::migrate);
            assertEquals(4, e.attempts());
            assertTrue(e.blockers().stream().anyMatch(b -> b.pid() == blocker.pid()), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + blocker.pid()), e.getMessage());
            assertTrue(e.getMessage().contains("the long report"), e.getMessage());
            assertTrue(e.getMessage().contains("idle in transaction"), e.getMessage());
        } finally {
            stop.set(true);
            for (Thread t : traffic) {
                t.join(10_000);
            }
        }
        assertFalse(bool(db, "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'note')"));
        assertEquals("failed", one(db, "SELECT status FROM querk_history WHERE migration_id = '1'"));
        // Reads and writes queued behind each waiting ALTER, but never for much longer than its lock timeout.
        long worstMillis = Math.max(worst.get(0).get(), worst.get(1).get()) / 1_000_000;
        assertTrue(worstMillis >= LOCK_TIMEOUT.toMillis() / 2,
                "traffic should have queued behind the waiting ALTER at least once; worst " + worstMillis + " ms");
        assertTrue(worstMillis < LOCK_TIMEOUT.toMillis() + 400, "worst stall " + worstMillis + " ms");
    }

    @Test
    void resumesAfterTheBlockerIsGone(TestDatabase db) throws Exception {
        seed(db);
        Querk q = Querk.create(querk(db, new Recorder(), RetryPolicy.noRetry()).build());
        try (Held blocker = Held.transaction(db, "SELECT count(*) FROM orders")) {
            assertThrows(LockTimeoutException.class, q::migrate);
        }
        assertEquals(1, q.migrate().applied().size());
        assertTrue(q.migrate().nothingPending());
    }
}
