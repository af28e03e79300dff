package io.querk.testkit.postgres;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A database of its own for one test, on a {@link PostgresServer}; closing it drops it,
 * disconnecting whatever is still connected.
 */
public final class TestDatabase implements AutoCloseable {

    private final PostgresServer server;
    private final String name;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Runnable dropper;

    /**
     * Made by the server; tests receive it from {@link PostgresServer#createDatabase(String)} or
     * the {@link PostgresExtension}.
     *
     * @param server   the server the database lives on
     * @param name     the database's name
     * @param jdbcUrl  a JDBC URL for the database, without credentials
     * @param user     the user to connect as
     * @param password the password, or null
     * @param dropper  drops the database; run by {@link #close()}
     */
    public TestDatabase(PostgresServer server, String name, String jdbcUrl, String user, String password,
                        Runnable dropper) {
        this.server = server;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.dropper = dropper;
    }

    /** @return the server the database lives on */
    public PostgresServer server() {
        return server;
    }

    /** @return the database's name */
    public String name() {
        return name;
    }

    /** @return a JDBC URL for the database, without credentials */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** @return the user to connect as */
    public String user() {
        return user;
    }

    /** @return the password, or null */
    public String password() {
        return password;
    }

    /**
     * @return a new connection, autocommit on
     * @throws SQLException if the server refuses the connection
     */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, p);
    }

    /** @return a non-pooling DataSource: every {@code getConnection()} opens a new session */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        ds.setUser(user);
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    /** Drops the database, forcing other sessions off it. */
    @Override
    public void close() {
        dropper.run();
    }

    @Override
    public String toString() {
        return name + " on " + server.description();
    }
}
