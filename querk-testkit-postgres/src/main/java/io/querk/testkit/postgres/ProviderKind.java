package io.querk.testkit.postgres;

/** Where the PostgreSQL server for the tests comes from, in the order Querk tries them. */
public enum ProviderKind {
    /** A server you name with a JDBC URL. */
    URL,
    /** A container started by Testcontainers, when a Docker engine answers. */
    TESTCONTAINERS,
    /** Binaries from Maven Central run as a local process. */
    EMBEDDED
}
