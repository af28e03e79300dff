package io.querk;

/**
 * The PostgreSQL server (or the version asked to plan for) is older than Querk supports. Its
 * typed steps rely on features new in PostgreSQL 14 ({@code CREATE OR REPLACE TRIGGER},
 * {@code pg_locks.waitstart}, {@code client_connection_check_interval}).
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class UnsupportedServerException extends QuerkException {

    private static final long serialVersionUID = 1L;

    /** The major version that was refused. */
    private final int serverMajor;

    /**
     * @param serverMajor     the major version refused
     * @param oldestSupported the oldest major version Querk supports
     */
    public UnsupportedServerException(int serverMajor, int oldestSupported) {
        super("PostgreSQL " + serverMajor + " is not supported: Querk supports " + oldestSupported
                + " and later (its typed steps use CREATE OR REPLACE TRIGGER, new in 14). Upgrade the server, or plan"
                + " for a supported version.");
        this.serverMajor = serverMajor;
    }

    /** @return the major version that was refused */
    public int serverMajor() {
        return serverMajor;
    }
}
