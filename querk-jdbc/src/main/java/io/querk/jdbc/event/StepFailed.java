package io.querk.jdbc.event;

import io.querk.QuerkException;
import io.querk.migration.StepRef;

import java.time.Instant;

/** A step failed; the run stops and {@code error} is thrown from {@code migrate()}. */
public record StepFailed(Instant at, StepRef step, QuerkException error) implements QuerkEvent {
}
