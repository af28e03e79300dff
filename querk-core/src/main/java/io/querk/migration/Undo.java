package io.querk.migration;

import io.querk.Api;

import java.util.Objects;

/**
 * How to undo a raw SQL step of the expand phase, for {@code Querk.abort(migrationId)}: typed
 * steps know their own undo (drop the added column, index, constraint, trigger), raw SQL does
 * not, so a migration whose expand ran raw SQL can be aborted only if the step says how.
 *
 * <pre>{@code
 * .expand(e -> e.sql("CREATE TYPE parcel_size AS ENUM ('s', 'm', 'l')",
 *         Undo.with("DROP TYPE IF EXISTS parcel_size")))
 * }</pre>
 *
 * <p>The undo is not part of the migration's checksum: adding one to an applied step, in order to
 * abort it, is allowed. Write it to be idempotent ({@code IF EXISTS}): an abort interrupted
 * anywhere is finished by running it again.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public final class Undo {

    private final String script;

    private Undo(String script) {
        this.script = script;
    }

    /**
     * @param script one or more statements separated by {@code ;} that reverse the step
     * @return the undo
     * @throws MigrationDefinitionException if the script is blank
     */
    public static Undo with(String script) {
        if (script == null || script.isBlank()) {
            throw new MigrationDefinitionException("An Undo needs SQL that reverses the step, such as"
                    + " Undo.with(\"DROP TYPE IF EXISTS parcel_size\").");
        }
        return new Undo(script.strip());
    }

    /** @return the SQL that reverses the step */
    public String script() {
        return script;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Undo u && u.script.equals(script);
    }

    @Override
    public int hashCode() {
        return Objects.hash(script);
    }

    @Override
    public String toString() {
        return "Undo[" + script + "]";
    }
}
