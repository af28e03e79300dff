package io.querk.spring.boot;

import io.querk.migration.Migration;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter with the real Flyway 13, under Spring Boot's own Flyway auto-configuration: beside it
 * (Flyway runs its files first, then Querk, each with its own history), and adopting a database
 * Flyway managed (querk.locations and querk.baseline=flyway: only the newer files run).
 */
@ExtendWith(PostgresExtension.class)
class QuerkBesideFlywayIT {

    @Configuration(proxyBeanMethods = false)
    static class WeightMigration {
        @Bean
        Migration crateWeight() {
            // Needs Flyway's table: it fails if Querk ran before Flyway.
            return Migration.define("2026-12-09.crates-weight")
                    .expand(e -> e.addColumn("crates", "weight_g", "integer")
                            .createIndex("crates_label_idx", "crates", "label"))
                    .build();
        }
    }

    private static ApplicationContextRunner runner(TestDatabase db) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                        QuerkAutoConfiguration.class))
                .withPropertyValues("spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + db.user(),
                        "spring.datasource.password=" + db.password());
    }

    @Test
    void besideFlywayQuerkRunsAfterItWithTheHistoriesSideBySide(TestDatabase db) throws Exception {
        runner(db).withUserConfiguration(WeightMigration.class)
                .withPropertyValues("spring.flyway.locations=classpath:io/querk/spring/boot/flyway")
                .run(ctx -> assertThat(ctx).hasNotFailed());
        assertThat(count(db, "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM querk_history WHERE migration_id = '2026-12-09.crates-weight'"
                + " AND status = 'applied'")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'crates'"
                + " AND column_name = 'weight_g'")).isEqualTo(1);
    }

    @Test
    void aDatabaseFlywayManagedIsAdoptedThroughProperties(TestDatabase db) throws Exception {
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("classpath:io/querk/spring/boot/flyway").load().migrate();
        // The application now migrates with Querk: Flyway is switched off, its files are Querk's.
        runner(db).withPropertyValues("spring.flyway.enabled=false",
                        "querk.locations=classpath:io/querk/spring/boot/adopt", "querk.baseline=flyway")
                .run(ctx -> assertThat(ctx).hasNotFailed());
        assertThat(count(db, "SELECT count(*) FROM querk_history WHERE migration_id = '1' AND run_by LIKE"
                + " 'baseline from flyway_schema_history%'")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM querk_history_step WHERE migration_id = '1'")).isZero();
        assertThat(count(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE c.relname = 'crates_label_idx' AND i.indisvalid")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM flyway_schema_history")).isEqualTo(1);
    }

    private static long count(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
