package io.querk.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.querk.jdbc.MigrationHandle;
import io.querk.jdbc.Querk;
import io.querk.migration.Migration;
import io.querk.plan.UnsafeMigrationException;
import io.querk.spring.boot.actuate.QuerkActuatorAutoConfiguration;
import io.querk.spring.boot.actuate.QuerkEndpoint;
import io.querk.spring.boot.actuate.QuerkHealthIndicator;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The starter in Spring Boot's own test support, on a real PostgreSQL: ordering before the beans
 * that use the DataSource, the properties, the migration DataSource, refusals, metrics, the
 * endpoint and health, and background backfills tied to the context's lifecycle.
 */
@ExtendWith(PostgresExtension.class)
class QuerkAutoConfigurationIT {

    private static final int ROWS = 20_000;

    /** The two migrations of a small application, as two beans (declared out of order on purpose). */
    @Configuration(proxyBeanMethods = false)
    static class TwoMigrations {
        @Bean
        Migration carrier() {
            return Migration.define("2026-12-02.parcels-carrier")
                    .expand(e -> e.addColumn("parcels", "carrier", "text"))
                    .build();
        }

        @Bean
        Migration parcels() {
            return Migration.define("2026-12-01.parcels")
                    .expand(e -> e.createTable("parcels", t -> t.column("id", "bigint").column("code", "text")
                            .primaryKey("id")))
                    .build();
        }
    }

    /** An application bean reading the migrated table as soon as it is created. */
    static class ParcelCounter implements InitializingBean {
        private final JdbcTemplate jdbc;
        long carriersAtStart = -1;

        ParcelCounter(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public void afterPropertiesSet() {
            // Fails ("column carrier does not exist") if this ran before Querk.
            carriersAtStart = jdbc.queryForObject("SELECT count(carrier) FROM parcels", Long.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UsesJdbcTemplate {
        @Bean
        ParcelCounter parcelCounter(JdbcTemplate jdbc) {
            return new ParcelCounter(jdbc);
        }
    }

    private static ApplicationContextRunner runner(TestDatabase db) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        JdbcTemplateAutoConfiguration.class, QuerkAutoConfiguration.class,
                        QuerkMetricsAutoConfiguration.class, QuerkActuatorAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + db.user(),
                        "spring.datasource.password=" + db.password());
    }

    @Test
    void migrationBeansMigrateInIdOrderBeforeABeanThatUsesJdbcTemplate(TestDatabase db) {
        runner(db).withUserConfiguration(TwoMigrations.class, UsesJdbcTemplate.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Querk.class);
            assertEquals(0, context.getBean(ParcelCounter.class).carriersAtStart, "the table existed when the bean ran");
            assertEquals(List.of("2026-12-01.parcels", "2026-12-02.parcels-carrier"),
                    context.getBean(Querk.class).config().migrations().stream().map(Migration::id).toList());
            assertTrue(Arrays.asList(context.getBeanFactory().getBeanDefinition("jdbcTemplate").getDependsOn())
                    .contains("querkMigrationInitializer"), "Boot's initializer detection ordered JdbcTemplate after Querk");
            assertEquals(2, context.getBean(QuerkMigrationInitializer.class).report().orElseThrow().applied().size());
        });
    }

