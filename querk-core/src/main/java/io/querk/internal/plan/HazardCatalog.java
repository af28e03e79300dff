package io.querk.internal.plan;

import io.querk.plan.Severity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every hazard code the planner can report, with its severity and what it means in a line.
 * The single list the overrides are checked against and the hazard reference is generated from.
 */
public final class HazardCatalog {

    /**
     * One hazard code.
     *
     * @param code     the stable code
     * @param severity how bad
     * @param summary  what it means, in a line
     * @param checkedAt {@code build} when {@code Migration.Builder.build()} can refuse it (it holds
     *                 whatever the server), {@code plan} when only the plan can (it depends on the
     *                 server version or on the live table)
     */
    public record Entry(String code, Severity severity, String summary, String checkedAt) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        danger("index-not-concurrent", "CREATE INDEX without CONCURRENTLY on an existing table blocks its writes"
                + " for the whole build.");
        danger("drop-index-not-concurrent", "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table.");
        danger("constraint-validates-under-lock", "A CHECK or FOREIGN KEY added without NOT VALID checks every row"
                + " under a lock that blocks writes (or reads and writes).");
        danger("unique-under-lock", "UNIQUE or PRIMARY KEY added without USING INDEX builds its index under"
                + " ACCESS EXCLUSIVE.");
        danger("exclude-under-lock", "An EXCLUDE constraint on an existing table builds its index under ACCESS"
                + " EXCLUSIVE; PostgreSQL has no concurrent form.");
        plan("type-change-rewrite", Severity.DANGER, "ALTER COLUMN TYPE that is not binary-coercible rewrites the"
                + " table under ACCESS EXCLUSIVE.");
        danger("volatile-default", "ADD COLUMN with a volatile default (random(), gen_random_uuid(), serial,"
                + " identity) rewrites the table.");
        danger("stored-generated-column", "ADD COLUMN ... GENERATED ... STORED rewrites the table.");
        plan("set-not-null-scan", Severity.DANGER, "SET NOT NULL without a validated CHECK (column IS NOT NULL)"
                + " scans the table under ACCESS EXCLUSIVE.");
        danger("vacuum-full", "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE.");
        danger("cluster", "CLUSTER rewrites the table under ACCESS EXCLUSIVE.");
        danger("table-rewrite", "A form of ALTER TABLE that copies the table (SET TABLESPACE, SET LOGGED,"
                + " SET ACCESS METHOD ...) under ACCESS EXCLUSIVE.");
        danger("reindex-not-concurrent", "REINDEX without CONCURRENTLY blocks writes for the whole rebuild.");
        danger("lock-table", "An explicit LOCK TABLE in a step.");
        danger("truncate", "TRUNCATE removes every row under ACCESS EXCLUSIVE.");
        danger("refresh-matview-blocking", "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks reads of the view.");
        danger("transaction-control", "BEGIN, COMMIT, ROLLBACK or SAVEPOINT inside a raw step.");
        danger("drop-in-expand", "A DROP in the expand phase breaks the old application version still running.");
        danger("rename-in-expand", "A RENAME in the expand phase breaks the old application version still running.");
        plan("unsupported-on-version", Severity.DANGER, "Syntax or a function the target server version lacks.");
        plan("broken-sql", Severity.DANGER, "An expression, default, predicate or type of a step does not compile"
                + " against the live table: the server's own message says why.");
        plan("precondition", Severity.DANGER, "A fact a step needs does not hold in the live database (a column to"
                + " rename is missing, or carries a constraint the step cannot move).");
        plan("checked-before-step", Severity.INFO, "The step's SQL is compiled against the live table just before"
                + " it runs, because an earlier pending step changes that table first.");
        danger("add-not-null-column-without-default", "ADD COLUMN ... NOT NULL without a default fails on a"
                + " table with rows.");
        plan("missing-if-not-exists", Severity.WARNING, "A statement that cannot run in a transaction lacks IF NOT"
                + " EXISTS, so a retry after an interruption fails.");
        plan("missing-if-exists", Severity.WARNING, "A DROP that cannot run in a transaction lacks IF EXISTS, so a"
                + " retry after an interruption fails.");
        plan("may-rewrite", Severity.WARNING, "Without the live table Querk cannot tell whether a type change or"
                + " default rewrites the table.");
        plan("may-scan", Severity.WARNING, "Without the live table Querk cannot tell whether making a column NOT"
                + " NULL scans the table.");
        plan("unbatched-update", Severity.WARNING, "UPDATE or DELETE of a whole table in one transaction.");
        plan("unrecognized-statement", Severity.WARNING, "A statement Querk cannot read; it assumes ACCESS"
                + " EXCLUSIVE on any table named.");
        plan("newer-server", Severity.WARNING, "The server is newer than the versions Querk knows; the plan"
                + " assumes the newest it knows.");
        plan("weak-lock", Severity.INFO, "SHARE UPDATE EXCLUSIVE only: reads and writes continue, but other DDL"
                + " and VACUUM wait (and CONCURRENTLY waits for older transactions).");
        plan("irreversible", Severity.INFO, "The step removes data or schema; no later step can bring it back.");
    }

    /**
     * What to write instead in a SQL file, per hazard: the typed steps' advice names DSL calls, which a
     * SQL file cannot make. Only hazards a SQL file can fix in SQL are listed; the rewrites Querk makes
     * by itself (a plain CREATE INDEX, ADD CONSTRAINT without NOT VALID, SET NOT NULL) need none.
     */
    private static final Map<String, String> SQL_FILE_ADVICE = Map.ofEntries(
            Map.entry("volatile-default", "add the column without the default, give new rows the default with"
                    + " ALTER TABLE <table> ALTER COLUMN <column> SET DEFAULT <expression>, and fill the existing rows"
                    + " in the backfill section, which Querk runs in batches: -- querk:backfill, then"
                    + " UPDATE <table> SET <column> = <expression> WHERE <column> IS NULL; make it NOT NULL in the"
                    + " contract section (ALTER TABLE <table> ALTER COLUMN <column> SET NOT NULL, run through a"
                    + " validated check)."),
            Map.entry("stored-generated-column", "add a plain column, keep it filled by a trigger and fill the existing"
                    + " rows in the backfill section (-- querk:backfill, then UPDATE <table> SET <column> = <expression>);"
                    + " on PostgreSQL 18 a VIRTUAL generated column is catalog only."),
            Map.entry("type-change-rewrite", "add a column of the new type in expand, fill it in the backfill section"
                    + " (UPDATE <table> SET <new> = <old>::<type>), keep writes in step with a trigger, and swap the"
                    + " columns in contract; or write this migration in Java with changeColumnType(...), which does all"
                    + " of that."),
            Map.entry("index-not-concurrent", "name the index and write CREATE INDEX <name> ON <table> (...): Querk then"
                    + " builds it CONCURRENTLY; ONLY, TABLESPACE, WITH (...) and NULLS NOT DISTINCT keep it as written."),
            Map.entry("drop-index-not-concurrent", "move it to the contract section as DROP INDEX CONCURRENTLY IF EXISTS"
                    + " <index>, alone in its statement."),
            Map.entry("constraint-validates-under-lock", "name the constraint and add one constraint per ALTER TABLE"
                    + " (ALTER TABLE <table> ADD CONSTRAINT <name> CHECK (...) or FOREIGN KEY (...) REFERENCES ...):"
                    + " Querk then adds it NOT VALID and validates it; or write NOT VALID yourself and"
                    + " ALTER TABLE <table> VALIDATE CONSTRAINT <name> in a later statement."),
            Map.entry("set-not-null-scan", "make it one ALTER TABLE <table> ALTER COLUMN <column> SET NOT NULL of its own:"
                    + " Querk then runs it through a validated check."),
            Map.entry("unique-under-lock", "build the index first (CREATE UNIQUE INDEX <name> ON <table> (...), which"
                    + " Querk runs CONCURRENTLY), then ALTER TABLE <table> ADD CONSTRAINT <name> UNIQUE USING INDEX <name>."),
            Map.entry("drop-in-expand", "move the statement below a -- querk:contract marker: contract runs once the old"
                    + " application version is gone."),
            Map.entry("rename-in-expand", "add the new name alongside the old one in expand (a new column filled in the"
                    + " backfill section, a view under the new name) and remove the old one below -- querk:contract."),
            Map.entry("transaction-control", "remove it: Querk runs a file's statements in transactions of its own;"
                    + " statements that must commit apart go in separate files."),
            Map.entry("add-not-null-column-without-default", "add the column nullable, fill it in the backfill section"
                    + " (-- querk:backfill, UPDATE <table> SET <column> = ...), and make it NOT NULL below"
                    + " -- querk:contract."),
            Map.entry("truncate", "delete the rows in the backfill section in batches, or drop the table below"
                    + " -- querk:contract once nothing uses it."));

    /**
     * @param code a hazard code
     * @return what to write instead in a SQL file, if the hazard has SQL-file advice
     */
    public static java.util.Optional<String> sqlFileAdvice(String code) {
        return java.util.Optional.ofNullable(SQL_FILE_ADVICE.get(code));
    }

    private static void danger(String code, String summary) {
        ENTRIES.put(code, new Entry(code, Severity.DANGER, summary, "build"));
    }

    private static void plan(String code, Severity severity, String summary) {
        ENTRIES.put(code, new Entry(code, severity, summary, "plan"));
    }

    private HazardCatalog() {
    }

    /** @return every code, in the order of the reference */
    public static List<Entry> entries() {
        return List.copyOf(ENTRIES.values());
    }

    /** @return every known code */
    public static Set<String> codes() {
        return Set.copyOf(ENTRIES.keySet());
    }

    /** @return true if the build of a migration can refuse this code: it does not depend on the server or the data */
    public static boolean refusedAtBuild(String code) {
        Entry e = ENTRIES.get(code);
        return e != null && e.severity() == Severity.DANGER && e.checkedAt().equals("build");
    }
}
