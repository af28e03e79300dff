package io.querk.migration;

import io.querk.plan.MigrationPlan;
import io.querk.plan.MigrationPlans;
import io.querk.plan.PlannedStep;
import io.querk.plan.Planner;
import io.querk.plan.UnsafeMigrationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SQL-file migrations: names, markers, rewrites into typed steps, refusals with the file's fix, checksums. */
class SqlMigrationsTest {

    private static MigrationPlan plan(Migration m) {
        return Planner.forServer(16).plan(m);
    }

    @Test
    void theNameGivesTheIdAndDescription() {
        Migration m = SqlMigrations.parse("V1_2__Orders_by_date.sql", "CREATE TABLE t (id bigint PRIMARY KEY);");
        assertEquals("1.2", m.id());
        assertEquals("Orders by date", m.description());
        assertEquals("V1_2__Orders_by_date.sql", m.sourceFile().orElseThrow());
    }

    @Test
    void aPlainCreateIndexIsRewrittenIntoTheConcurrentTypedStep() {
        Migration m = SqlMigrations.parse("V21__orders_index.sql",
                "-- index the orders by creation time\nCREATE INDEX orders_created_idx ON orders (created_at DESC);\n");
        Step step = m.steps(Phase.EXPAND).get(0);
        assertEquals(StepKind.CREATE_INDEX, step.kind());
        StepSource src = m.source(step).orElseThrow();
        assertTrue(src.rewritten());
        assertEquals("V21__orders_index.sql:2", src.location());
        MigrationPlan plan = plan(m);
        assertFalse(plan.refused(), plan.toText());
        assertTrue(plan.steps().get(0).actions().stream().flatMap(a -> a.statements().stream())
                .anyMatch(s -> s.equals("CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at DESC)")),
                plan.toText());
        assertTrue(plan.toText().contains("rewritten from: CREATE INDEX orders_created_idx ON orders (created_at DESC)"),
                plan.toText());
        assertTrue(plan.toJson().contains("\"rewritten\": true"), plan.toJson());
        String md = plan.toMarkdown();
        assertTrue(md.contains("Rewritten from `CREATE INDEX orders_created_idx ON orders (created_at DESC)`"), md);
        assertTrue(md.contains("CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at DESC);"), md);
    }

    @Test
    void indexesOfEveryShapeTheTypedStepTakesAreRewritten() {
        Migration m = SqlMigrations.parse("V2__idx.sql", """
                CREATE UNIQUE INDEX IF NOT EXISTS users_email_idx ON app.users USING btree (lower(email)) INCLUDE (id) WHERE deleted_at IS NULL;
                CREATE INDEX docs_title_trgm ON docs USING gin (title gin_trgm_ops);
                CREATE INDEX docs_ts ON docs ((created_at::date));
                CREATE INDEX docs_part ON ONLY docs (x);
                """);
        List<Step> steps = m.steps(Phase.EXPAND);
        assertEquals(List.of(StepKind.CREATE_INDEX, StepKind.CREATE_INDEX, StepKind.CREATE_INDEX, StepKind.RAW_SQL),
                steps.stream().map(Step::kind).toList());
        List<String> sql = plan(m).steps().stream().flatMap(s -> s.actions().stream())
                .flatMap(a -> a.statements().stream()).toList();
        assertTrue(sql.contains("CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON app.users USING btree"
                + " ((lower(email))) INCLUDE (id) WHERE deleted_at IS NULL"), sql.toString());
        assertTrue(sql.contains("CREATE INDEX CONCURRENTLY docs_title_trgm ON docs USING gin (title gin_trgm_ops)"),
                sql.toString());
        assertTrue(sql.contains("CREATE INDEX CONCURRENTLY docs_ts ON docs ((created_at::date))"), sql.toString());
        // ON ONLY has no concurrent form: kept as written, and refused with the hazard.
        assertTrue(plan(m).steps().get(3).refused());
    }

