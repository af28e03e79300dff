package io.querk.testkit.postgres.internal;

import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.PostgresTestSettings;
import io.querk.testkit.postgres.ProviderKind;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The URL path and the embedded path for real, and the failure when no server can be had. */
class ServerResolverIT {

    @Test
    void theUrlPathCreatesAndDropsDatabasesOnTheNamedServer() throws Exception {
        PostgresServer shared = PostgresServer.shared();
        String adminUrl;
        String user;
        try (TestDatabase probe = shared.createDatabase("probe")) {
            adminUrl = probe.jdbcUrl().replace(probe.name(), "postgres");
            user = probe.user();
        }
        PostgresServer viaUrl = ServerResolver.resolve(PostgresTestSettings.from(Map.of(
                PostgresTestSettings.JDBC_URL_PROPERTY, adminUrl, PostgresTestSettings.USER_PROPERTY, user), Map.of()));
        assertEquals(ProviderKind.URL, viaUrl.kind());
        assertEquals(shared.serverVersion(), viaUrl.serverVersion());
        String name;
        try (TestDatabase db = viaUrl.createDatabase("viaurl"); Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            name = db.name();
            assertEquals(name, rs.getString(1));
        }
        try (TestDatabase other = shared.createDatabase("check"); Connection c = other.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "closing a TestDatabase drops it");
        }
    }

    @Test
    void theSharedServerIsTheRequestedMajorVersion() {
        PostgresTestSettings settings = PostgresTestSettings.fromEnvironment();
        PostgresServer shared = PostgresServer.shared();
        if (shared.kind() == ProviderKind.EMBEDDED && settings.majorVersion().isPresent()) {
            assertEquals(settings.majorVersion().getAsInt(), shared.majorVersion());
        }
        assertTrue(shared.majorVersion() >= PostgresTestSettings.MIN_VERSION, shared.description());
    }

    @Test
    void whenNoServerCanBeHadTheErrorSaysWhyAndWhatToSet() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServerResolver.resolve(
                PostgresTestSettings.from(Map.of(PostgresTestSettings.JDBC_URL_PROPERTY,
                        "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2"), Map.of())));
        assertTrue(e.getMessage().contains("URL (a JDBC URL was given)"), e.getMessage());
        assertTrue(e.getMessage().contains(PostgresTestSettings.JDBC_URL_ENV), e.getMessage());
    }
}
