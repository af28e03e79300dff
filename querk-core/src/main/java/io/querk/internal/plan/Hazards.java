package io.querk.internal.plan;

import io.querk.plan.Hazard;
import io.querk.plan.LockMode;

import static io.querk.plan.Severity.DANGER;
import static io.querk.plan.Severity.INFO;
import static io.querk.plan.Severity.WARNING;

/**
 * Every hazard the raw-SQL analyzer reports, with its stable code, what it does to a running
 * application and what to write instead. Kept in one place so that the wording stays
 * consistent and the codes cannot drift apart from their documentation.
 */
final class Hazards {

    private Hazards() {
    }

    // --- DANGER ---------------------------------------------------------------------------

    /** @param index the index's catalog name, or null if the statement does not name it */
    static Hazard indexNotConcurrent(SqlName table, String index) {
        return new Hazard("index-not-concurrent", DANGER,
                "CREATE INDEX without CONCURRENTLY holds SHARE on " + table + " for the whole build: every INSERT,"
                        + " UPDATE and DELETE on " + table + " waits until the index is built, which takes"
                        + " longer the bigger the table.",
                "createIndex(\"" + (index == null ? "<name>" : index) + "\", \"" + dsl(table) + "\", ...), which"
                        + " builds it CONCURRENTLY outside a transaction; in SQL: CREATE INDEX CONCURRENTLY IF NOT"
                        + " EXISTS ... in a step of its own.");
    }

    static Hazard dropIndexNotConcurrent(SqlName index) {
        return new Hazard("drop-index-not-concurrent", DANGER,
                "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table of " + index
                        + ": its reads and writes queue behind the drop, and behind every query the drop waits for.",
                "dropIndex(\"" + dsl(index) + "\") in contract, which renders DROP INDEX CONCURRENTLY IF EXISTS.");
    }

    /**
     * @param what       the part of the statement, e.g. {@code ADD CONSTRAINT t_d_check CHECK}
     * @param constraint the constraint's catalog name, or null if unnamed
     */
    static Hazard checkUnderLock(SqlName table, String what, String constraint) {
        return new Hazard("constraint-validates-under-lock", DANGER,
                what + " without NOT VALID checks every existing row while holding ACCESS EXCLUSIVE on " + table
                        + ": all reads and writes wait for the whole scan.",
                "addCheck(\"" + dsl(table) + "\", \"" + (constraint == null ? "<name>" : constraint) + "\", ...),"
                        + " which adds it NOT VALID and then runs VALIDATE CONSTRAINT under SHARE UPDATE EXCLUSIVE;"
                        + " in SQL: ... NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT in a later statement.");
    }

    /**
     * @param what       the part of the statement, e.g. {@code ADD CONSTRAINT child_fk FOREIGN KEY}
     * @param constraint the constraint's catalog name, or null if unnamed
     */
    static Hazard foreignKeyUnderLock(SqlName table, SqlName referenced, String what, String constraint) {
        return new Hazard("constraint-validates-under-lock", DANGER,
                what + " without NOT VALID checks every row of " + table + " while holding SHARE ROW EXCLUSIVE on "
                        + table + " and " + referenced + ": writes to both wait for the whole scan.",
                "addForeignKey(\"" + dsl(table) + "\", \"" + (constraint == null ? "<name>" : constraint) + "\", ...),"
                        + " which adds it NOT VALID and then runs VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE, ROW"
                        + " SHARE on " + referenced + ").");
    }

    static Hazard uniqueUnderLock(SqlName table, String what) {
        return new Hazard("unique-under-lock", DANGER,
                what + " builds its unique index while holding ACCESS EXCLUSIVE on " + table
                        + ": all reads and writes wait for the whole build.",
                "addUnique(...) or addPrimaryKey(...): the index is built CONCURRENTLY, then attached with"
                        + " ADD CONSTRAINT ... USING INDEX, which is catalog only.");
    }

    static Hazard excludeUnderLock(SqlName table) {
        return new Hazard("exclude-under-lock", DANGER,
                "ADD CONSTRAINT ... EXCLUDE builds its index while holding ACCESS EXCLUSIVE on " + table
                        + ": all reads and writes wait for the whole build, and PostgreSQL has no concurrent form.",
                "declare the exclusion constraint in the CREATE TABLE of a new table (a sql(...) step: an"
                        + " empty table costs nothing to index), or accept the outage in a maintenance window and"
                        + " override this hazard with a reason.");
    }

