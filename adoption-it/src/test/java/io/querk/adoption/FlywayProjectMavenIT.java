package io.querk.adoption;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13's "Done when", through Maven: a copy of a Flyway project with 20 migrations applied by
 * Flyway adopts Querk and adds three SQL files (a plain CREATE INDEX, a volatile-default column, a
 * drop in contract). {@code mvn querk:check} fails on the volatile default naming the fix;
 * {@code mvn querk:plan} writes a Markdown review showing the index built CONCURRENTLY; after the fix
 * {@code mvn querk:migrate} applies only the new files, under the lock guard (a session holding the
 * table makes it give up and retry rather than queue the application behind it). Three child builds:
 * plan and check; check, migrate and status; review and abort.
 */
@ExtendWith(PostgresExtension.class)
class FlywayProjectMavenIT {

    @Test
    void aFlywayProjectAdoptsQuerkThroughTheMavenPlugin(TestDatabase db) throws Exception {
        Shop shop = Shop.copy("shop-maven");
        shop.migrateWithFlyway(db);
        shop.addTheThreeNewFiles();

        // 1. plan writes the review, then check fails on the volatile default, naming the fix and the override.
        Shop.Run first = shop.mvn("querk:plan", "querk:check");
        assertNotEquals(0, first.exit(), "check must fail on the volatile default: " + first.tail());
        String out = first.out();
        assertTrue(out.contains("volatile-default") && out.contains("V22__orders_tracking_token.sql:2"), first.tail());
        assertTrue(out.contains("Instead, in the SQL file: add the column without the default"), first.tail());
        assertTrue(out.contains("-- querk:override volatile-default because"), first.tail());
        assertTrue(out.contains("planned 3 steps on PostgreSQL 14, 18"), "V1..V20 are the baseline: " + first.tail());
        String md = Files.readString(shop.dir.resolve("target/querk/plan.md"));
        assertTrue(md.contains("CREATE INDEX CONCURRENTLY orders_placed_at_idx ON orders (placed_at);"), md);
        assertTrue(md.contains("Rewritten from `CREATE INDEX orders_placed_at_idx ON orders (placed_at)`"), md);
        assertTrue(md.contains("**1 step REFUSED**"), md);
        assertTrue(Files.readString(shop.dir.resolve("target/querk/plan.json")).contains("\"format\": \"querk-plan/1\""));

        // 2. The fix; check passes, and migrate runs only V21..V23 while a session holds orders.
        shop.add("V22__orders_tracking_token.fixed.sql");
        CompletableFuture<Void> blocker = holdOrdersUntilQuerkWaits(db);
        Shop.Run second = shop.mvn("querk:check", "querk:migrate", "querk:status", "-Dquerk.url=" + db.jdbcUrl(),
                "-Dquerk.user=" + db.user(), "-Dquerk.password=" + db.password(), "-Dquerk.baseline=flyway");
        blocker.get(1, TimeUnit.MINUTES);
        assertEquals(0, second.exit(), second.tail());
        assertTrue(second.out().contains("adopted 20 migration(s) already applied (1 .. 20) as the baseline from"
                + " flyway_schema_history"), second.tail());
        assertTrue(second.out().contains("Contract waits for a release: 23"), second.tail());

        // Only the new files ran: Flyway's history is as it was, Querk's holds V1..V20 as the baseline.
        assertEquals(20, Shop.count(db, "SELECT count(*) FROM flyway_schema_history WHERE success"));
        assertEquals(List.of("21", "22"), Shop.strings(db, "SELECT DISTINCT migration_id FROM querk_history_step"
                + " ORDER BY 1"));
        assertEquals(20, Shop.count(db, "SELECT count(*) FROM querk_history WHERE run_by LIKE 'baseline from"
                + " flyway_schema_history%' AND status = 'applied'"));
        assertEquals(1, Shop.count(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE c.relname = 'orders_placed_at_idx' AND i.indisvalid"));
        assertEquals(0, Shop.count(db, "SELECT count(*) FROM orders WHERE tracking_token IS NULL"));
        assertEquals(1, Shop.count(db, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders'"
                + " AND column_name = 'notes'"), "the drop is a contract: it waits for a release");
        // The guard: the ALTER gave up on its lock and was retried, instead of waiting behind the session.
        long attempts = Shop.count(db, "SELECT attempts FROM querk_history_step WHERE migration_id = '22'"
                + " AND phase = 'expand'");
        assertTrue(attempts >= 2, "expand of 22 retried after a lock timeout (attempts " + attempts + "): " + second.tail());
        assertTrue(java.util.regex.Pattern.compile("(?m)\\b23\\s+contract\\s+pending").matcher(second.out()).find(),
                "status: " + second.tail());

        // 3. review and abort: the review reads, the abort undoes V21's index.
        Shop.Run third = shop.mvn("querk:review", "querk:abort", "-Dquerk.url=" + db.jdbcUrl(),
                "-Dquerk.user=" + db.user(), "-Dquerk.password=" + db.password(), "-Dquerk.baseline=flyway",
                "-Dquerk.migration=21", "-Dquerk.query=SELECT id FROM orders WHERE customer_id = 7 ORDER BY placed_at DESC LIMIT 5");
        assertEquals(0, third.exit(), third.tail());
        assertTrue(third.out().contains("Query review on PostgreSQL"), third.tail());
        assertTrue(Files.readString(shop.dir.resolve("target/querk/review.md")).contains("### Query review"));
        assertTrue(third.out().contains("Aborted 21"), third.tail());
        assertEquals(0, Shop.count(db, "SELECT count(*) FROM pg_class WHERE relname = 'orders_placed_at_idx'"));
        assertFalse(third.out().contains("[ERROR]"), third.tail());
    }

    /**
     * Holds ACCESS SHARE on orders in an open transaction (a session left idle in one) until a Querk session
     * has waited for a lock on it and given up, then lets go.
     */
    private static CompletableFuture<Void> holdOrdersUntilQuerkWaits(TestDatabase db) throws Exception {
        Connection holder = db.connect();
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement()) {
            // A lock and no snapshot: CREATE INDEX CONCURRENTLY does not wait for this transaction, an ALTER does.
            s.execute("LOCK TABLE orders IN ACCESS SHARE MODE");
        }
        return CompletableFuture.runAsync(() -> {
            try (holder; Connection watch = db.connect(); Statement w = watch.createStatement()) {
                long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
                boolean waited = false;
                while (System.nanoTime() < deadline) {
                    var rs = w.executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                            + " WHERE NOT l.granted AND l.locktype = 'relation' AND l.relation = 'orders'::regclass"
                            + " AND a.application_name LIKE 'querk%'");
                    rs.next();
                    boolean waiting = rs.getLong(1) > 0;
                    if (waited && !waiting) {
                        break; // the waiting attempt gave up at its lock timeout: the guard did its part
                    }
                    waited |= waiting;
                    Thread.sleep(20);
                }
                holder.rollback();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
