package io.querk.jdbc;

import io.querk.Api;
import io.querk.QuerkException;

/** The engine is configured wrongly; thrown while it is being built, before any connection is made. */
@Api(status = Api.Status.STABLE, since = "0.1")
public class QuerkConfigException extends QuerkException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and what to change */
    public QuerkConfigException(String message) {
        super(message);
    }
}