    static Hazard typeChangeRewrite(SqlName table, String column, String from, String to) {
        String was = from == null ? "" : " from " + from;
        return new Hazard("type-change-rewrite", DANGER,
                "ALTER COLUMN " + column + " TYPE " + to + was + " rewrites " + table + " and rebuilds its indexes"
                        + " under ACCESS EXCLUSIVE: all reads and writes wait for the whole rewrite"
                        + (from == null ? " (unless the column already has exactly this type)." : "."),
                "changeColumnType(\"" + dsl(table) + "\", \"" + column + "\", \"" + to + "\"): a shadow column kept in"
                        + " sync by a trigger, a batched backfill and a short swap in contract.");
    }

    static Hazard volatileDefault(SqlName table, String column, String what) {
        return new Hazard("volatile-default", DANGER,
                "ADD COLUMN " + column + " with " + what + " computes a value for every existing row: PostgreSQL"
                        + " rewrites " + table + " under ACCESS EXCLUSIVE, blocking reads and writes for the whole"
                        + " rewrite.",
                "addColumn(\"" + dsl(table) + "\", \"" + column + "\", type, c -> c.volatileDefault(...)), which adds the"
                        + " column, sets the default for new rows and fills existing rows in batches; for identity"
                        + " or serial, add the column nullable, backfill it, then attach the sequence.");
    }

    static Hazard storedGeneratedColumn(SqlName table, String column) {
        return new Hazard("stored-generated-column", DANGER,
                "ADD COLUMN " + column + " GENERATED ... STORED computes the column for every existing row:"
                        + " PostgreSQL rewrites " + table + " under ACCESS EXCLUSIVE for the whole rewrite.",
                "addColumn(\"" + dsl(table) + "\", \"" + column + "\", type, c -> c.derivedFrom(expr)): a trigger plus a"
                        + " batched backfill; on PostgreSQL 18 a VIRTUAL generated column is catalog only.");
    }

    static Hazard setNotNullScan(SqlName table, String column) {
        return setNotNullScan(table, column, "");
    }

    static Hazard setNotNullScan(SqlName table, String column, String because) {
        return new Hazard("set-not-null-scan", DANGER,
                "making " + column + " NOT NULL scans every row of " + table + " under ACCESS EXCLUSIVE to prove it"
                        + " holds no NULL: all reads and writes wait for the scan." + because,
                "setNotNull(\"" + dsl(table) + "\", \"" + column + "\"): CHECK (" + column + " IS NOT NULL) NOT VALID,"
                        + " VALIDATE, then SET NOT NULL, which the validated check spares its scan.");
    }

    static Hazard vacuumFull(SqlName table) {
        return new Hazard("vacuum-full", DANGER,
                "VACUUM FULL rewrites " + (table == null ? "every table it processes" : table.written())
                        + " under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite.",
                "plain VACUUM (no lock against reads or writes), or pg_repack / pg_squeeze to reclaim space"
                        + " online.");
    }

    static Hazard cluster(SqlName table) {
        return new Hazard("cluster", DANGER,
                "CLUSTER rewrites " + (table == null ? "every previously clustered table" : table.written())
                        + " in index order under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite.",
                "pg_repack --order-by to reorder online, or accept the outage in a maintenance window.");
    }

    static Hazard tableRewrite(SqlName table, String form) {
        return new Hazard("table-rewrite", DANGER,
                form + " copies " + table + " and its indexes to new files under ACCESS EXCLUSIVE: reads and writes"
                        + " wait for the whole copy.",
                "run it in a maintenance window, or build a new table and switch over with a view or rename"
                        + " (expand, backfill, contract).");
    }

    /** @param kind INDEX, TABLE, SCHEMA, DATABASE or SYSTEM; {@code target} its name as written (may be empty) */
    static Hazard reindexNotConcurrent(String kind, String target) {
        String blocked = switch (kind) {
            case "INDEX" -> "writes to its table and every read that uses the index";
            case "TABLE" -> "writes to " + target;
            default -> "writes to each table it processes, one after the other";
        };
        String instead = kind.equals("SYSTEM")
                ? "system catalogs cannot be reindexed concurrently: run it in a maintenance window."
                : "REINDEX " + kind + " CONCURRENTLY " + target + " in a step of its own.";
        return new Hazard("reindex-not-concurrent", DANGER,
                "REINDEX " + kind + (target.isEmpty() ? "" : " " + target)
                        + " without CONCURRENTLY rebuilds indexes while blocking " + blocked + " for the whole rebuild.",
                instead.replace("  ", " "));
    }

