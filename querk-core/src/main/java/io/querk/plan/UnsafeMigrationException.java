package io.querk.plan;

import io.querk.Api;
import io.querk.migration.MigrationDefinitionException;

import java.util.List;

/**
 * A step carries a DANGER hazard that no {@link io.querk.migration.SafetyOverride} accepts, so
 * Querk refuses it: when the migration is built, if the hazard holds on every server, or when
 * it is planned, before anything runs, if it depends on the server version or the live table.
 *
 * <p>The message names each refused step and hazard and says what to write instead.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class UnsafeMigrationException extends MigrationDefinitionException {

    private static final long serialVersionUID = 1L;

    private final transient List<Refusal> refusals;

    /**
     * One refused hazard.
     *
     * @param migrationId the migration
     * @param where       the phase and step, e.g. "expand step 2 (sql: CREATE INDEX ...)"
     * @param hazard      the hazard
     */
    public record Refusal(String migrationId, String where, Hazard hazard) {
    }

    /**
     * @param refusals what was refused; at least one
     */
    public UnsafeMigrationException(List<Refusal> refusals) {
        super(message(refusals), refusals.isEmpty() ? null : refusals.get(0).migrationId());
        this.refusals = List.copyOf(refusals);
    }

    /** @return every refused hazard, in plan order */
    public List<Refusal> refusals() {
        return refusals;
    }

    private static String message(List<Refusal> refusals) {
        StringBuilder sb = new StringBuilder("Querk refuses ").append(refusals.size() == 1 ? "a step" : refusals.size()
                + " hazards").append(" that would block or break the running application:");
        for (Refusal r : refusals) {
            sb.append("\n  - Migration '").append(r.migrationId()).append("', ").append(r.where()).append(": ")
                    .append(r.hazard().describe());
        }
        sb.append("\nUse the typed step suggested, or if the hazard is acceptable here pass"
                + " SafetyOverride.because(\"why\").onlyFor(\"<code>\") to sql(...).");
        return sb.toString();
    }
}