    @Test
    void constraintsAndNotNullAreRewrittenIntoTheirValidatedForms() {
        Migration m = SqlMigrations.parse("V3__constraints.sql", """
                ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);
                ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;
                ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;
                """);
        assertEquals(List.of(StepKind.ADD_CHECK, StepKind.ADD_FOREIGN_KEY, StepKind.SET_NOT_NULL),
                m.steps(Phase.EXPAND).stream().map(Step::kind).toList());
        MigrationPlan plan = plan(m);
        assertFalse(plan.refused(), plan.toText());
        String text = plan.toJson();
        assertTrue(text.contains("CHECK (total >= 0) NOT VALID"), text);
        assertTrue(text.contains("VALIDATE CONSTRAINT orders_customer_fk"), text);
        assertTrue(text.contains("ON DELETE CASCADE NOT VALID"), text);
        assertTrue(text.contains("CHECK (customer_id IS NOT NULL) NOT VALID"), text);
    }

    @Test
    void statementsOnATableTheFileCreatesStayAsWrittenInOneStep() {
        Migration m = SqlMigrations.parse("V4__new.sql", """
                CREATE TABLE parcels (id bigint PRIMARY KEY, code text NOT NULL);
                CREATE INDEX parcels_code_idx ON parcels (code);
                ALTER TABLE parcels ADD CONSTRAINT parcels_code_check CHECK (code <> '');
                """);
        assertEquals(List.of(StepKind.RAW_SQL), m.steps(Phase.EXPAND).stream().map(Step::kind).toList());
        assertFalse(m.source(m.steps(Phase.EXPAND).get(0)).orElseThrow().rewritten());
        assertFalse(plan(m).refused(), plan(m).toText());
    }

    @Test
    void aStatementThatCannotRunInATransactionRunsAloneAndTheOthersTogether() {
        Migration m = SqlMigrations.parse("V4__mixed.sql", "CREATE TABLE parcels (id bigint PRIMARY KEY);\n"
                + "ALTER TABLE parcels ADD COLUMN code text;\n"
                + "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_code_idx ON orders (code);\n"
                + "COMMENT ON TABLE parcels IS 'parcels';\n");
        PlannedStep step = plan(m).steps().get(0);
        assertEquals(List.of(true, false, true), step.actions().stream().map(a -> a.inTransaction()).toList(),
                plan(m).toText());
        assertEquals(2, step.actions().get(0).statements().size());
    }

    @Test
    void aVolatileDefaultIsRefusedByThePlanWithTheFileFixAndTheOverrideMarker() {
        Migration m = SqlMigrations.parse("V22__orders_token.sql",
                "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();\n");
        UnsafeMigrationException e = assertThrows(UnsafeMigrationException.class, () -> plan(m).requireAccepted());
        String msg = e.getMessage();
        assertTrue(msg.contains("volatile-default"), msg);
        assertTrue(msg.contains("V22__orders_token.sql:1"), msg);
        assertTrue(msg.contains("Instead, in the SQL file: add the column without the default"), msg);
        assertTrue(msg.contains("-- querk:override volatile-default because"), msg);
        assertTrue(plan(m).toMarkdown().contains("`-- querk:override volatile-default because"), plan(m).toMarkdown());
    }

    @Test
    void theFixOfAVolatileDefaultPlansCleanly() {
        Migration m = SqlMigrations.parse("V22__orders_token.sql", """
                ALTER TABLE orders ADD COLUMN token uuid;
                ALTER TABLE orders ALTER COLUMN token SET DEFAULT gen_random_uuid();
                -- querk:backfill batch-size=500 pause=10ms
                UPDATE orders SET token = gen_random_uuid() WHERE token IS NULL;
                -- querk:contract
                ALTER TABLE orders ALTER COLUMN token SET NOT NULL;
                """);
        assertEquals(List.of(StepKind.RAW_SQL), m.steps(Phase.EXPAND).stream().map(Step::kind).toList());
        assertEquals(List.of(StepKind.BACKFILL), m.steps(Phase.BACKFILL).stream().map(Step::kind).toList());
        assertEquals(List.of(StepKind.SET_NOT_NULL), m.steps(Phase.CONTRACT).stream().map(Step::kind).toList());
        MigrationPlan plan = plan(m);
        assertFalse(plan.refused(), plan.toText());
        assertTrue(plan.toJson().contains("keyset batches of 500 rows"), plan.toJson());
    }

