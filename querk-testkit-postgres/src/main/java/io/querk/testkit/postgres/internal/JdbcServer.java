package io.querk.testkit.postgres.internal;

import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.ProviderKind;
import io.querk.testkit.postgres.TestDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server reached over JDBC, whatever started it: creates and drops the per-test databases
 * through an administrative connection to its maintenance database.
 */
class JdbcServer implements PostgresServer {

    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ProviderKind kind;
    private final String adminUrl;
    private final String user;
    private final String password;
    private final String serverVersion;
    private final int major;
    private final String description;

    JdbcServer(ProviderKind kind, String adminUrl, String user, String password, String origin) {
        this.kind = kind;
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        try (Connection c = connect(adminUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version'),"
                     + " current_setting('server_version_num')::int / 10000, current_user")) {
            rs.next();
            this.serverVersion = rs.getString(1).split(" ")[0];
            this.major = rs.getInt(2);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to the PostgreSQL of " + origin + " (" + adminUrl + "): "
                    + e.getMessage(), e);
        }
        this.description = origin + ", PostgreSQL " + serverVersion;
    }

    @Override
    public ProviderKind kind() {
        return kind;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public int majorVersion() {
        return major;
    }

    @Override
    public String serverVersion() {
        return serverVersion;
    }

    @Override
    public TestDatabase createDatabase(String hint) {
        String safeHint = hint == null ? "" : hint.replaceAll("[^a-z0-9_]", "");
        if (safeHint.length() > 30) {
            safeHint = safeHint.substring(0, 30);
        }
        String name = "querk_" + COUNTER.incrementAndGet() + "_" + Integer.toString(
                ThreadLocalRandom.current().nextInt(1 << 20, 1 << 25), 36) + (safeHint.isEmpty() ? "" : "_" + safeHint);
        admin("CREATE DATABASE " + name);
        return new TestDatabase(this, name, urlFor(name), user, password, () -> drop(name));
    }

    private void drop(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void admin(String sql) {
        try (Connection c = connect(adminUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + description + ": " + e.getMessage()
                    + (e.getSQLState() != null && e.getSQLState().equals("42501")
                    ? " (the test user needs the CREATEDB privilege)" : ""), e);
        }
    }

    private Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url, p);
    }

    String urlFor(String database) {
        Matcher m = URL.matcher(adminUrl);
        if (!m.matches()) {
            throw new IllegalStateException("Cannot derive a per-test database URL from " + adminUrl
                    + "; write the URL as jdbc:postgresql://host:port/database[?params].");
        }
        return m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
    }

    @Override
    public String toString() {
        return description;
    }
}
