package io.querk.plan;

import io.querk.Api;
import io.querk.migration.MigrationDefinitionException;

import io.querk.internal.plan.HazardCatalog;
import io.querk.migration.StepSource;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
     * @param source      where in a SQL file the refused step comes from, or empty
     */
    public record Refusal(String migrationId, String where, Hazard hazard, Optional<StepSource> source) {
        /**
         * Rejects a null source.
         *
         * @param migrationId the migration
         * @param where       the phase and step
         * @param hazard      the hazard
         * @param source      where in a SQL file the step comes from, or empty
         */
        public Refusal {
            Objects.requireNonNull(source, "source");
        }

        /**
         * A refusal of a step not read from a SQL file.
         *
         * @param migrationId the migration
         * @param where       the phase and step
         * @param hazard      the hazard
         */
        public Refusal(String migrationId, String where, Hazard hazard) {
            this(migrationId, where, hazard, Optional.empty());
        }
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
        boolean java = false;
        boolean files = false;
        for (Refusal r : refusals) {
            sb.append("\n  - Migration '").append(r.migrationId()).append("', ").append(r.where());
            r.source().ifPresent(s -> sb.append(" at ").append(s.location()));
            java.util.Optional<String> advice = r.source().flatMap(s -> HazardCatalog.sqlFileAdvice(r.hazard().code()));
            sb.append(": ").append(advice.isPresent() ? r.hazard().severity() + " " + r.hazard().code() + ": "
                    + r.hazard().message() : r.hazard().describe());
            if (r.source().isPresent()) {
                files = true;
                advice.ifPresent(a -> sb.append("\n    Instead, in the SQL file: ").append(a));
                sb.append("\n    To accept it, write on the line before the statement: -- querk:override ")
                        .append(r.hazard().code()).append(" because <why it is acceptable here>");
            } else {
                java = true;
            }
        }
        if (java) {
            sb.append("\nUse the typed step suggested, or if the hazard is acceptable here pass"
                    + " SafetyOverride.because(\"why\").onlyFor(\"<code>\") to sql(...).");
        }
        if (files) {
            sb.append("\nIn a SQL file, use the pattern suggested, or accept the hazard with a reason in an override"
                    + " marker (docs/sql-files.md).");
        }
        return sb.toString();
    }
}
