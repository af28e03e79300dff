package io.querk.review;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh database with HypoPG on the PostgreSQL 15 service at 127.0.0.1:5432 (user postgres,
 * trust), dropped on close. Tests that prove proposals need it; if the service or the extension
 * is missing they fail, saying how to get them, and never skip.
 */
final class HypoPgService implements AutoCloseable {

    static final String HOST = System.getProperty("querk.test.hypopg.host", "127.0.0.1");
    static final int PORT = Integer.getInteger("querk.test.hypopg.port", 5432);
    static final String USER = System.getProperty("querk.test.hypopg.user", "postgres");

    private static final AtomicInteger SEQ = new AtomicInteger();

    private final String name;
    private final PGSimpleDataSource ds;

    private HypoPgService(String name) {
        this.name = name;
        this.ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {HOST});
        ds.setPortNumbers(new int[] {PORT});
        ds.setDatabaseName(name);
        ds.setUser(USER);
    }

    /**
     * @param hint a word for the database's name
     * @return a new database with {@code CREATE EXTENSION hypopg} done
     */
    static HypoPgService create(String hint) {
        String name = ("querk_review_" + hint + "_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet())
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new AssertionError("The PostgreSQL 15 service at " + HOST + ":" + PORT + " (user " + USER + ", trust) is"
                    + " not reachable: " + e.getMessage() + ". These tests prove proposals with HypoPG on it. Start it with"
                    + " `pg_ctlcluster --skip-systemctl-redirect 15 main start` and install the extension with"
                    + " `apt-get install postgresql-15-hypopg`.", e);
        }
        HypoPgService db = new HypoPgService(name);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION hypopg");
        } catch (SQLException e) {
            db.close();
            throw new AssertionError("HypoPG cannot be created on the PostgreSQL 15 service: " + e.getMessage()
                    + ". Install it with `apt-get install postgresql-15-hypopg`.", e);
        }
        return db;
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres?user=" + USER);
    }

    DataSource dataSource() {
        return ds;
    }

    String name() {
        return name;
    }

    /** @return the server's version, e.g. "15.20" */
    String serverVersion() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1).split(" ")[0];
        }
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
