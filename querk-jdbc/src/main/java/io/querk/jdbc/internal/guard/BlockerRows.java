package io.querk.jdbc.internal.guard;

import io.querk.jdbc.Blocker;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/** The session columns both blocker queries select, and how a row of them becomes a {@link Blocker}. */
final class BlockerRows {

    /** Select list over {@code pg_stat_activity a}: pid, user, application, state, transaction age (s), query. */
    static final String COLUMNS = "a.pid, coalesce(a.usename, ''), coalesce(a.application_name, ''),"
            + " coalesce(a.state, ''), extract(epoch FROM now() - a.xact_start)::float8, left(coalesce(a.query, ''), 300)";

    private BlockerRows() {
    }

    static Blocker read(ResultSet rs) throws SQLException {
        double age = rs.getDouble(5);
        Duration txAge = rs.wasNull() ? null : Duration.ofMillis((long) (age * 1000));
        return new Blocker(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), txAge,
                rs.getString(6).replaceAll("\\s+", " "));
    }
}
