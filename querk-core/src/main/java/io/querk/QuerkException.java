package io.querk;

import io.querk.migration.StepRef;

import java.util.Optional;

/**
 * The root of every exception Querk throws. All of them are unchecked.
 *
 * <p>Besides a message that says what went wrong and what to do about it, an exception
 * carries, where known, the migration, the step and the SQL statement that failed, so a
 * log line or an alert can name them without parsing the message.
 *
 * <pre>{@code
 * try {
 *     querk.migrate();
 * } catch (QuerkException e) {
 *     log.error("migration {} failed at {}: {}", e.migrationId().orElse("?"),
 *             e.step().map(StepRef::toString).orElse("?"), e.getMessage());
 *     throw e;
 * }
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class QuerkException extends RuntimeException {

    private static final long serialVersionUID = 2L;

    /** The migration that failed, or null. */
    private final String migrationId;
    /** The step that failed, or null; not serialized (a record of the step, not of the failure). */
    private final transient StepRef step;
    /** The statement that failed, or null. */
    private final String sql;

    /**
     * An exception with a message only.
     *
     * @param message what went wrong and what to do about it
     */
    public QuerkException(String message) {
        this(message, null, null, null, null);
    }

    /**
     * An exception with a message and its cause.
     *
     * @param message what went wrong and what to do about it
     * @param cause   the underlying cause, or {@code null}
     */
    public QuerkException(String message, Throwable cause) {
        this(message, null, null, null, cause);
    }

    /**
     * An exception with its full context.
     *
     * @param message     what went wrong and what to do about it
     * @param migrationId the migration, or {@code null}; taken from {@code step} when that is given
     * @param step        the step, or {@code null}
     * @param sql         the statement that failed, or {@code null}
     * @param cause       the underlying cause, or {@code null}
     */
    public QuerkException(String message, String migrationId, StepRef step, String sql, Throwable cause) {
        super(message, cause);
        this.migrationId = step != null ? step.migrationId() : migrationId;
        this.step = step;
        this.sql = sql;
    }

    /** @return the id of the migration that failed, when the failure belongs to one */
    public Optional<String> migrationId() {
        return Optional.ofNullable(migrationId);
    }

    /** @return the step that failed, when the failure belongs to one */
    public Optional<StepRef> step() {
        return Optional.ofNullable(step);
    }

    /** @return the SQL statement that failed, when one did */
    public Optional<String> sql() {
        return Optional.ofNullable(sql);
    }
}
