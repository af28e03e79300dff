package io.querk.jdbc.support;

import io.querk.migration.Migration;

import java.time.Duration;
import java.util.List;

/**
 * Migrations shared by a test and the child JVMs it starts, so that both run exactly the same
 * definitions.
 */
public final class Scenarios {

    private Scenarios() {
    }

    /** Table {@code items} with {@code rows} rows and a log table that raw SQL steps append to. */
    public static String[] seed(int rows) {
        return new String[] {
                "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0, name text NOT NULL, code text)",
                "INSERT INTO items SELECT g, 0, 'item ' || g, NULL FROM generate_series(1, " + rows + ") g",
                "CREATE TABLE applied_log (step text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())",
                "ANALYZE items"
        };
    }

    /** Batch size of {@link #backfillOnly}: small, so a kill lands between and inside many batches. */
    public static final int BACKFILL_BATCH = 300;

    /**
     * One non-idempotent backfill over a composite-keyed table, walked by two workers:
     * {@code n = n + 1} on every row of {@code ledger}, which {@link #seedLedger} creates.
     */
    public static List<Migration> backfillOnly(Duration pause) {
        return List.of(Migration.define("2026-11-05.ledger-increment")
                .backfill(b -> b.table("ledger").set("n", "n + 1").batchSize(BACKFILL_BATCH).pause(pause).workers(2))
                .build());
    }

    /** Table {@code ledger} keyed by (account text, seq int), with gaps in seq. */
    public static String[] seedLedger(int accounts, int perAccount) {
        return new String[] {
                "CREATE TABLE ledger (account text NOT NULL, seq int NOT NULL, n int NOT NULL DEFAULT 0,"
                        + " PRIMARY KEY (account, seq))",
                "INSERT INTO ledger SELECT 'acct-' || a, s * 3, 0 FROM generate_series(1, " + accounts + ") a,"
                        + " generate_series(1, " + perAccount + ") s",
                "ANALYZE ledger"
        };
    }

    /**
     * Several phases with every kind of resumable work: catalog changes, concurrent index builds,
     * validations, raw SQL with a visible side effect, and a non-idempotent backfill (n = n + 1).
     *
     * @param pause the backfill's pause, to make it long enough to be interrupted
     */
    public static List<Migration> workload(Duration pause) {
        return List.of(
                Migration.define("2026-11-01.items-code")
                        .expand(e -> e
                                .addColumn("items", "category", "text", c -> c.derivedFrom("'c' || (id % 10)"))
                                .sql("INSERT INTO applied_log (step) VALUES ('m1 sql')")
                                .createIndex("items_name_idx", "items", "name")
                                .addCheck("items", "items_n_check", "n >= 0")
                                .createIndex("items_category_idx", "items", "category"))
                        .backfill(b -> b.table("items").set("n", "n + 1").batchSize(500).pause(pause))
                        .contract(c -> c.setNotNull("items", "category"))
                        .build(),
                Migration.define("2026-11-02.items-more")
                        .expand(e -> e
                                .createIndex("items_n_idx", "items", "n")
                                .sql("INSERT INTO applied_log (step) VALUES ('m2 sql')")
                                .addColumn("items", "weight", "int", c -> c.notNull().defaultValue("0"))
                                .createUniqueIndex("items_name_key", "items", "name"))
                        .contract(c -> c.dropColumn("items", "code"))
                        .build());
    }
}
