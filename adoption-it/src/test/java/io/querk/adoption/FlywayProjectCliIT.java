package io.querk.adoption;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13's "Done when" from a shell, with the querk command (one runnable jar) instead of Maven:
 * the same Flyway project, the same three files; check exits 1 naming the fix, plan writes the
 * Markdown review with CONCURRENTLY, and after the fix migrate applies only the new files, its
 * report and the status in JSON for tools.
 */
@ExtendWith(PostgresExtension.class)
class FlywayProjectCliIT {

    @Test
    void theCommandLineDoesTheSameFromAShell(TestDatabase db) throws Exception {
        assertTrue(Files.isRegularFile(Shop.CLI), Shop.CLI + " is built by querk-cli's package phase");
        Shop shop = Shop.copy("shop-cli");
        shop.migrateWithFlyway(db);
        shop.addTheThreeNewFiles();

        Shop.Run help = shop.shell("java -jar \"$QUERK_JAR\" migrate --help");
        assertEquals(0, help.exit(), help.out());
        assertTrue(help.out().contains("EXIT STATUS") && help.out().contains("--contract-through"), help.out());

        Shop.Run check = shop.shell("java -jar \"$QUERK_JAR\" check --baseline 20 --server 14,18");
        assertEquals(1, check.exit(), "check exits 1 on a refused step: " + check.out());
        assertTrue(check.out().contains("volatile-default") && check.out().contains("V22__orders_tracking_token.sql:2")
                && check.out().contains("Instead, in the SQL file: add the column without the default")
                && check.out().contains("-- querk:override volatile-default because"), check.out());

        Shop.Run json = shop.shell("java -jar \"$QUERK_JAR\" check --baseline 20 --json");
        assertEquals(1, json.exit(), json.out());
        assertTrue(json.out().strip().startsWith("[") && json.out().contains("\"refused\": true"), json.out());

        Shop.Run plan = shop.shell("java -jar \"$QUERK_JAR\" plan --baseline 20 --format markdown --output target/plan.md");
        assertEquals(0, plan.exit(), plan.out());
        String md = Files.readString(shop.dir.resolve("target/plan.md"));
        assertTrue(md.contains("CREATE INDEX CONCURRENTLY orders_placed_at_idx ON orders (placed_at);"), md);

        shop.add("V22__orders_tracking_token.fixed.sql");
        String connect = " --url '" + db.jdbcUrl() + "' --user '" + db.user() + "'";
        Shop.Run migrate = shop.shell("QUERK_PASSWORD='" + db.password() + "' java -jar \"$QUERK_JAR\" migrate"
                + connect + " --baseline flyway --json");
        assertEquals(0, migrate.exit(), migrate.out());
        String report = migrate.out().substring(migrate.out().indexOf('{'));
        assertTrue(report.contains("\"format\": \"querk-run/1\"") && report.contains("\"pendingContracts\": [\n    \"23\""),
                report);
        assertTrue(report.contains("\"migration\": \"21\"") && report.contains("\"migration\": \"22\""), report);
        assertEquals(List.of("21", "22"), Shop.strings(db, "SELECT DISTINCT migration_id FROM querk_history_step ORDER BY 1"));
        assertEquals(20, Shop.count(db, "SELECT count(*) FROM flyway_schema_history WHERE success"));
        assertEquals(0, Shop.count(db, "SELECT count(*) FROM orders WHERE tracking_token IS NULL"));

        Shop.Run status = shop.shell("QUERK_PASSWORD='" + db.password() + "' java -jar \"$QUERK_JAR\" status" + connect
                + " --baseline flyway --json");
        assertEquals(0, status.exit(), status.out());
        assertTrue(status.out().contains("\"format\": \"querk-status/1\""), status.out());

        // Releasing the contract runs the drop; a second migrate has nothing left to do.
        Shop.Run release = shop.shell("QUERK_PASSWORD='" + db.password() + "' java -jar \"$QUERK_JAR\" migrate" + connect
                + " --baseline flyway --contract-through 23");
        assertEquals(0, release.exit(), release.out());
        assertEquals(0, Shop.count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders'"
                + " AND column_name = 'notes'"));

        // A wrong option is a usage error (2); a database that cannot be reached is 4.
        assertEquals(2, shop.shell("java -jar \"$QUERK_JAR\" migrate --no-such-option").exit());
        Shop.Run down = shop.shell("java -jar \"$QUERK_JAR\" status --url jdbc:postgresql://127.0.0.1:1/x --json");
        assertEquals(4, down.exit(), down.out());
        assertTrue(down.out().contains("\"format\": \"querk-error/1\""), down.out());
    }
}
