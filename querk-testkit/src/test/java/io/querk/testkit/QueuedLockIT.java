package io.querk.testkit;

import io.querk.jdbc.retry.RetryPolicy;
import io.querk.migration.Migration;
import io.querk.plan.LockMode;
import io.querk.testkit.data.Gen;
import io.querk.testkit.data.TestData;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import io.querk.testkit.trace.LockInterval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static io.querk.testkit.RehearsalAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An ACCESS EXCLUSIVE request queued behind a long transaction blocks reads for as long as it
 * waits, although it never gets its lock: the tracer reports the wait as blocking, and the
 * application's reads confirm it.
 */
@ExtendWith(PostgresExtension.class)
class QueuedLockIT {

    private static final long WAIT_MS = 800;

    @Test
    void aQueuedAccessExclusiveIsReportedAsBlockingForAsLongAsItWaited(TestDatabase db) throws Exception {
        TestData.seed(3).table("parcels").rows(10_000).column("id", "int", Gen.serial()).primaryKey("id")
                .create(db.dataSource());
        try (Connection longTx = db.connect(); Statement s = longTx.createStatement()) {
            longTx.setAutoCommit(false);
            s.execute("SELECT count(*) FROM parcels");   // holds ACCESS SHARE until it ends
            RehearsalReport r = Rehearsal.of(Migration.define("1").expand(e -> e.addColumn("parcels", "note", "text")).build())
                    .on(db.dataSource())
                    .traffic(t -> t.reads("parcels"))
                    .engine(e -> e.lockTimeout(Duration.ofMillis(WAIT_MS)).retryPolicy(RetryPolicy.noRetry()))
                    .run();
            longTx.rollback();

            assertTrue(r.error().isPresent(), "the step gave up after its lock timeout");
            List<LockInterval> waits = r.locks().stream().filter(i -> !i.granted() && i.mode() == LockMode.ACCESS_EXCLUSIVE)
                    .toList();
            assertEquals(1, waits.size(), r.locks().toString());
            long measured = waits.get(0).duration().toMillis();
            assertTrue(Math.abs(measured - WAIT_MS) <= 60, "waited " + WAIT_MS + " ms, measured " + measured + " ms");

            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> assertThat(r).noStepBlocksReadsOf("parcels").longerThan(Duration.ofMillis(500)));
            assertTrue(e.getMessage().contains("for ACCESS EXCLUSIVE (AccessExclusiveLock) on public.parcels (everyone after it queued behind it)"),
                    e.getMessage());
            // The ground truth agrees: some read queued behind the waiting ALTER for most of its wait.
            assertTrue(RehearsalReport.quantile(r.traffic(), 1.0).toMillis() >= WAIT_MS / 2,
                    "worst read " + RehearsalReport.quantile(r.traffic(), 1.0).toMillis() + " ms");
        }
    }
}
