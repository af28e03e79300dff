package io.querk.jdbc.support;

import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh database on the PostgreSQL 15 service at 127.0.0.1:5432 (user postgres, trust), for
 * what the embedded servers cannot give: a real PgBouncer in front of a server it can reach.
 * Dropped on close. A missing service fails the test, saying how to start it; it never skips.
 */
public final class ServiceDatabase implements AutoCloseable {

    public static final String HOST = System.getProperty("querk.test.service.host", "127.0.0.1");
    public static final int PORT = Integer.getInteger("querk.test.service.port", 5432);
    public static final String USER = System.getProperty("querk.test.service.user", "postgres");

    private static final AtomicInteger SEQ = new AtomicInteger();

    private final String name;

    private ServiceDatabase(String name) {
        this.name = name;
    }

    public static ServiceDatabase create(String hint) {
        String name = ("querk_" + hint + "_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet())
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new AssertionError("The PostgreSQL 15 service at " + HOST + ":" + PORT + " (user " + USER + ", trust)"
                    + " is not reachable: " + e.getMessage() + ". Start it with"
                    + " `pg_ctlcluster --skip-systemctl-redirect 15 main start` (.ci/run does).", e);
        }
        return new ServiceDatabase(name);
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres?user=" + USER);
    }

    public String name() {
        return name;
    }

    /** A direct connection, bypassing any pooler. */
    public PGSimpleDataSource direct() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {HOST});
        ds.setPortNumbers(new int[] {PORT});
        ds.setDatabaseName(name);
        ds.setUser(USER);
        return ds;
    }

    @Override
    public void close() {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new AssertionError("Could not drop test database " + name + ": " + e.getMessage(), e);
        }
    }
}
