package io.querk.jdbc.support;

import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * A real PgBouncer (Debian's {@code pgbouncer} package) started by the test, in front of one
 * database of the PostgreSQL 15 service, with two entries: {@code txn} pools by transaction,
 * {@code sess} by session. Stopped on close.
 */
public final class PgBouncer implements AutoCloseable {

    public static final String TRANSACTION = "txn";
    public static final String SESSION = "sess";

    private final Process process;
    private final int port;
    private final Path dir;

    private PgBouncer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static PgBouncer start(ServiceDatabase db, int poolSize) throws IOException, InterruptedException {
        Path exe = Path.of(System.getProperty("querk.test.pgbouncer", "/usr/sbin/pgbouncer"));
        if (!Files.isExecutable(exe)) {
            throw new AssertionError(exe + " is missing: install Debian's pgbouncer package (apt-get install pgbouncer;"
                    + " .ci/run does). The pooler tests run against a real PgBouncer.");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // PgBouncer refuses to run as root unless told whom to become; that user writes the log here.
        Path dir = Files.createTempDirectory("querk-pgbouncer", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        String target = "host=" + ServiceDatabase.HOST + " port=" + ServiceDatabase.PORT + " dbname=" + db.name()
                + " user=" + ServiceDatabase.USER;
        String ini = "[databases]\n"
                + TRANSACTION + " = " + target + " pool_mode=transaction\n"
                + SESSION + " = " + target + " pool_mode=session\n"
                + "[pgbouncer]\n"
                + "listen_addr = 127.0.0.1\n"
                + "listen_port = " + port + "\n"
                + "unix_socket_dir =\n"
                + "auth_type = any\n"
                + "default_pool_size = " + poolSize + "\n"
                + "max_client_conn = 200\n"
                + "ignore_startup_parameters = extra_float_digits,options\n"
                + "logfile = " + dir.resolve("pgbouncer.log") + "\n"
                + ("root".equals(System.getProperty("user.name")) ? "user = postgres\n" : "");
        Path config = dir.resolve("pgbouncer.ini");
        Files.writeString(config, ini);
        Process p = new ProcessBuilder(exe.toString(), config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        PgBouncer bouncer = new PgBouncer(p, port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Connection c = bouncer.dataSource(SESSION).getConnection()) {
                return bouncer;
            } catch (SQLException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    bouncer.close();
                    throw new AssertionError("PgBouncer did not come up on port " + port + ": " + e.getMessage()
                            + "\n" + bouncer.log(), e);
                }
                Thread.sleep(20);
            }
        }
    }

    /** @param entry {@link #TRANSACTION} or {@link #SESSION} */
    public PGSimpleDataSource dataSource(String entry) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(entry);
        ds.setUser(ServiceDatabase.USER);
        // PgBouncer 1.18 does not carry named prepared statements across pooled transactions.
        ds.setPrepareThreshold(0);
        return ds;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("pgbouncer.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
