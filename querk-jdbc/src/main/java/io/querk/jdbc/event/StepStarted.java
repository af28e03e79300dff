package io.querk.jdbc.event;

import io.querk.migration.StepRef;

import java.time.Instant;

/** A step began. */
public record StepStarted(Instant at, StepRef step) implements QuerkEvent {
}
