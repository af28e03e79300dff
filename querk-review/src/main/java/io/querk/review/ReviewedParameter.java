package io.querk.review;

import io.querk.Api;

/**
 * A parameter ({@code $n}) of the reviewed query and the value it was planned with.
 *
 * @param number the parameter's number, from 1
 * @param type   its type, as the server inferred it
 * @param value  the value's text, or null (SQL NULL, or no value for the generic plan)
 * @param source where the value came from
 * @param column for a sampled value, the column it was sampled from (e.g. {@code shipments.customer_id}); else null
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record ReviewedParameter(int number, String type, String value, ParameterSource source, String column) {

    /** @return e.g. {@code $1 = '4711' (bigint, sampled from shipments.customer_id)} */
    public String describe() {
        String v = source == ParameterSource.GENERIC ? "(no value: generic plan)"
                : value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
        String from = switch (source) {
            case GIVEN -> "given";
            case SAMPLED -> "sampled from " + column;
            case GENERIC -> "unbound";
        };
        return "$" + number + " = " + v + " (" + type + ", " + from + ")";
    }
}
