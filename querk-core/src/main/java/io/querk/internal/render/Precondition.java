package io.querk.internal.render;

/**
 * A fact that must hold before an action runs; when it does not, the step fails before
 * anything is changed, with {@code message}.
 *
 * @param holds   a probe that returns true when all is well
 * @param message what is wrong and what to do
 * @param about   the existing column whose catalog facts (what depends on it) the probe judges,
 *                or null. Such a fact does not depend on what earlier steps of the same plan do
 *                to the table, so the plan judges it from the live catalog even after them, and
 *                a migration is refused before its first step rather than at this one
 */
public record Precondition(Probe holds, String message, io.querk.sql.Identifier about) {

    /** A precondition about the table as earlier steps leave it. */
    public Precondition(Probe holds, String message) {
        this(holds, message, null);
    }
}
