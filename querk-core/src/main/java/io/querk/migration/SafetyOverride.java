package io.querk.migration;

import io.querk.Api;
import io.querk.internal.plan.HazardCatalog;
import io.querk.plan.Hazard;
import io.querk.plan.Severity;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Accepts the hazards the safety planner finds in a raw SQL step, with a written reason that
 * Querk records in the history table next to the step. Without one, a step with a DANGER
 * hazard is refused.
 *
 * <p>An override names the hazards it accepts; {@link #because(String)} alone accepts every
 * hazard of the step, {@link #onlyFor(String...)} narrows it so that a hazard nobody thought
 * about is still refused.
 *
 * <pre>{@code
 * contract(c -> c.sql("VACUUM FULL audit_log",
 *         SafetyOverride.because("audit_log is 40 MB and unused at night; run in the 02:00 window")
 *                 .onlyFor("vacuum-full")));
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class SafetyOverride {

    /** The shortest reason accepted: long enough to say something a reviewer can check. */
    public static final int MIN_REASON_LENGTH = 10;

    private final String reason;
    private final Set<String> codes;

    private SafetyOverride(String reason, Set<String> codes) {
        this.reason = reason;
        this.codes = codes;
    }

    /**
     * @param reason why the hazard is acceptable here, for the reviewer and the history table
     * @return an override accepting every hazard of the step
     * @throws MigrationDefinitionException if the reason is blank or too short to say anything
     */
    public static SafetyOverride because(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new MigrationDefinitionException("A safety override needs a reason: say why the hazard is"
                    + " acceptable here (table size, maintenance window, who agreed), e.g."
                    + " SafetyOverride.because(\"audit_log holds 2,000 rows; the lock lasts milliseconds\").");
        }
        String r = reason.strip();
        if (r.length() < MIN_REASON_LENGTH) {
            throw new MigrationDefinitionException("The safety override reason '" + r + "' is too short to tell a"
                    + " reviewer anything; write at least " + MIN_REASON_LENGTH + " characters on why the hazard is"
                    + " acceptable here.");
        }
        return new SafetyOverride(r, Set.of());
    }

    /**
     * @param hazardCodes the codes accepted, e.g. {@code "vacuum-full"}; any other hazard is still refused
     * @return a narrower override with the same reason
     * @throws MigrationDefinitionException for a code the planner does not know, listing the known ones
     */
    public SafetyOverride onlyFor(String... hazardCodes) {
        Objects.requireNonNull(hazardCodes, "hazardCodes");
        if (hazardCodes.length == 0) {
            throw new MigrationDefinitionException("onlyFor() names no hazard code; name at least one, or use"
                    + " because(reason) alone to accept every hazard of the step.");
        }
        Set<String> known = HazardCatalog.codes();
        for (String c : hazardCodes) {
            if (c == null || !known.contains(c)) {
                throw new MigrationDefinitionException("Unknown hazard code '" + c + "' in a safety override. Known"
                        + " codes: " + String.join(", ", new TreeSet<>(known)) + ".");
            }
        }
        return new SafetyOverride(reason, Set.copyOf(Arrays.asList(hazardCodes)));
    }

    /** @return why the hazards are acceptable */
    public String reason() {
        return reason;
    }

    /** @return the codes accepted; empty means every hazard of the step */
    public Set<String> hazardCodes() {
        return codes;
    }

    /**
     * @param hazard a hazard of the step; one below DANGER needs no override, so it is always covered
     * @return true if this override accepts {@code hazard}
     */
    public boolean covers(Hazard hazard) {
        return hazard.severity() != Severity.DANGER || codes.isEmpty() || codes.contains(hazard.code());
    }

    /** @return the reason, with the accepted codes when narrowed: what the history table records */
    public String describe() {
        return codes.isEmpty() ? reason : reason + " [accepts: " + String.join(", ", new TreeSet<>(codes)) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetyOverride other && reason.equals(other.reason) && codes.equals(other.codes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, codes);
    }

    @Override
    public String toString() {
        return "SafetyOverride[" + describe() + "]";
    }
}
