package io.querk.review;

import io.querk.Api;

/** Whether a review proves its index proposals with HypoPG's hypothetical indexes. */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public enum HypotheticalIndexes {
    /** Use HypoPG if the extension is installed in the database, else estimate and say so. The default. */
    AUTO,
    /** Fail the review if HypoPG is not installed: for a CI check that must prove its proposals. */
    REQUIRE,
    /** Never use HypoPG; estimate every cost from {@code pg_stats}. */
    OFF
}
