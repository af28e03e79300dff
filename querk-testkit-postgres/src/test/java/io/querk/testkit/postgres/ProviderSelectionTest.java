package io.querk.testkit.postgres;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order of the provider chain, proved without needing Docker on the machine. */
class ProviderSelectionTest {

    private static List<ProviderKind> kinds(Map<String, String> props, boolean docker, boolean[] asked) {
        BooleanSupplier probe = () -> {
            asked[0] = true;
            return docker;
        };
        return ProviderSelection.candidates(PostgresTestSettings.from(props, Map.of()), probe).stream()
                .map(ProviderSelection.Candidate::kind).toList();
    }

    @Test
    void anExplicitUrlComesFirstAndDockerIsNotAsked() {
        boolean[] asked = {false};
        assertEquals(List.of(ProviderKind.URL), kinds(Map.of("querk.test.jdbcUrl", "jdbc:postgresql://h/db"), true, asked));
        assertFalse(asked[0]);
    }

    @Test
    void testcontainersWhenDockerAnswersWithEmbeddedAsFallback() {
        boolean[] asked = {false};
        assertEquals(List.of(ProviderKind.TESTCONTAINERS, ProviderKind.EMBEDDED), kinds(Map.of(), true, asked));
        assertTrue(asked[0]);
    }

    @Test
    void embeddedWhenNoDockerAnswers() {
        assertEquals(List.of(ProviderKind.EMBEDDED), kinds(Map.of(), false, new boolean[1]));
    }

    @Test
    void aForcedProviderIsTheOnlyCandidate() {
        boolean[] asked = {false};
        assertEquals(List.of(ProviderKind.TESTCONTAINERS),
                kinds(Map.of("querk.test.postgres.provider", "testcontainers"), false, asked));
        assertFalse(asked[0]);
        assertEquals(List.of(ProviderKind.EMBEDDED),
                kinds(Map.of("querk.test.postgres.provider", "embedded", "querk.test.jdbcUrl", "jdbc:postgresql://h/db"),
                        true, asked));
    }
}
