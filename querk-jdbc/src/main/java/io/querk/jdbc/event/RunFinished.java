package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.jdbc.MigrationReport;

import java.time.Instant;

/** A run ended successfully. @param report what it did */
@Api(status = Api.Status.STABLE, since = "0.1")
public record RunFinished(Instant at, MigrationReport report) implements QuerkEvent {
}
