package io.querk.adoption;

import io.querk.testkit.postgres.TestDatabase;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shop of the acceptance tests: a copy of a Flyway project (src/test/resources/flyway-project,
 * 20 migrations) whose database the real Flyway migrated, with some orders in it; then the three new
 * files of issue 13 (src/test/resources/new-files). And the child processes the tests run: mvn in the
 * project, the querk command from a shell.
 */
final class Shop {

    static final String VERSION = System.getProperty("querk.version", "");
    static final Path REPO = Path.of(System.getProperty("querk.m2", System.getProperty("user.home") + "/.m2/repository"));
    static final Path CLI = Path.of(System.getProperty("querk.cli.jar", "../querk-cli/target/querk.jar"))
            .toAbsolutePath().normalize();
    private static final Path RESOURCES = Path.of("src", "test", "resources").toAbsolutePath();

    final Path dir;
    final Path migrations;

    private Shop(Path dir) {
        this.dir = dir;
        this.migrations = dir.resolve("src/main/resources/db/migration");
    }

    /** A fresh copy of the project, with {@code @querk.version@} filled in. */
    static Shop copy(String name) throws IOException {
        assertTrue(!VERSION.isBlank(), "run through Maven (failsafe passes querk.version)");
        Path target = Path.of("target", name).toAbsolutePath();
        if (Files.exists(target)) {
            try (Stream<Path> s = Files.walk(target)) {
                s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
        Path template = RESOURCES.resolve("flyway-project");
        try (Stream<Path> s = Files.walk(template)) {
            for (Path p : s.toList()) {
                Path to = target.resolve(template.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.writeString(to, Files.readString(p).replace("@querk.version@", VERSION));
                }
            }
        }
        return new Shop(target);
    }

    /** Flyway 13 migrates V1 to V20, as it did in production; then the shop takes some orders. */
    void migrateWithFlyway(TestDatabase db) throws SQLException {
        Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("filesystem:" + migrations).load().migrate();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO customers (email, name) SELECT 'c' || g || '@example.com', 'Customer ' || g"
                    + " FROM generate_series(1, 50) g");
            s.execute("INSERT INTO orders (customer_id, notes) SELECT 1 + g % 50, 'note ' || g FROM generate_series(1, 3000) g");
        }
    }

    /** Adds one of the new files, under its name in the project ({@code fixed} files lose that suffix). */
    void add(String file) throws IOException {
        Files.copy(RESOURCES.resolve("new-files").resolve(file), migrations.resolve(file.replace(".fixed", "")),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The three new files of the acceptance test, the volatile default not yet fixed. */
    void addTheThreeNewFiles() throws IOException {
        add("V21__orders_placed_at_index.sql");
        add("V22__orders_tracking_token.sql");
        add("V23__drop_orders_notes.sql");
    }

    record Run(int exit, String out) {
        String tail() {
            return out.length() > 8000 ? out.substring(out.length() - 8000) : out;
        }
    }

    /** mvn in the project, offline against the local repository this build installed Querk into. */
    Run mvn(String... args) throws IOException, InterruptedException {
        String home = System.getProperty("maven.home");
        List<String> cmd = new ArrayList<>();
        cmd.add(home != null && Files.isExecutable(Path.of(home, "bin", "mvn")) ? Path.of(home, "bin", "mvn").toString() : "mvn");
        cmd.addAll(List.of("-B", "-ntp", "-o", "-Dmaven.repo.local=" + REPO));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** A command line run by bash in the project's folder, as a person types it. */
    Run shell(String commandLine) throws IOException, InterruptedException {
        return run(List.of("bash", "-c", commandLine));
    }

    private Run run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("QUERK_JAR", CLI.toString());
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " did not finish in 5 minutes");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("[shop] " + String.join(" ", cmd.subList(Math.max(0, cmd.size() - 4), cmd.size()))
                + " exited " + p.exitValue());
        return new Run(p.exitValue(), text);
    }

    static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static List<String> strings(TestDatabase db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
