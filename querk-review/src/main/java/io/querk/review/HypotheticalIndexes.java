package io.querk.review;

/** Whether a review proves its index proposals with HypoPG's hypothetical indexes. */
public enum HypotheticalIndexes {
    /** Use HypoPG if the extension is installed in the database, else estimate and say so. The default. */
    AUTO,
    /** Fail the review if HypoPG is not installed: for a CI check that must prove its proposals. */
    REQUIRE,
    /** Never use HypoPG; estimate every cost from {@code pg_stats}. */
    OFF
}
