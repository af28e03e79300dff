package io.querk.jdbc.event;

import io.querk.jdbc.MigrationReport;

import java.time.Instant;

/** A run ended successfully. @param report what it did */
public record RunFinished(Instant at, MigrationReport report) implements QuerkEvent {
}
