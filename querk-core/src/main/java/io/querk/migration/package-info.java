/**
 * The migration model and its DSL: {@link io.querk.migration.Migration#define(String)} with
 * expand, backfill and contract phases, whose typed steps render their own safe SQL.
 */
package io.querk.migration;
