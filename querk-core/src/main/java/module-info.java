/**
 * Querk's core: the migration model and its DSL ({@code io.querk.migration}), the safety planner
 * ({@code io.querk.plan}), SQL names ({@code io.querk.sql}) and the exception hierarchy
 * ({@code io.querk}). Depends on the JDK alone.
 *
 * <p>Only these four packages are Querk's API. The {@code internal} packages are exported to the
 * other Querk modules that build on them and to no one else: their types may change in any
 * release.
 */
@SuppressWarnings("module") // qualified exports name Querk modules built after this one
module io.querk.core {
    exports io.querk;
    exports io.querk.migration;
    exports io.querk.plan;
    exports io.querk.sql;

    uses io.querk.migration.MigrationProvider;

    exports io.querk.internal.check to io.querk.jdbc;
    exports io.querk.internal.json to io.querk.jdbc, io.querk.testkit, io.querk.review, io.querk.cli;
    exports io.querk.internal.migration to io.querk.jdbc;
    exports io.querk.internal.render to io.querk.jdbc;
    exports io.querk.internal.step to io.querk.jdbc;
    exports io.querk.internal.sqlfile to io.querk.jdbc;
}
