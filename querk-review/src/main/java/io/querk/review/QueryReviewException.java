package io.querk.review;

import io.querk.Api;
import io.querk.QuerkException;

/**
 * A review could not be done: the SQL is blank, holds more than one statement, does not parse or
 * plan (the message has the server's words and the position), names a table or column that does
 * not exist, gets the wrong number of parameters, or the database refused a statement of the
 * review itself. The message says what to do.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public class QueryReviewException extends QuerkException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong and what to do about it
     */
    public QueryReviewException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do about it
     * @param sql     the statement that failed, or null
     * @param cause   the underlying cause, or null
     */
    public QueryReviewException(String message, String sql, Throwable cause) {
        super(message, null, null, sql, cause);
    }
}