    static Hazard lockTable(SqlName table, LockMode mode) {
        String blocks = mode.blocksReads() ? "all reads and writes" : "all writes";
        return new Hazard("lock-table", DANGER,
                "LOCK TABLE " + table + " IN " + mode.sqlName() + " MODE blocks " + blocks + " on " + table
                        + " until the transaction ends, and queues them while it waits.",
                "drop the explicit lock: Querk's lock guard takes the locks each statement needs with a short"
                        + " lock_timeout; lock rows (SELECT ... FOR UPDATE) if you need to serialise writers.");
    }

    static Hazard truncate(SqlName table) {
        return new Hazard("truncate", DANGER,
                "TRUNCATE " + table + " removes every row at once under ACCESS EXCLUSIVE: the running application"
                        + " loses its data and its reads and writes wait until the transaction ends.",
                "delete rows in batches with a backfill-style step (DELETE ... WHERE id BETWEEN ...), or drop the"
                        + " table in contract once nothing uses it.");
    }

    static Hazard refreshBlocking(SqlName view) {
        return new Hazard("refresh-matview-blocking", DANGER,
                "REFRESH MATERIALIZED VIEW without CONCURRENTLY holds ACCESS EXCLUSIVE on " + view
                        + " while it recomputes it: every read of the view waits for the whole refresh.",
                "REFRESH MATERIALIZED VIEW CONCURRENTLY " + view + " (needs a unique index on the view);"
                        + " reads continue.");
    }

    static Hazard transactionControl(String command) {
        return new Hazard("transaction-control", DANGER,
                command + " inside a raw step fights Querk's transaction handling: Querk runs the step in one"
                        + " transaction that also records its completion, and ending or nesting it by hand lets a crash"
                        + " repeat or half-apply the step.",
                "remove it: Querk runs the step's statements in one transaction (and CONCURRENTLY / VACUUM"
                        + " statements alone); split work that must commit separately into separate sql(...) steps.");
    }

    static Hazard dropInExpand(String what) {
        return new Hazard("drop-in-expand", DANGER,
                what + " in the expand phase removes something the running old version of the application may"
                        + " still use: it breaks as soon as the statement commits.",
                "move it to contract (dropColumn, dropTable, dropIndex, dropConstraint, or sql(...) in"
                        + " contract), which runs once the old version is gone.");
    }

    /** @param instead what to do instead for this kind of object */
    static Hazard renameInExpand(String what, String instead) {
        return new Hazard("rename-in-expand", DANGER,
                what + " in the expand phase renames something the running old version of the application"
                        + " still uses by its old name: its queries fail as soon as the statement commits.",
                instead);
    }

    static final String RENAME_COLUMN_INSTEAD = "renameColumn(table, from, to): a new column kept in sync with the"
            + " old one by a trigger until contract removes the old one.";
    static final String RENAME_TABLE_INSTEAD = "keep the old name working while the old version runs: create a"
            + " view under the new name in expand and do the rename in contract.";
    static final String RENAME_OTHER_INSTEAD = "create the object under its new name alongside the old one in expand"
            + " (an index, a function ...) and drop the old one in contract.";

    static Hazard unsupported(String feature, int since, int serverMajor) {
        return new Hazard("unsupported-on-version", DANGER,
                feature + " needs PostgreSQL " + since + " or later; on PostgreSQL " + serverMajor
                        + " the statement fails and the step stops there.",
                "write it the way PostgreSQL " + serverMajor + " understands, or raise the minimum server version.");
    }

    static Hazard notNullColumnWithoutDefault(SqlName table, String column) {
        return new Hazard("add-not-null-column-without-default", DANGER,
                "ADD COLUMN " + column + " NOT NULL without a default fails on " + table
                        + " as soon as it holds a row: existing rows would have no value.",
                "addColumn(\"" + dsl(table) + "\", \"" + column + "\", type, c -> c.notNull().defaultValue(...)), or add"
                        + " it nullable, backfill it, then setNotNull(...) in contract.");
    }

    /** @return the name as the DSL takes it: the catalog name, unquoted */
    private static String dsl(SqlName name) {
        return name == null ? "<name>" : name.normalized();
    }

