package io.querk.jdbc;

import io.querk.Api;
import io.querk.migration.Migration;
import io.querk.sql.QualifiedName;

import java.util.Objects;

/**
 * What another tool already applied to the database, so that Querk takes over without running it
 * again: a migration that the other tool's history (or a given id) covers counts as applied. The
 * first run that finds such migrations new to Querk's own history records them there as applied
 * (under the runner lock, before anything runs), and runs only what is newer.
 *
 * <pre>{@code
 * Querk.create(QuerkConfig.custom()
 *         .dataSource(dataSource)
 *         .migrations(SqlMigrations.load("classpath:db/migration", loader))   // V1..V20 applied by Flyway, V21.. new
 *         .baseline(Baseline.flyway())
 *         .build())
 *     .migrate();                                                            // runs V21 and later only
 * }</pre>
 *
 * <ul>
 *   <li>{@link #flyway()}: versions that {@code flyway_schema_history} records as applied
 *       successfully (and every version up to a Flyway baseline row) match the SQL files of the same
 *       version ({@code V7__x.sql} has the id {@code 7}). A failed Flyway migration is refused:
 *       repair it with Flyway first.</li>
 *   <li>{@link #liquibase()}: changesets {@code databasechangelog} records as executed match the
 *       migrations whose id is the changeset's id. Refused while Liquibase holds its lock.</li>
 *   <li>{@link #through(String)}: every migration up to and including an id, whoever applied it.</li>
 * </ul>
 *
 * <p>The other tool's table is only read, never changed: the two histories stand side by side.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public final class Baseline {

    /** Which kind of history a baseline reads. */
    public enum Kind {
        /** Flyway's {@code flyway_schema_history}. */
        FLYWAY,
        /** Liquibase's {@code databasechangelog}. */
        LIQUIBASE,
        /** No table: every migration up to an id. */
        THROUGH
    }

    /** Flyway's default history table. */
    public static final String FLYWAY_TABLE = "flyway_schema_history";
    /** Liquibase's default changelog table. */
    public static final String LIQUIBASE_TABLE = "databasechangelog";

    private final Kind kind;
    private final QualifiedName table;
    private final String throughId;

    private Baseline(Kind kind, QualifiedName table, String throughId) {
        this.kind = kind;
        this.table = table;
        this.throughId = throughId;
    }

    /** @return a baseline read from {@code flyway_schema_history} on the connection's search path */
    public static Baseline flyway() {
        return flyway(FLYWAY_TABLE);
    }

    /**
     * @param table Flyway's history table, {@code "name"} or {@code "schema.name"} (Flyway's
     *              {@code schemas}/{@code table} settings)
     * @return a baseline read from it
     * @throws QuerkConfigException if the name is not usable
     */
    public static Baseline flyway(String table) {
        return new Baseline(Kind.FLYWAY, tableName(table), null);
    }

    /** @return a baseline read from {@code databasechangelog} on the connection's search path */
    public static Baseline liquibase() {
        return liquibase(LIQUIBASE_TABLE);
    }

    /**
     * @param table Liquibase's changelog table, {@code "name"} or {@code "schema.name"}; its lock
     *              table is the same name with {@code lock} appended
     * @return a baseline read from it
     * @throws QuerkConfigException if the name is not usable
     */
    public static Baseline liquibase(String table) {
        return new Baseline(Kind.LIQUIBASE, tableName(table), null);
    }

    /**
     * @param migrationId the last migration the database already has, in {@link Migration#ID_ORDER}
     * @return a baseline covering every migration up to and including it
     * @throws QuerkConfigException if the id is blank
     */
    public static Baseline through(String migrationId) {
        if (migrationId == null || migrationId.isBlank()) {
            throw new QuerkConfigException("Baseline.through(...) needs the id of the last migration the database"
                    + " already has, e.g. Baseline.through(\"20\").");
        }
        return new Baseline(Kind.THROUGH, null, migrationId.strip());
    }

    /**
     * Reads a baseline from its text form, as the command line and the Maven plugin take it:
     * {@code flyway}, {@code flyway:schema.table}, {@code liquibase}, {@code liquibase:table}, or a
     * migration id ({@code 20}) for {@link #through(String)}.
     *
     * @param spec the text
     * @return the baseline
     * @throws QuerkConfigException if it is blank or names an unusable table
     */
    public static Baseline parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new QuerkConfigException("A baseline is blank: give flyway, liquibase (optionally :table) or the id"
                    + " of the last migration the database already has.");
        }
        String s = spec.strip();
        if (s.equals("flyway") || s.startsWith("flyway:")) {
            return s.equals("flyway") ? flyway() : flyway(s.substring("flyway:".length()));
        }
        if (s.equals("liquibase") || s.startsWith("liquibase:")) {
            return s.equals("liquibase") ? liquibase() : liquibase(s.substring("liquibase:".length()));
        }
        return through(s);
    }

    private static QualifiedName tableName(String table) {
        try {
            return QualifiedName.parse(Objects.requireNonNull(table, "table"));
        } catch (RuntimeException e) {
            throw new QuerkConfigException("The baseline's table '" + table + "' is not usable: " + e.getMessage());
        }
    }

    /** @return which history this baseline reads */
    public Kind kind() {
        return kind;
    }

    /** @return the other tool's table, for {@link Kind#FLYWAY} and {@link Kind#LIQUIBASE} */
    public java.util.Optional<QualifiedName> table() {
        return java.util.Optional.ofNullable(table);
    }

    /** @return the last migration covered, for {@link Kind#THROUGH} */
    public java.util.Optional<String> throughId() {
        return java.util.Optional.ofNullable(throughId);
    }

    /** @return e.g. {@code flyway_schema_history}, or {@code through 20} */
    @Override
    public String toString() {
        return kind == Kind.THROUGH ? "through " + throughId : table.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Baseline b && b.kind == kind && Objects.equals(b.table, table)
                && Objects.equals(b.throughId, throughId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, table, throughId);
    }
}
