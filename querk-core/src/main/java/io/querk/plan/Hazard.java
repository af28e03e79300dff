package io.querk.plan;

import io.querk.Api;

/**
 * A known way a statement can hurt a live application, found in a step.
 *
 * @param code        a stable identifier, e.g. {@code index-not-concurrent}
 * @param severity    how bad
 * @param message     what happens, in a sentence
 * @param saferAlternative what to write instead
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Hazard(String code, Severity severity, String message, String saferAlternative) {

    /** @return one line for a person: "DANGER index-not-concurrent: ... Instead: ..." */
    public String describe() {
        return severity + " " + code + ": " + message + (saferAlternative == null || saferAlternative.isEmpty()
                ? "" : " Instead: " + saferAlternative);
    }
}
