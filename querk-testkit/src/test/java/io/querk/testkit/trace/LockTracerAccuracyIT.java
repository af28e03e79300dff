package io.querk.testkit.trace;

import io.querk.plan.LockMode;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tracer's own accuracy: a second session holds a lock for a known, randomly chosen time
 * (LOCK TABLE, then a controlled sleep, then COMMIT), and the tracer measures that time within
 * its stated error.
 */
@ExtendWith({PostgresExtension.class, SeededRandomExtension.class})
class LockTracerAccuracyIT {

    @Test
    void aLockHeldForAKnownTimeIsMeasuredWithinTheStatedError(TestDatabase db, SeededRandom random) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE parcels (id int PRIMARY KEY)");
        }
        List<Long> errors = new ArrayList<>();
        for (int trial = 0; trial < 5; trial++) {
            long holdMillis = random.between(150, 900);
            long trueNanos;
            List<LockInterval> seen;
            try (LockTracer tracer = LockTracer.tracing(db.dataSource()).sessions("holder").start();
                 Connection holder = db.connect(); Statement s = holder.createStatement()) {
                s.execute("SET application_name = 'holder'");
                holder.setAutoCommit(false);
                s.execute("LOCK TABLE parcels IN ACCESS EXCLUSIVE MODE");
                long t0 = System.nanoTime();
                s.execute("SELECT pg_sleep(" + holdMillis / 1000.0 + ")");
                holder.commit();
                trueNanos = System.nanoTime() - t0;
                seen = tracer.stop();
            }
            List<LockInterval> ae = seen.stream().filter(i -> i.relation().equals("public.parcels")
                    && i.mode() == LockMode.ACCESS_EXCLUSIVE && i.granted()).toList();
            assertEquals(1, ae.size(), "trial " + trial + ": " + seen);
            long error = Math.abs(ae.get(0).duration().toNanos() - trueNanos) / 1_000_000;
            errors.add(error);
            assertTrue(error <= LockTracer.STATED_ERROR_MILLIS, "trial " + trial + ": held " + trueNanos / 1_000_000
                    + " ms, measured " + ae.get(0).duration().toMillis() + " ms, error " + error + " ms > stated "
                    + LockTracer.STATED_ERROR_MILLIS + " ms");
        }
        System.out.println("[lock tracer accuracy] errors over 5 trials (ms): " + errors);
    }

    @Test
    void rejectsAnIntervalUnderOneMillisecond(TestDatabase db) {
        org.junit.jupiter.api.Assertions.assertThrows(io.querk.testkit.TestkitException.class,
                () -> LockTracer.tracing(db.dataSource()).interval(Duration.ZERO));
    }
}
