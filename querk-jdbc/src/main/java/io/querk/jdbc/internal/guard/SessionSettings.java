package io.querk.jdbc.internal.guard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session settings Querk changes on a borrowed connection, as they were when it was
 * borrowed, so that the connection goes back to its pool exactly as it came.
 */
public final class SessionSettings {

    /** Every setting Querk may change on a session. */
    static final List<String> MANAGED = List.of("application_name", "lock_timeout", "statement_timeout",
            "idle_in_transaction_session_timeout", "client_connection_check_interval", "IntervalStyle",
            "extra_float_digits", "bytea_output", "synchronous_commit");

    private final Map<String, String> original;
    private final boolean autoCommit;
    private final int serverVersionNum;
    private final int backendPid;

    private SessionSettings(Map<String, String> original, boolean autoCommit, int serverVersionNum, int backendPid) {
        this.original = original;
        this.autoCommit = autoCommit;
        this.serverVersionNum = serverVersionNum;
        this.backendPid = backendPid;
    }

    /** Reads the current values in one round trip. */
    public static SessionSettings capture(Connection c) throws SQLException {
        // The pid as the server reports it: a pooler gives the client a backend key of its own.
        StringBuilder sql = new StringBuilder("SELECT current_setting('server_version_num')::int, pg_backend_pid()");
        for (String s : MANAGED) {
            sql.append(", current_setting('").append(s).append("', true)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        int version;
        int pid;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
            rs.next();
            version = rs.getInt(1);
            pid = rs.getInt(2);
            for (int i = 0; i < MANAGED.size(); i++) {
                values.put(MANAGED.get(i), rs.getString(i + 3));
            }
        }
        return new SessionSettings(values, c.getAutoCommit(), version, pid);
    }

    /** @return {@code pg_backend_pid()} when the settings were read */
    public int backendPid() {
        return backendPid;
    }

    /** @return {@code server_version_num}, e.g. 170007 */
    public int serverVersionNum() {
        return serverVersionNum;
    }

    /** @return the value a setting had at borrow time */
    public String original(String name) {
        return original.get(name);
    }

    /** Puts every managed setting back, in one round trip, and autocommit as it was. */
    public void restore(Connection c) throws SQLException {
        if (!c.getAutoCommit()) {
            c.rollback();
            c.setAutoCommit(true);
        }
        StringBuilder sql = new StringBuilder("SELECT 1");
        int n = 0;
        for (Map.Entry<String, String> e : original.entrySet()) {
            if (e.getValue() != null) {
                sql.append(", set_config(?, ?, false)");
                n++;
            }
        }
        if (n > 0) {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (Map.Entry<String, String> e : original.entrySet()) {
                    if (e.getValue() != null) {
                        ps.setString(i++, e.getKey());
                        ps.setString(i++, e.getValue());
                    }
                }
                ps.executeQuery().close();
            }
        }
        c.setAutoCommit(autoCommit);
    }
}
