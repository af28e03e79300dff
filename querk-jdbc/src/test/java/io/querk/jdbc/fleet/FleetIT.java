package io.querk.jdbc.fleet;

import io.querk.QuerkException;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.Migration;
import io.querk.plan.MigrationPlan;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.querk.jdbc.support.Db.count;
import static io.querk.jdbc.support.Db.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet of real databases on the test server: bounded parallelism, one report, each target
 * with its own history and runner lock, and the failure policy deciding what runs after a failure.
 */
@ExtendWith(PostgresExtension.class)
class FleetIT {

    private final List<TestDatabase> databases = new ArrayList<>();

    @AfterEach
    void drop() {
        databases.forEach(TestDatabase::close);
    }

    /** {@code n} databases named tenant-1.., each with a shipments table (unless listed in {@code bare}). */
    private Map<String, TestDatabase> tenants(TestDatabase first, int n, int... bare) {
        Map<String, TestDatabase> out = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            TestDatabase db = i == 1 ? first : first.server().createDatabase("fleet");
            if (i > 1) {
                databases.add(db);
            }
            boolean withTable = true;
            for (int b : bare) {
                withTable &= b != i;
            }
            if (withTable) {
                exec(db, "CREATE TABLE shipments (id bigint PRIMARY KEY, city text)",
                        "INSERT INTO shipments SELECT g, 'City ' || g FROM generate_series(1, 2000) g", "ANALYZE shipments");
            }
            out.put("tenant-" + i, db);
        }
        return out;
    }

    private static Migration migration() {
        return Migration.define("2026-12-01.shipments-city-upper")
                .expand(e -> e.addColumn("shipments", "city_upper", "text", c -> c.derivedFrom("upper(city)")))
                .build();
    }

    private static FleetConfig.Builder fleet(Map<String, TestDatabase> tenants) {
        Map<String, DataSource> sources = new LinkedHashMap<>();
        tenants.forEach((name, db) -> sources.put(name, db.dataSource()));
        return FleetConfig.custom().targets(sources, ds -> QuerkConfig.custom().dataSource(ds).migrations(migration()).build());
    }

    @Test
    void migratesEveryTargetAtMostParallelismAtOnceIntoOneReport(TestDatabase first) throws Exception {
        Map<String, TestDatabase> tenants = tenants(first, 6);
        Fleet fleet = Fleet.create(fleet(tenants).parallelism(2).build());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch twoAtOnce = new CountDownLatch(2);
        FleetReport<MigrationReport> report = fleet.run("migrate", q -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                twoAtOnce.countDown();
                assertTrue(twoAtOnce.await(30, TimeUnit.SECONDS), "two targets ran at once");
                return q.migrate();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        });

        assertTrue(report.allSucceeded(), report.toText());
        assertEquals(2, most.get(), "never more than the parallelism at once");
        assertEquals(List.of("tenant-1", "tenant-2", "tenant-3", "tenant-4", "tenant-5", "tenant-6"),
                report.targets().stream().map(TargetResult::target).toList());
        for (TestDatabase db : tenants.values()) {
            assertEquals(2000, count(db, "SELECT count(*) FROM shipments WHERE city_upper = upper(city)"));
            assertEquals(2, count(db, "SELECT count(*) FROM querk_history WHERE status = 'applied'"),
                    "each target keeps its own history");
        }
        assertTrue(report.toText().startsWith("Querk fleet migrate: 6 target(s), parallelism 2"), report.toText());
        assertTrue(fleet.migrate().targets().stream().allMatch(t -> t.value().orElseThrow().nothingPending()));
    }

    @Test
    void continueRunsEveryTargetAndStopStartsNoneAfterTheFirstFailure(TestDatabase first) {
        Map<String, TestDatabase> tenants = tenants(first, 4, 2);
        FleetReport<MigrationReport> carryOn = Fleet.create(fleet(tenants).parallelism(1)
                .onFailure(FailurePolicy.CONTINUE).build()).migrate();
        assertEquals(List.of(TargetResult.Outcome.SUCCEEDED, TargetResult.Outcome.FAILED, TargetResult.Outcome.SUCCEEDED,
                TargetResult.Outcome.SUCCEEDED), carryOn.targets().stream().map(TargetResult::outcome).toList(),
                carryOn.toText());
        assertTrue(carryOn.failed().get(0).failure().getMessage().contains("shipments"), carryOn.toText());

        exec(tenants.get("tenant-3"), "DROP TABLE shipments CASCADE", "DROP TABLE querk_history, querk_history_step,"
                + " querk_history_range");
        exec(tenants.get("tenant-3"), "CREATE TABLE shipments (id bigint PRIMARY KEY, city text)");
        FleetReport<MigrationReport> stop = Fleet.create(fleet(tenants).parallelism(1).build()).migrate();
        assertEquals(List.of(TargetResult.Outcome.SUCCEEDED, TargetResult.Outcome.FAILED, TargetResult.Outcome.SKIPPED,
                TargetResult.Outcome.SKIPPED), stop.targets().stream().map(TargetResult::outcome).toList(), stop.toText());
        assertEquals(0, count(tenants.get("tenant-3"), "SELECT count(*) FROM pg_attribute WHERE attrelid ="
                + " 'shipments'::regclass AND attname = 'city_upper'"), "a target not started is untouched");
        QuerkException e = assertThrows(QuerkException.class, stop::requireAllSucceeded);
        assertTrue(e.getMessage().contains("1 of 4 target(s) failed and 2 were not started")
                && e.getMessage().contains("tenant-2"), e.getMessage());
    }

    @Test
    void planningTheFleetChangesNothingAndGivesEachTargetsPlanWithItsLiveSizes(TestDatabase first) {
        Map<String, TestDatabase> tenants = tenants(first, 3, 3);
        FleetReport<MigrationPlan> plans = Fleet.create(fleet(tenants).onFailure(FailurePolicy.CONTINUE).build()).plan();
        assertEquals(3, plans.succeeded().size(), plans.toText());
        assertTrue(plans.targets().get(0).value().orElseThrow().toText().contains("about 2000 rows"), plans.toText());
        for (TestDatabase db : tenants.values()) {
            assertEquals(0, count(db, "SELECT count(*) FROM pg_class WHERE relname = 'querk_history'"), "nothing created");
        }
    }

    @Test
    void twoFleetsAtOnceOverTheSameDatabasesApplyEveryStepOnce(TestDatabase first) throws Exception {
        Map<String, TestDatabase> tenants = tenants(first, 4);
        FleetConfig config = fleet(tenants).parallelism(4).build();
        CompletableFuture<FleetReport<MigrationReport>> a = CompletableFuture.supplyAsync(() -> Fleet.create(config).migrate());
        CompletableFuture<FleetReport<MigrationReport>> b = CompletableFuture.supplyAsync(() -> Fleet.create(config).migrate());
        assertTrue(a.get(120, TimeUnit.SECONDS).allSucceeded());
        assertTrue(b.get(120, TimeUnit.SECONDS).allSucceeded());
        for (TestDatabase db : tenants.values()) {
            assertEquals(2, count(db, "SELECT count(*) FROM querk_history_step WHERE status = 'done'"),
                    "the runner lock of each database let one run apply each step");
        }
        assertTrue(Duration.ZERO.compareTo(a.get().took()) < 0);
    }
}
