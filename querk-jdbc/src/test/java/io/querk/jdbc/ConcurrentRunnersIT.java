package io.querk.jdbc;

import io.querk.jdbc.support.Child;
import io.querk.jdbc.support.Db;
import io.querk.jdbc.support.Scenarios;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ten instances start at once (eight threads here, two other JVMs): every step is applied
 * once, nobody deadlocks with CREATE INDEX CONCURRENTLY, and every call returns successfully.
 */
@ExtendWith(PostgresExtension.class)
class ConcurrentRunnersIT {

    @Test
    void eightThreadsAndTwoJvmsMigrateAtOnce(TestDatabase db) throws Exception {
        exec(db, Scenarios.seed(20_000));
        List<Child> children = List.of(Child.start(db, 0, true), Child.start(db, 0, true));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Child c : children) {
                c.awaitLine("READY", 60_000);
            }
            CyclicBarrier start = new CyclicBarrier(8);
            List<Future<MigrationReport>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> {
                    Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource())
                            .migrations(Scenarios.workload(Duration.ZERO)).build());
                    start.await();
                    return q.migrateAllPhases();
                }));
            }
            for (Child c : children) {
                c.go();
            }
            int applied = 0;
            for (Future<MigrationReport> f : runs) {
                applied += f.get(120, TimeUnit.SECONDS).applied().size();
            }
            for (Child c : children) {
                assertEquals(0, c.waitFor(120), c.output());
                String done = c.output().lines().filter(l -> l.startsWith("DONE ")).findFirst().orElseThrow();
                applied += Integer.parseInt(done.substring(5));
            }
            int steps = Scenarios.workload(Duration.ZERO).stream()
                    .mapToInt(m -> m.steps(io.querk.migration.Phase.EXPAND).size()
                            + m.steps(io.querk.migration.Phase.BACKFILL).size()
                            + m.steps(io.querk.migration.Phase.CONTRACT).size()).sum();
            assertEquals(steps, applied, "each step applied by exactly one runner");
        } finally {
            pool.shutdownNow();
            children.forEach(Child::close);
        }
        assertEquals(List.of(List.of("m1 sql"), List.of("m2 sql")), Db.rows(db, "SELECT step FROM applied_log ORDER BY step"));
        assertEquals("20000", one(db, "SELECT count(*) FROM items WHERE n = 1"));
        assertEquals("0", one(db, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        assertTrue(Db.bool(db, "SELECT bool_and(status = 'applied') FROM querk_history"));
    }
}