    // --- WARNING --------------------------------------------------------------------------

    static Hazard missingIfNotExists(String statement) {
        return new Hazard("missing-if-not-exists", WARNING,
                statement + " cannot run in a transaction, so a failed or cancelled build leaves an INVALID index"
                        + " of that name behind: the retry fails on it (and with only IF NOT EXISTS added, it would"
                        + " silently keep the INVALID index).",
                "createIndex(...), which drops an INVALID leftover before building; in SQL: DROP INDEX"
                        + " CONCURRENTLY IF EXISTS the leftover, then CREATE INDEX CONCURRENTLY IF NOT EXISTS.");
    }

    static Hazard missingIfExists(String statement) {
        return new Hazard("missing-if-exists", WARNING,
                statement + " cannot run in a transaction: if a run is interrupted after it succeeded, the"
                        + " retry fails because the object is already gone.",
                "add IF EXISTS so that the statement can be repeated.");
    }

    static Hazard mayRewrite(SqlName table, String column, String to, String why) {
        return new Hazard("may-rewrite", WARNING,
                "ALTER COLUMN " + column + " TYPE " + to + " may rewrite " + table + " under ACCESS EXCLUSIVE: " + why
                        + "; widening varchar, varchar to text or numeric precision is catalog only, most other"
                        + " changes rewrite.",
                "plan against the live database so that Querk can read the current type, or use"
                        + " changeColumnType(\"" + dsl(table) + "\", \"" + column + "\", \"" + to + "\").");
    }

    static Hazard mayRewriteDefault(SqlName table, String column, String function) {
        return new Hazard("may-rewrite", WARNING,
                "ADD COLUMN " + column + " has a default calling " + function + "(), whose volatility Querk does not"
                        + " know: if it is volatile, PostgreSQL rewrites " + table + " under ACCESS EXCLUSIVE.",
                "if the function is volatile, use addColumn(..., c -> c.volatileDefault(...)); if it is not,"
                        + " override this warning with that reason.");
    }

    static Hazard mayScan(SqlName table, String column, String why) {
        return new Hazard("may-scan", WARNING,
                "making " + column + " NOT NULL may scan every row of " + table + " under ACCESS EXCLUSIVE: " + why
                        + ".",
                "setNotNull(\"" + dsl(table) + "\", \"" + column + "\"), which never scans under the strong lock.");
    }

    static Hazard mayScanPrimaryKey(SqlName table, SqlName index) {
        return new Hazard("may-scan", WARNING,
                "ADD PRIMARY KEY USING INDEX " + index + " makes every column of the index NOT NULL: any that is not"
                        + " NOT NULL yet costs a scan of " + table + " under ACCESS EXCLUSIVE.",
                "make the columns NOT NULL first with setNotNull(...), or use addPrimaryKey(\"" + dsl(table)
                        + "\", name, columns...), which does both without a scan under the strong lock.");
    }

    static Hazard unbatchedUpdate(String verb, SqlName table) {
        return new Hazard("unbatched-update", WARNING,
                verb + " without WHERE touches every row of " + table + " in one transaction: it holds the row"
                        + " locks of the whole table until it commits, blocking concurrent writers of any row, and"
                        + " bloats the table in one go.",
                "backfill(b -> b.table(\"" + dsl(table) + "\").set(...).where(...)), which works in keyset batches of a"
                        + " few thousand rows, each its own short transaction.");
    }

    static Hazard unrecognized(String why) {
        return new Hazard("unrecognized-statement", WARNING,
                why + ": Querk assumes the worst it could do, ACCESS EXCLUSIVE on any table it names.",
                "use a typed step if one exists, or check the statement's locks yourself and override this"
                        + " warning with a reason.");
    }

    // --- INFO -----------------------------------------------------------------------------

    /**
     * @param waitsForOlderTransactions true for the CONCURRENTLY forms, which wait until every
     *                                  transaction older than them has ended
     */
    static Hazard weakLock(String what, boolean waitsForOlderTransactions) {
        String waits = waitsForOlderTransactions
                ? "it waits for every older transaction to end, so one long transaction delays it"
                : "it waits for other DDL and VACUUM on the table, which wait for it in turn";
        return new Hazard("weak-lock", INFO,
                what + " takes only SHARE UPDATE EXCLUSIVE: reads and writes go on, but " + waits + ".",
                "");
    }
}
