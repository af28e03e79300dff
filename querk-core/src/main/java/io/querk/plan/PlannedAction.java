package io.querk.plan;

import io.querk.Api;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One unit the engine runs: a statement alone outside any transaction block, or statements
 * that run together in one transaction. The locks are those held together until it ends.
 *
 * @param purpose       what it achieves, e.g. "build index shipments_city_idx concurrently"
 * @param statements    the exact SQL, in order
 * @param inTransaction false if it runs alone, outside a transaction block (CONCURRENTLY, VACUUM)
 * @param locks         the table-level locks it takes, strongest mode per relation
 * @param effect        whether it reads or rewrites every row of a table while holding them
 * @param scale         how much work the scan or rewrite is, when live statistics say
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record PlannedAction(String purpose, List<String> statements, boolean inTransaction, List<PlannedLock> locks,
                            TableEffect effect, Optional<Scale> scale) {

    /**
     * Copies the lists and rejects nulls: an action does not change once planned.
     *
     * @param purpose       what it achieves
     * @param statements    the exact SQL, in order
     * @param inTransaction false if it runs alone, outside a transaction block
     * @param locks         the table-level locks it takes
     * @param effect        whether it reads or rewrites every row of a table
     * @param scale         how much work the scan or rewrite is, or empty
     */
    public PlannedAction {
        Objects.requireNonNull(purpose, "purpose");
        statements = List.copyOf(statements);
        locks = List.copyOf(locks);
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(scale, "scale");
    }

    /** @return the strongest lock it takes, if any */
    public Optional<PlannedLock> strongestLock() {
        return locks.stream().max((a, b) -> a.mode().compareTo(b.mode()));
    }

    /**
     * The size of the table a scan or rewrite goes through.
     *
     * @param table         the table's catalog name
     * @param estimatedRows the planner's row estimate ({@code pg_class.reltuples})
     * @param sizeBytes     table, indexes and TOAST
     */
    public record Scale(String table, long estimatedRows, long sizeBytes) {

        /** @return e.g. "about 52 M rows (6.1 GB)" */
        public String describe() {
            return "about " + rows(estimatedRows) + " rows (" + bytes(sizeBytes) + ")";
        }

        static String rows(long n) {
            if (n >= 1_000_000_000L) {
                return one(n / 1e9) + " G";
            }
            if (n >= 1_000_000L) {
                return one(n / 1e6) + " M";
            }
            if (n >= 10_000L) {
                return one(n / 1e3) + " k";
            }
            return Long.toString(n);
        }

        static String bytes(long n) {
            String[] units = {"B", "kB", "MB", "GB", "TB"};
            double v = n;
            int u = 0;
            while (v >= 1024 && u < units.length - 1) {
                v /= 1024;
                u++;
            }
            return (u == 0 ? Long.toString(n) : one(v)) + " " + units[u];
        }

        private static String one(double v) {
            return v >= 100 ? Long.toString(Math.round(v)) : String.format(java.util.Locale.ROOT, "%.1f", v);
        }
    }
}
