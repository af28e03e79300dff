package io.querk.testkit.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The order in which a provider is chosen: an explicit URL, else Testcontainers when a Docker
 * engine answers, else embedded binaries. A forced provider is taken as is. Pure, so that the
 * choice can be tested without Docker.
 */
public final class ProviderSelection {

    private ProviderSelection() {
    }

    /**
     * The providers to try, best first, each with why it was chosen.
     *
     * @param settings        the configuration
     * @param dockerAnswers   asked only when no URL or forced provider decides
     * @return one or more candidates; the caller falls back to the next if one fails
     */
    public static List<Candidate> candidates(PostgresTestSettings settings, BooleanSupplier dockerAnswers) {
        List<Candidate> out = new ArrayList<>();
        if (settings.forced().isPresent()) {
            out.add(new Candidate(settings.forced().get(), "forced by " + PostgresTestSettings.PROVIDER_PROPERTY));
            return out;
        }
        if (settings.jdbcUrl().isPresent()) {
            out.add(new Candidate(ProviderKind.URL, "a JDBC URL was given"));
            return out;
        }
        if (dockerAnswers.getAsBoolean()) {
            out.add(new Candidate(ProviderKind.TESTCONTAINERS, "a Docker engine answers"));
            out.add(new Candidate(ProviderKind.EMBEDDED, "fallback after Testcontainers"));
        } else {
            out.add(new Candidate(ProviderKind.EMBEDDED, "no JDBC URL was given and no Docker engine answers"));
        }
        return out;
    }

    /**
     * A provider to try.
     *
     * @param kind   the provider
     * @param reason why it is tried, for the log and for error messages
     */
    public record Candidate(ProviderKind kind, String reason) {
    }
}