    @Test
    void anOverrideMarkerAcceptsTheHazardOfTheNextStatementOnly() {
        Migration m = SqlMigrations.parse("V5__vacuum.sql", """
                -- querk:contract
                -- querk:override vacuum-full because audit_log holds 2,000 rows; the lock lasts milliseconds
                VACUUM FULL audit_log;
                VACUUM FULL other_log;
                """);
        List<PlannedStep> steps = plan(m).steps();
        assertEquals(2, steps.size());
        assertFalse(steps.get(0).refused());
        assertEquals("audit_log holds 2,000 rows; the lock lasts milliseconds [accepts: vacuum-full]",
                steps.get(0).override().orElseThrow().describe());
        assertTrue(steps.get(1).refused());
    }

    @Test
    void aDropIsRefusedInExpandByThePlanNotWhenTheFileIsLoaded() {
        Migration expand = SqlMigrations.parse("V6__drop.sql", "ALTER TABLE orders DROP COLUMN notes;");
        assertTrue(plan(expand).refused());
        assertTrue(plan(expand).refusals().get(0).hazard().code().equals("drop-in-expand"));
        Migration contract = SqlMigrations.parse("V6__drop.sql", "-- querk:contract\nALTER TABLE orders DROP COLUMN notes;");
        assertFalse(plan(contract).refused(), plan(contract).toText());
        assertTrue(contract.steps(Phase.EXPAND).isEmpty());
    }

    @Test
    void anUndoMarkerGoesWithItsStatement() {
        Migration m = SqlMigrations.parse("V7__type.sql", """
                -- querk:undo DROP TYPE IF EXISTS parcel_size
                CREATE TYPE parcel_size AS ENUM ('s', 'm', 'l');
                """);
        assertEquals(StepKind.RAW_SQL, m.steps(Phase.EXPAND).get(0).kind());
        assertTrue(((io.querk.internal.step.RawSql) m.steps(Phase.EXPAND).get(0)).undo() != null);
    }

    @Test
    void badMarkersAndStatementsAreRefusedNamingFileAndLine() {
        assertMessage("V8__x.sql:2 has an unknown marker '-- querk:expnad'",
                "SELECT 1;\n-- querk:expnad\nSELECT 2;");
        assertMessage("V8__x.sql:2 has the marker '-- querk:contract' inside a statement",
                "ALTER TABLE t\n-- querk:contract\nDROP COLUMN c;");
        assertMessage("V8__x.sql:2 '-- querk:override because a good reason here' applies to the statement after it",
                "SELECT 1;\n-- querk:override because a good reason here\n");
        assertMessage("V8__x.sql:1 has an override without a reason", "-- querk:override vacuum-full\nVACUUM FULL t;");
        assertMessage("Unknown hazard code 'vacum-full'", "-- querk:override vacum-full because a good reason here\nVACUUM FULL t;");
        assertMessage("V8__x.sql:3 has a statement the backfill section cannot run: only UPDATE",
                "SELECT 1;\n-- querk:backfill\nDELETE FROM t;");
        assertMessage("V8__x.sql:2 marks expand after contract", "-- querk:contract\n-- querk:expand\nSELECT 1;");
        assertMessage("V8__x.sql:1 cannot be read: 'ALTR' does not begin an SQL command", "ALTR TABLE t ADD COLUMN c int;");
        assertMessage("V8__x.sql holds no statement", "-- nothing here\n");
    }

