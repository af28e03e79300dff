/**
 * Querk's engine over JDBC: {@link io.querk.jdbc.Querk} and its configuration, the retry policy
 * ({@code io.querk.jdbc.retry}), the events a run publishes ({@code io.querk.jdbc.event}) and
 * fleets of databases ({@code io.querk.jdbc.fleet}).
 *
 * <p>Only these four packages are Querk's API; {@code io.querk.jdbc.internal.*} (the runner,
 * the lock guard, the backfill engine, the history store) is not exported at all.
 */
module io.querk.jdbc {
    requires transitive io.querk.core;
    requires transitive java.sql;
    requires org.slf4j;
    requires org.postgresql.jdbc;

    exports io.querk.jdbc;
    exports io.querk.jdbc.event;
    exports io.querk.jdbc.fleet;
    exports io.querk.jdbc.retry;
}
