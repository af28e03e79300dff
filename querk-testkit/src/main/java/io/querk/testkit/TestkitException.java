package io.querk.testkit;

import io.querk.Api;
import io.querk.QuerkException;

/**
 * A rehearsal, its traffic or its test data was set up in a way that cannot work (no migration,
 * a workload without operations, a negative row count, a table the traffic never touched), or
 * could not reach its database. Raised before anything runs wherever the input can be checked;
 * the message says what to change. An assertion that fails on a report is an
 * {@code AssertionError}, as JUnit expects, not this.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class TestkitException extends QuerkException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and what to do about it
     */
    public TestkitException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and what to do about it
     * @param cause   the underlying failure
     */
    public TestkitException(String message, Throwable cause) {
        super(message, cause);
    }
}
