package io.querk.testkit.postgres;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresTestSettingsTest {

    private static PostgresTestSettings of(Map<String, String> props, Map<String, String> env) {
        return PostgresTestSettings.from(props, env);
    }

    @Test
    void systemPropertiesWinOverEnvironment() {
        PostgresTestSettings s = of(Map.of("querk.test.jdbcUrl", "jdbc:postgresql://a/db", "querk.test.postgres.version", "16"),
                Map.of("QUERK_TEST_JDBC_URL", "jdbc:postgresql://b/db", "QUERK_TEST_POSTGRES_VERSION", "15"));
        assertEquals(Optional.of("jdbc:postgresql://a/db"), s.jdbcUrl());
        assertEquals(16, s.versionOrDefault());
    }

    @Test
    void environmentIsReadWhenNoPropertyIsSet() {
        PostgresTestSettings s = of(Map.of(), Map.of("QUERK_TEST_JDBC_URL", "jdbc:postgresql://b/db",
                "QUERK_TEST_USER", "app", "QUERK_TEST_POSTGRES_PROVIDER", "url"));
        assertEquals(Optional.of("app"), s.user());
        assertEquals(Optional.of(ProviderKind.URL), s.forced());
    }

    @Test
    void defaultsToTheNewestVersionAndNoForcedProvider() {
        PostgresTestSettings s = of(Map.of("querk.test.postgres.provider", "auto"), Map.of());
        assertEquals(PostgresTestSettings.MAX_VERSION, s.versionOrDefault());
        assertTrue(s.forced().isEmpty());
    }

    @Test
    void rejectsUnusableValuesSayingWhatToSet() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("querk.test.jdbcUrl", "postgres://x"), Map.of())).getMessage().contains("jdbc:postgresql:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("querk.test.postgres.version", "13"), Map.of())).getMessage().contains("14 to 18"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("querk.test.postgres.version", "latest"), Map.of())).getMessage().contains("14 to 18"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("querk.test.postgres.provider", "docker"), Map.of())).getMessage().contains("testcontainers"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("querk.test.postgres.provider", "url"), Map.of())).getMessage().contains("no URL is set"));
    }

    @Test
    void theMavenPropertyRequestsAVersionTooAndTheExplicitOneWins() {
        assertEquals(16, of(Map.of("querk.postgres", "16"), Map.of()).versionOrDefault());
        assertEquals(15, of(Map.of("querk.postgres", "16", "querk.test.postgres.version", "15"), Map.of()).versionOrDefault());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> of(Map.of("querk.postgres", "19"), Map.of())).getMessage().contains("-Dquerk.postgres"));
    }
}
