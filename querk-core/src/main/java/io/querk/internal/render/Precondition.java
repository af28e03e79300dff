package io.querk.internal.render;

/**
 * A fact that must hold before an action runs; when it does not, the step fails before
 * anything is changed, with {@code message}.
 *
 * @param holds   a probe that returns true when all is well
 * @param message what is wrong and what to do
 */
public record Precondition(Probe holds, String message) {
}
