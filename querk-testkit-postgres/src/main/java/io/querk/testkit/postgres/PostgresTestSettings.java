package io.querk.testkit.postgres;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How the tests choose their PostgreSQL, from system properties (first) or environment variables.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>system property</th><th>environment variable</th><th>meaning</th></tr>
 *   <tr><td>{@value #JDBC_URL_PROPERTY}</td><td>{@value #JDBC_URL_ENV}</td>
 *       <td>use this server; its user must be allowed to create databases</td></tr>
 *   <tr><td>{@value #MAVEN_VERSION_PROPERTY} or {@value #VERSION_PROPERTY}</td><td>{@value #VERSION_ENV}</td>
 *       <td>the major version to start (14 to 18) with Testcontainers or embedded binaries. With Maven,
 *       {@code -Dquerk.postgres=N} also picks the embedded binaries, in your project as in Querk's build
 *       (Surefire and Failsafe pass it on to the tests)</td></tr>
 *   <tr><td>{@value #PROVIDER_PROPERTY}</td><td>{@value #PROVIDER_ENV}</td>
 *       <td>force one provider: {@code url}, {@code testcontainers} or {@code embedded}</td></tr>
 * </table>
 *
 * @param jdbcUrl      an explicit server, if given
 * @param user         the user for {@code jdbcUrl} when not in the URL itself
 * @param password     the password for {@code jdbcUrl} when not in the URL itself
 * @param majorVersion the requested major version, if any
 * @param forced       a provider forced by configuration, if any
 */
public record PostgresTestSettings(Optional<String> jdbcUrl, Optional<String> user, Optional<String> password,
                                   OptionalInt majorVersion, Optional<ProviderKind> forced) {

    /** System property naming an explicit server. */
    public static final String JDBC_URL_PROPERTY = "querk.test.jdbcUrl";
    /** Environment variable naming an explicit server. */
    public static final String JDBC_URL_ENV = "QUERK_TEST_JDBC_URL";
    /** System property with the user for the explicit server. */
    public static final String USER_PROPERTY = "querk.test.user";
    /** Environment variable with the user for the explicit server. */
    public static final String USER_ENV = "QUERK_TEST_USER";
    /** System property with the password for the explicit server. */
    public static final String PASSWORD_PROPERTY = "querk.test.password";
    /** Environment variable with the password for the explicit server. */
    public static final String PASSWORD_ENV = "QUERK_TEST_PASSWORD";
    /** System property with the major version to start. */
    public static final String VERSION_PROPERTY = "querk.test.postgres.version";
    /**
     * The Maven property that picks the embedded binaries ({@code -Dquerk.postgres=16}); Surefire and
     * Failsafe pass command-line properties to the tests, so it reaches them as a system property too.
     */
    public static final String MAVEN_VERSION_PROPERTY = "querk.postgres";
    /** Environment variable with the major version to start. */
    public static final String VERSION_ENV = "QUERK_TEST_POSTGRES_VERSION";
    /** System property forcing a provider. */
    public static final String PROVIDER_PROPERTY = "querk.test.postgres.provider";
    /** Environment variable forcing a provider. */
    public static final String PROVIDER_ENV = "QUERK_TEST_POSTGRES_PROVIDER";

    /** The major versions Querk supports and tests. */
    public static final int MIN_VERSION = 14;
    /** The newest supported major version. */
    public static final int MAX_VERSION = 18;

    /** @return the settings of this JVM */
    public static PostgresTestSettings fromEnvironment() {
        return from(System.getProperties().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> String.valueOf(e.getKey()), e -> String.valueOf(e.getValue()))), System.getenv());
    }

    /**
     * Reads settings from given maps, for tests of the selection itself.
     *
     * @param props system properties, read first
     * @param env   environment variables, read when the property is absent or blank
     * @return the settings
     * @throws IllegalArgumentException with a message saying what to fix, for an unusable value
     */
    public static PostgresTestSettings from(Map<String, String> props, Map<String, String> env) {
        Optional<String> url = read(props, env, JDBC_URL_PROPERTY, JDBC_URL_ENV);
        url.ifPresent(u -> {
            if (!u.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException(JDBC_URL_ENV + " / -D" + JDBC_URL_PROPERTY + " must be a PostgreSQL"
                        + " JDBC URL such as jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres, got '" + u + "'.");
            }
        });
        Optional<String> requested = read(props, env, VERSION_PROPERTY, VERSION_ENV);
        if (requested.isEmpty()) {
            requested = read(props, Map.of(), MAVEN_VERSION_PROPERTY, "");
        }
        OptionalInt version = requested.map(v -> {
            try {
                int n = Integer.parseInt(v.strip());
                if (n < MIN_VERSION || n > MAX_VERSION) {
                    throw new NumberFormatException();
                }
                return OptionalInt.of(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + MAVEN_VERSION_PROPERTY + " (or -D" + VERSION_PROPERTY + ", "
                        + VERSION_ENV + ") must be a supported major version from " + MIN_VERSION + " to " + MAX_VERSION
                        + ", got '" + v + "'.");
            }
        }).orElse(OptionalInt.empty());
        Optional<ProviderKind> forced = read(props, env, PROVIDER_PROPERTY, PROVIDER_ENV)
                .filter(p -> !p.equalsIgnoreCase("auto"))
                .map(p -> {
                    try {
                        return ProviderKind.valueOf(p.strip().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(PROVIDER_ENV + " / -D" + PROVIDER_PROPERTY
                                + " must be auto, url, testcontainers or embedded, got '" + p + "'.");
                    }
                });
        if (forced.isPresent() && forced.get() == ProviderKind.URL && url.isEmpty()) {
            throw new IllegalArgumentException("The provider is forced to url but no URL is set: set " + JDBC_URL_ENV
                    + " or -D" + JDBC_URL_PROPERTY + ".");
        }
        return new PostgresTestSettings(url, read(props, env, USER_PROPERTY, USER_ENV),
                read(props, env, PASSWORD_PROPERTY, PASSWORD_ENV), version, forced);
    }

    private static Optional<String> read(Map<String, String> props, Map<String, String> env, String prop, String var) {
        String v = props.get(prop);
        if (v == null || v.isBlank()) {
            v = env.get(var);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /** @return the requested major version, or the newest supported one */
    public int versionOrDefault() {
        return majorVersion.orElse(MAX_VERSION);
    }
}