    private static void assertMessage(String expected, String sql) {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> SqlMigrations.parse("V8__x.sql", sql));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void checksumsFollowTheStatementsNotTheComments() {
        Migration a = SqlMigrations.parse("V9__x.sql", "-- first\nCREATE INDEX i ON t (a);\n-- querk:contract\nDROP INDEX CONCURRENTLY IF EXISTS j;");
        Migration b = SqlMigrations.parse("V9__x.sql", "-- reworded comment\n\nCREATE INDEX i ON t (a);\n-- querk:contract\nDROP INDEX CONCURRENTLY IF EXISTS j;");
        Migration c = SqlMigrations.parse("V9__x.sql", "CREATE INDEX i ON t (b);\n-- querk:contract\nDROP INDEX CONCURRENTLY IF EXISTS j;");
        assertEquals(a.checksum(Phase.EXPAND), b.checksum(Phase.EXPAND));
        assertNotEquals(a.checksum(Phase.EXPAND), c.checksum(Phase.EXPAND));
        assertEquals(a.checksum(Phase.CONTRACT), c.checksum(Phase.CONTRACT));
    }

    @Test
    void aFolderIsReadInVersionOrderAndRefusesWhatWouldNeverRun(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("V10__c.sql"), "CREATE TABLE c (id int);");
        Files.writeString(dir.resolve("V2__b.sql"), "CREATE TABLE b (id int);");
        Files.createDirectories(dir.resolve("old"));
        Files.writeString(dir.resolve("old/V1__a.sql"), "CREATE TABLE a (id int);");
        Files.writeString(dir.resolve("README.md"), "not a migration");
        assertEquals(List.of("1", "2", "10"), SqlMigrations.load(dir.toString(), null).stream().map(Migration::id).toList());

        Files.writeString(dir.resolve("v3_typo.sql"), "SELECT 1;");
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> SqlMigrations.fromDirectory(dir));
        assertTrue(e.getMessage().contains("v3_typo.sql is not named V<version>__<description>.sql"), e.getMessage());
        Files.delete(dir.resolve("v3_typo.sql"));

        Files.writeString(dir.resolve("V2.0__again.sql"), "SELECT 1;");
        e = assertThrows(MigrationDefinitionException.class, () -> SqlMigrations.fromDirectory(dir));
        assertTrue(e.getMessage().contains("have the same version"), e.getMessage());
        Files.delete(dir.resolve("V2.0__again.sql"));

        Files.writeString(dir.resolve("R__views.sql"), "CREATE OR REPLACE VIEW v AS SELECT 1;");
        e = assertThrows(MigrationDefinitionException.class, () -> SqlMigrations.fromDirectory(dir));
        assertTrue(e.getMessage().contains("repeatable migration"), e.getMessage());
    }

    @Test
    void aClasspathLocationIsRead() {
        List<Migration> found = SqlMigrations.load("classpath:io/querk/migration/sqlfiles", getClass().getClassLoader());
        assertEquals(List.of("1", "2"), found.stream().map(Migration::id).toList());
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> SqlMigrations.load("classpath:no/such/folder", getClass().getClassLoader()));
        assertTrue(e.getMessage().contains("No folder classpath:no/such/folder"), e.getMessage());
    }

    @Test
    void javaAndSqlMigrationsPlanTogetherForSeveralVersions() {
        Migration java = Migration.define("1.5").expand(e -> e.addColumn("orders", "note", "text")).build();
        List<Migration> all = new java.util.ArrayList<>(SqlMigrations.load("classpath:io/querk/migration/sqlfiles",
                getClass().getClassLoader()));
        all.add(java);
        all.sort((a, b) -> Migration.ID_ORDER.compare(a.id(), b.id()));
        assertEquals(List.of("1", "1.5", "2"), all.stream().map(Migration::id).toList());
        MigrationPlans plans = MigrationPlans.of(all, List.of(14, 18));
        assertFalse(plans.refused(), plans.toText());
        String md = plans.toMarkdown();
        assertTrue(md.contains("**No step refused** on PostgreSQL 14, 18"), md);
        assertTrue(md.startsWith("### Querk plan"), md);
        assertTrue(plans.toJson().strip().startsWith("[") && plans.toJson().contains("\"serverMajor\": 18"), plans.toJson());
    }
}