    @Test
    void jpaWaitsForTheMigration(TestDatabase db) {
        runner(db).withConfiguration(AutoConfigurations.of(HibernateJpaAutoConfiguration.class,
                        TransactionAutoConfiguration.class))
                .withUserConfiguration(TwoMigrations.class)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(EntityManagerFactory.class);
                    String emf = context.getBeanNamesForType(EntityManagerFactory.class)[0].replace("&", "");
                    assertThat(context.getBeanFactory().getBeanDefinition(emf).getDependsOn())
                            .contains("querkMigrationInitializer");
                });
    }

    @Test
    void offMeansNoEngineAndNothingTouched(TestDatabase db) throws SQLException {
        runner(db).withUserConfiguration(TwoMigrations.class).withPropertyValues("querk.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(Querk.class).doesNotHaveBean(QuerkMigrationInitializer.class);
        });
        assertEquals(0, count(db, "SELECT count(*) FROM pg_class WHERE relname IN ('parcels', 'querk_history')"));
    }

    @Test
    void propertiesReachTheEngineAndABadOneFailsNamingIt(TestDatabase db) throws SQLException {
        runner(db).withUserConfiguration(TwoMigrations.class)
                .withPropertyValues("querk.lock-timeout=150ms", "querk.history-table=ops.migrations",
                        "querk.retry.max-attempts=3", "querk.backfill.batch-size=500", "querk.backfill.workers=2",
                        "querk.backfill.max-replication-lag=16MB", "querk.contract-released-through=2026-12-01.parcels")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    var config = context.getBean(Querk.class).config();
                    assertEquals(Duration.ofMillis(150), config.lockTimeout());
                    assertEquals("ops.migrations", config.historyTable().toString());
                    assertEquals(3, config.retryPolicy().maxAttempts());
                    assertEquals(500, config.backfill().batchSize());
                    assertEquals(2, config.backfill().workers());
                    assertEquals(16L << 20, config.backfill().maxReplicationLagBytes());
                    assertEquals("2026-12-01.parcels", config.contractReleasedThrough().orElseThrow());
                });
        assertEquals(2, count(db, "SELECT count(*) FROM ops.migrations"));

        runner(db).withPropertyValues("querk.lock-timeout=0s").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("querk.lock-timeout=PT0S refused: lockTimeout must be a positive"));
    }

    @Test
    void aSeparateMigrationDataSourceIsWhereQuerkMigrates(TestDatabase app) throws SQLException {
        try (TestDatabase direct = PostgresServer.shared().createDatabase("direct")) {
            runner(app).withUserConfiguration(TwoMigrations.class)
                    .withPropertyValues("querk.datasource.url=" + direct.jdbcUrl(),
                            "querk.datasource.username=" + direct.user(), "querk.datasource.password=" + direct.password())
                    .run(context -> assertThat(context).hasNotFailed());
            assertEquals(1, count(direct, "SELECT count(*) FROM pg_class WHERE relname = 'parcels'"));
            assertEquals(0, count(app, "SELECT count(*) FROM pg_class WHERE relname = 'parcels'"));
        }
    }

    /** A raw statement the live plan refuses: SET NOT NULL without a validated check scans under ACCESS EXCLUSIVE. */
    @Configuration(proxyBeanMethods = false)
    static class RefusedMigration {
        @Bean
        Migration blockingIndex() {
            return Migration.define("2026-12-03.parcels-code-required")
                    .expand(e -> e.sql("ALTER TABLE parcels ALTER COLUMN code SET NOT NULL"))
                    .build();
        }
    }

    @Test
    void aRefusedPlanFailsTheStartUpUnlessToldToLogIt(TestDatabase db) throws SQLException {
        exec(db, "CREATE TABLE parcels (id bigint PRIMARY KEY, code text)");
        runner(db).withUserConfiguration(RefusedMigration.class).run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().isInstanceOf(UnsafeMigrationException.class));

        runner(db).withUserConfiguration(RefusedMigration.class)
                .withConfiguration(AutoConfigurations.of(healthAutoConfigurations()))
                .withPropertyValues("querk.fail-on-refused-plan=false").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertTrue(context.getBean(QuerkMigrationInitializer.class).refusal().isPresent());
                    assertEquals(Status.DOWN, context.getBean(QuerkHealthIndicator.class).health(true).getStatus());
                });
        assertEquals(0, count(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'parcels'::regclass"
                + " AND attname = 'code' AND attnotnull"), "nothing ran");
    }

    private static Class<?>[] healthAutoConfigurations() {
        return new Class<?>[] {org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration.class};
    }

    @Test
    void metersEndpointAndHealthDescribeTheRun(TestDatabase db) {
        runner(db).withUserConfiguration(TwoMigrations.class)
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        EndpointAutoConfiguration.class))
                .withConfiguration(AutoConfigurations.of(healthAutoConfigurations()))
                .withPropertyValues("management.endpoints.web.exposure.include=querk")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertEquals(2, registry.get("querk.step.duration").tag("outcome", "applied").timers().size());
                    assertEquals(1, registry.get("querk.run.duration").timer().count());

                    QuerkEndpoint.QuerkDescriptor d = context.getBean(QuerkEndpoint.class).querk();
                    assertEquals(List.of("2026-12-01.parcels", "2026-12-02.parcels-carrier"),
                            d.migrations().stream().map(QuerkEndpoint.MigrationDescriptor::id).toList());
                    assertEquals("APPLIED", d.migrations().get(1).phases().get(0).status());
                    assertTrue(d.plan().phases().isEmpty(), "nothing pending");
                    assertEquals(2, d.startup().stepsApplied());
                    assertEquals(Status.UP, context.getBean(QuerkHealthIndicator.class).health(true).getStatus());
                });
    }

    /** One migration whose backfill takes a few seconds: expand, then n = n + 1 over every row, in small batches. */
    @Configuration(proxyBeanMethods = false)
    static class SlowBackfill {
        @Bean
        Migration bump() {
            return Migration.define("2026-12-04.items-bump")
                    .expand(e -> e.addColumn("items", "note", "text"))
                    .backfill(b -> b.table("items").set("n", "n + 1").batchSize(200).pause(Duration.ofMillis(20)))
                    .build();
        }
    }

    /** What the application saw while its context was being created, before any lifecycle started. */
    static class AtStartUp implements InitializingBean {
        private final JdbcTemplate jdbc;
        long bumpedAtStartUp = -1;

        AtStartUp(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public void afterPropertiesSet() {
            // The expand phase has run (the column exists); the backfill has not begun.
            bumpedAtStartUp = jdbc.queryForObject("SELECT count(*) FROM items WHERE n > 0 AND note IS NULL", Long.class);
        }
    }

    @Test
    void aBackgroundBackfillStartsWhenTheContextIsReadyStopsAtShutdownAndResumes(TestDatabase db) throws Exception {
        exec(db, "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)",
                "INSERT INTO items SELECT g, 0 FROM generate_series(1, " + ROWS + ") g", "ANALYZE items");
        ApplicationContextRunner app = runner(db).withUserConfiguration(SlowBackfill.class)
                .withBean(AtStartUp.class)
                .withPropertyValues("querk.backfill.background=true", "querk.backfill.progress-interval=100ms");

        long[] afterFirst = new long[1];
        app.run(context -> {
            assertThat(context).hasNotFailed();
            assertEquals(0, context.getBean(AtStartUp.class).bumpedAtStartUp, "no batch before the context was ready");
            MigrationHandle h = context.getBean(QuerkMigrationInitializer.class).handle().orElseThrow();
            await("the backfill to make progress", () -> count(db, "SELECT count(*) FROM items WHERE n = 1") > 1_000);
            assertThat(h.state()).isIn(MigrationHandle.State.RUNNING, MigrationHandle.State.SUCCEEDED);
            QuerkEndpoint.QuerkDescriptor d = new QuerkEndpoint(context.getBean(Querk.class),
                    context.getBean(QuerkMigrationInitializer.class)).querk();
            assertEquals("RUNNING", d.background().state());
            assertTrue(d.background().progress().rowsUpdated() > 0);
            ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();   // a graceful shutdown
            assertEquals(MigrationHandle.State.CANCELLED, h.state(), "stopped at a batch boundary before the context closed");
            afterFirst[0] = count(db, "SELECT count(*) FROM items WHERE n = 1");
        });
        assertTrue(afterFirst[0] > 0 && afterFirst[0] < ROWS, "a partial backfill: " + afterFirst[0]);
        assertEquals(afterFirst[0], count(db, "SELECT rows_updated FROM querk_history_step WHERE phase = 'backfill'"),
                "the cursor committed with the rows");

        app.run(context -> {
            MigrationHandle h = context.getBean(QuerkMigrationInitializer.class).handle().orElseThrow();
            h.await(Duration.ofMinutes(2));
            assertEquals(MigrationHandle.State.SUCCEEDED, h.state());
        });
        assertEquals(ROWS, count(db, "SELECT count(*) FROM items WHERE n = 1"), "every row bumped exactly once");
        assertEquals(0, count(db, "SELECT count(*) FROM items WHERE n <> 1"));
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void exec(TestDatabase db, String... sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
