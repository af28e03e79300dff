package io.querk.review;

import io.querk.Api;

/** Where the value a review planned a parameter with came from. */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public enum ParameterSource {
    /** Given with {@link QueryReview.Builder#parameters(Object...)}. */
    GIVEN,
    /** A typical value of the column the parameter is compared with, from {@code pg_stats}. */
    SAMPLED,
    /** None: the review planned the generic plan, as for a prepared statement before it knows its values. */
    GENERIC
}
