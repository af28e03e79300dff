package io.querk.jdbc.fleet;

import io.querk.Api;
import io.querk.jdbc.QuerkConfig;

/**
 * One database of a fleet: a name for the report and the configuration Querk runs it with (its
 * DataSource, migrations and settings). Each target keeps its own history and runner lock, in its
 * own database, so any number of application instances may still migrate it themselves.
 *
 * @param name   how the report names it ("tenant-42", "eu-west"); unique in the fleet
 * @param config how to run it
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record FleetTarget(String name, QuerkConfig config) {
}
