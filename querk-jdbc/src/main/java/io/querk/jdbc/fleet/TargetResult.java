package io.querk.jdbc.fleet;

import io.querk.Api;
import io.querk.QuerkException;

import java.time.Duration;
import java.util.Optional;

/**
 * What a fleet call did on one target.
 *
 * @param target  the target's name
 * @param outcome whether it ran, failed, or was not started
 * @param result  what the call returned (a report, a plan), or null unless it succeeded
 * @param failure why it failed, or null unless it failed
 * @param took    how long it ran; zero if it was not started
 * @param <T>     what the call returns
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record TargetResult<T>(String target, Outcome outcome, T result, QuerkException failure, Duration took) {

    /** How a target's run ended. */
    public enum Outcome {
        /** The call returned. */
        SUCCEEDED,
        /** The call threw; {@link #failure()} says why. Its own history says how far it got. */
        FAILED,
        /** Not started: an earlier target failed under {@link FailurePolicy#STOP}, or the run was interrupted. */
        SKIPPED
    }

    /** @return what the call returned, if it succeeded */
    public Optional<T> value() {
        return Optional.ofNullable(result);
    }
}
