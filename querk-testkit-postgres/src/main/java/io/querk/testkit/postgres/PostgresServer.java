package io.querk.testkit.postgres;

import io.querk.testkit.postgres.internal.ServerResolver;

/**
 * A PostgreSQL server for tests, from which each test takes a fresh database.
 *
 * <pre>{@code
 * PostgresServer server = PostgresServer.shared();
 * try (TestDatabase db = server.createDatabase("orders")) {
 *     try (Connection c = db.connect()) { ... }
 * }   // dropped here
 * }</pre>
 *
 * <p>See {@link PostgresTestSettings} for how the server is chosen.
 */
public interface PostgresServer {

    /** @return which provider supplied the server */
    ProviderKind kind();

    /** @return a sentence naming the server, e.g. "embedded PostgreSQL 18.6 on port 40321" */
    String description();

    /** @return the server's major version, e.g. 17 */
    int majorVersion();

    /** @return the full {@code server_version}, e.g. "17.7" */
    String serverVersion();

    /**
     * Creates an empty database. Close the returned handle to drop it.
     *
     * @param hint a word that goes into the database's name, to recognise it in a listing
     * @return the new database
     */
    TestDatabase createDatabase(String hint);

    /**
     * The server every test in this JVM shares, resolved on first use: an explicit URL, else
     * Testcontainers when a Docker engine answers, else embedded binaries. It stops when the
     * JVM exits.
     *
     * @return the shared server
     * @throws IllegalStateException saying why, when no server can be had; tests then fail, never skip
     */
    static PostgresServer shared() {
        return ServerResolver.shared();
    }
}
