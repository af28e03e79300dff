package io.querk.jdbc;

import io.querk.Api;
import java.time.Duration;

/**
 * A session that held up a migration statement, as {@code pg_blocking_pids()} and
 * {@code pg_stat_activity} saw it while the statement waited.
 *
 * @param pid            the blocking backend's process id: {@code SELECT pg_terminate_backend(pid)} ends it
 * @param user           its database user
 * @param application    its {@code application_name}
 * @param state          its state: {@code active}, {@code idle in transaction}, ...
 * @param transactionAge how long its transaction has been open, or null if none
 * @param query          its current or last query, truncated
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Blocker(int pid, String user, String application, String state, Duration transactionAge, String query) {

    /** @return one line for a log or an error message */
    public String describe() {
        return "pid " + pid + " (user " + user + ", application '" + application + "', " + state
                + (transactionAge == null ? "" : ", transaction open " + human(transactionAge)) + "): " + query;
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return (ms / 60_000) + " min";
    }
}
