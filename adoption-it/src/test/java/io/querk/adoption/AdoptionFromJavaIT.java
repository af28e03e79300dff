package io.querk.adoption;

import io.querk.QuerkException;
import io.querk.jdbc.Baseline;
import io.querk.jdbc.ChecksumMismatchException;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.PhaseState;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.Migration;
import io.querk.migration.SqlMigrations;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;
import liquibase.resource.DirectoryResourceAccessor;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Adoption through the Java API, against histories the real tools wrote: Flyway 13's
 * {@code flyway_schema_history} (applied files, a baseline row, a failed migration) and Liquibase
 * 4.33's {@code databasechangelog} (executed changesets, its lock); and Querk beside each of them
 * with the two histories side by side.
 */
@ExtendWith(PostgresExtension.class)
class AdoptionFromJavaIT {

    private static Querk querk(TestDatabase db, List<Migration> migrations, Baseline baseline) {
        QuerkConfig.Builder b = QuerkConfig.custom().dataSource(db.dataSource()).migrations(migrations);
        if (baseline != null) {
            b.baseline(baseline);
        }
        return Querk.create(b.build());
    }

    @Test
    void whatFlywayAppliedIsTheBaselineAndOnlyNewerFilesRun(TestDatabase db) throws Exception {
        Shop shop = Shop.copy("java-flyway");
        shop.migrateWithFlyway(db);
        shop.add("V21__orders_placed_at_index.sql");
        shop.add("V22__orders_tracking_token.fixed.sql");
        List<Migration> all = SqlMigrations.fromDirectory(shop.migrations);
        assertEquals(22, all.size());

        Querk q = querk(db, all, Baseline.flyway());
        assertEquals(List.of("21", "22"), q.plan().phases().stream().map(p -> p.migrationId()).distinct().toList(),
                "the plan leaves out what Flyway applied");
        MigrationReport r = q.migrate();
        assertEquals(List.of("21", "22"), r.applied().stream().map(s -> s.step().migrationId()).distinct().toList());
        assertTrue(q.migrate().nothingPending());
        assertTrue(q.status().stream().allMatch(s -> s.status() == PhaseState.Status.APPLIED), q.status().toString());
        assertEquals(20, Shop.count(db, "SELECT count(*) FROM flyway_schema_history"), "Flyway's history is only read");

        // An applied file edited afterwards is refused, naming the file and the repair path.
        Path v5 = shop.migrations.resolve("V5__orders_customer_index.sql");
        Files.writeString(v5, "CREATE INDEX orders_customer_id_idx ON orders (customer_id, status);");
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                () -> querk(db, SqlMigrations.fromDirectory(shop.migrations), Baseline.flyway()).migrate());
        assertTrue(e.getMessage().contains("'5' expand (file V5__orders_customer_index.sql)")
                && e.getMessage().contains("querk repair 5"), e.getMessage());
    }

    @Test
    void aNewEmptyDatabaseGetsEveryFileFromQuerkAlone(TestDatabase db) throws Exception {
        Shop shop = Shop.copy("java-fresh");
        shop.add("V21__orders_placed_at_index.sql");
        shop.add("V22__orders_tracking_token.fixed.sql");
        shop.add("V23__drop_orders_notes.sql");
        // A developer's or a test's database: no Flyway history, so nothing is the baseline and all 23 run.
        Querk q = querk(db, SqlMigrations.fromDirectory(shop.migrations), Baseline.flyway());
        assertFalse(q.plan().refused(), q.plan().toText());
        MigrationReport r = q.migrateAllPhases();
        assertEquals(23, r.applied().stream().map(s -> s.step().migrationId()).distinct().count());
        assertEquals(List.of("customer_id", "id", "placed_at", "shipping_address_id", "status", "total_cents",
                        "tracking_token"),
                Shop.strings(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders'"
                        + " ORDER BY 1"));
        assertEquals(3, Shop.count(db, "SELECT count(*) FROM products"), "V20's seed rows");
    }

    @Test
    void aFlywayBaselineRowCoversEveryVersionUpToIt(TestDatabase db) throws Exception {
        Shop shop = Shop.copy("java-flyway-baseline");
        Path only = Files.createDirectories(shop.dir.resolve("first-five"));
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (int v = 1; v <= 5; v++) {
                Path f = only(shop.migrations, v);
                s.execute(Files.readString(f)); // the schema as someone made it before Flyway
                Files.copy(f, only.resolve(f.getFileName()));
            }
        }
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).baselineVersion("5").load().baseline();
        for (int v = 6; v <= 8; v++) {
            Path f = only(shop.migrations, v);
            Files.copy(f, only.resolve(f.getFileName()));
        }
        MigrationReport r = querk(db, SqlMigrations.fromDirectory(only), Baseline.flyway()).migrate();
        assertEquals(List.of("6", "7", "8"), r.applied().stream().map(s -> s.step().migrationId()).distinct().toList());
    }

    private static Path only(Path dir, int version) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("V" + version + "__")).findFirst().orElseThrow();
        }
    }

    @Test
    void aFailedFlywayMigrationIsRefusedBeforeAnythingRuns(TestDatabase db) throws Exception {
        Shop shop = Shop.copy("java-flyway-failed");
        shop.migrateWithFlyway(db);
        // On PostgreSQL Flyway rolls a failed migration back and records nothing; on a server without
        // transactional DDL (or after a crash mid-file) it leaves success = false. That row, on V20:
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("UPDATE flyway_schema_history SET success = false WHERE version = '20'");
        }
        QuerkException e = assertThrows(QuerkException.class,
                () -> querk(db, SqlMigrations.fromDirectory(shop.migrations), Baseline.flyway()).migrate());
        assertTrue(e.getMessage().contains("records Flyway's migration 20") && e.getMessage().contains("flyway repair"),
                e.getMessage());
        assertEquals(0, Shop.count(db, "SELECT count(*) FROM pg_class WHERE relname = 'querk_history'"),
                "nothing was created");
    }

    @Test
    void besideFlywayEachToolKeepsItsOwnHistory(TestDatabase db) throws Exception {
        Shop shop = Shop.copy("java-flyway-beside");
        shop.migrateWithFlyway(db); // Flyway first, as the documented order says
        Migration tracking = Migration.define("2026-12-01.orders-tracking")
                .expand(e -> e.addColumn("orders", "tracking_token", "uuid")
                        .createIndex("orders_tracking_idx", "orders", "tracking_token"))
                .build();
        querk(db, List.of(tracking), null).migrate();
        Files.writeString(shop.migrations.resolve("V21__customers_vip.sql"), "ALTER TABLE customers ADD COLUMN vip boolean;");
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).locations("filesystem:" + shop.migrations)
                .load().migrate();
        assertTrue(querk(db, List.of(tracking), null).migrate().nothingPending());
        assertEquals(21, Shop.count(db, "SELECT count(*) FROM flyway_schema_history WHERE success"));
        assertEquals(List.of("2026-12-01.orders-tracking"), Shop.strings(db, "SELECT DISTINCT migration_id FROM querk_history"));
    }

    @Test
    void whatLiquibaseExecutedIsTheBaseline(TestDatabase db) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "liquibase-shop").toAbsolutePath());
        Files.writeString(dir.resolve("changelog.sql"), """
                --liquibase formatted sql
                --changeset shop:1
                CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL);
                --changeset shop:2
                CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id));
                """);
        try (Connection c = db.connect()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            new Liquibase("changelog.sql", new DirectoryResourceAccessor(dir), database).update(new Contexts(),
                    new LabelExpression());
        }
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO customers (email) SELECT 'c' || g FROM generate_series(1, 100) g");
        }
        // The team moved its changelog into Querk SQL files, one per changeset, under the changeset's id.
        List<Migration> files = new ArrayList<>();
        files.add(SqlMigrations.parse("V1__customers.sql", "CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL);"));
        files.add(SqlMigrations.parse("V2__orders.sql", "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id));"));
        files.add(SqlMigrations.parse("V3__customers_email.sql", "CREATE UNIQUE INDEX customers_email_idx ON customers (email);"));

        // While Liquibase holds its lock (a run of it in progress), Querk refuses and changes nothing.
        try (Connection c = db.connect()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            LockService lock = LockServiceFactory.getInstance().getLockService(database);
            lock.waitForLock();
            try {
                QuerkException e = assertThrows(QuerkException.class, () -> querk(db, files, Baseline.liquibase()).migrate());
                assertTrue(e.getMessage().contains("Liquibase holds its lock"), e.getMessage());
            } finally {
                lock.releaseLock();
            }
        }
        MigrationReport r = querk(db, files, Baseline.liquibase()).migrate();
        assertEquals(List.of("3"), r.applied().stream().map(s -> s.step().migrationId()).distinct().toList());
        assertEquals(1, Shop.count(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE c.relname = 'customers_email_idx' AND i.indisvalid AND i.indisunique"));
        assertEquals(2, Shop.count(db, "SELECT count(*) FROM databasechangelog"), "Liquibase's history is only read");
        assertFalse(Shop.strings(db, "SELECT run_by FROM querk_history WHERE migration_id = '1'").isEmpty());
    }
}
