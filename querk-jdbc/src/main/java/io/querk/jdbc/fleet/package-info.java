/**
 * Many databases, one call: a fleet of targets (one database per tenant or region, say), each
 * with its own configuration, history and runner lock, planned or migrated with bounded
 * parallelism into one combined report.
 *
 * <pre>{@code
 * FleetConfig fleet = FleetConfig.custom()
 *         .targets(tenantDataSources, ds -> QuerkConfig.custom().dataSource(ds).migrations(Migrations.all()).build())
 *         .parallelism(4)
 *         .onFailure(FailurePolicy.STOP)
 *         .build();
 * FleetReport<MigrationReport> report = Fleet.create(fleet).migrate();
 * report.requireAllSucceeded();
 * }</pre>
 */
package io.querk.jdbc.fleet;
