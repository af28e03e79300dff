package io.querk.internal.render;

import io.querk.migration.ExpandSteps;
import io.querk.migration.ContractSteps;
import io.querk.migration.Migration;
import io.querk.migration.MigrationDefinitionException;
import io.querk.migration.Phase;
import io.querk.migration.ReferentialAction;
import io.querk.migration.Step;
import io.querk.migration.StepKind;
import io.querk.plan.LockMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static io.querk.plan.LockMode.ACCESS_EXCLUSIVE;
import static io.querk.plan.LockMode.ROW_SHARE;
import static io.querk.plan.LockMode.SHARE_ROW_EXCLUSIVE;
import static io.querk.plan.LockMode.SHARE_UPDATE_EXCLUSIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepRendererTest {

    private static Migration expand(Consumer<ExpandSteps> steps) {
        return Migration.define("V1").expand(steps).build();
    }

    private static Migration contract(Consumer<ContractSteps> steps) {
        return Migration.define("V1").contract(steps).build();
    }

    /** The actions of the only step of a phase. */
    private static List<Action> render(Migration m, Phase phase) {
        assertEquals(1, m.steps(phase).size(), () -> "steps of " + phase + ": " + m.steps(phase));
        return StepRenderer.render(m.steps(phase).get(0), Catalog.OFFLINE);
    }

    private static List<Action> renderExpand(Consumer<ExpandSteps> steps) {
        return render(expand(steps), Phase.EXPAND);
    }

    private static RelationLock lock(String relation, LockMode mode) {
        return new RelationLock(relation, mode);
    }

    // ---- indexes -----------------------------------------------------------------------------

    @Test
    void createIndexDropsInvalidLeftoverThenBuildsConcurrently() {
        List<Action> actions = renderExpand(e -> e.createIndex("shipments_city_idx", "shipments", "dest_city"));
        assertEquals(2, actions.size());

        Action leftover = actions.get(0);
        assertEquals(List.of("DROP INDEX CONCURRENTLY IF EXISTS shipments_city_idx"), leftover.statements());
        assertFalse(leftover.transactional());
        assertEquals(List.of(lock("shipments", SHARE_UPDATE_EXCLUSIVE), lock("shipments_city_idx", SHARE_UPDATE_EXCLUSIVE)),
                leftover.locks());
        assertTrue(leftover.skipWhen().sql().contains("NOT i.indisvalid"), leftover.skipWhen().sql());

        Action build = actions.get(1);
        assertEquals(List.of("CREATE INDEX CONCURRENTLY shipments_city_idx ON shipments (dest_city)"),
                build.statements());
        assertFalse(build.transactional());
        assertEquals(List.of(lock("shipments", SHARE_UPDATE_EXCLUSIVE)), build.locks());
        assertTrue(build.longRunningWeakLock());
        assertEquals(List.of("\"shipments\"", "shipments_city_idx"), build.skipWhen().params());
    }

    @Test
    void createIndexRendersEveryShape() {
        List<Action> actions = renderExpand(e -> e.createIndex("shipments_open_idx", "logistics.shipments", i -> i
                .using("btree")
                .columns("carrier_id")
                .columnDescending("created_at")
                .expression("lower(dest_city)")
                .include("weight")
                .where("delivered_at IS NULL")));
        assertEquals(List.of("DROP INDEX CONCURRENTLY IF EXISTS logistics.shipments_open_idx"),
                actions.get(0).statements());
        assertEquals(List.of("CREATE INDEX CONCURRENTLY shipments_open_idx ON logistics.shipments USING btree"
                + " (carrier_id, created_at DESC, (lower(dest_city))) INCLUDE (weight) WHERE delivered_at IS NULL"),
                actions.get(1).statements());
    }

    @Test
    void createIndexWithMethodAndExpressionOnly() {
        List<Action> actions = renderExpand(e -> e.createIndex("customers_email_idx", "customers", i -> i
                .unique().expression("lower(email)")));
        assertEquals(List.of("CREATE UNIQUE INDEX CONCURRENTLY customers_email_idx ON customers ((lower(email)))"),
                actions.get(1).statements());
        List<Action> gin = renderExpand(e -> e.createIndex("shipments_tags_idx", "shipments", i -> i
                .using("gin").columns("tags")));
        assertEquals(List.of("CREATE INDEX CONCURRENTLY shipments_tags_idx ON shipments USING gin (tags)"),
                gin.get(1).statements());
    }

    @Test
    void createIndexWithAnOperatorClass() {
        List<Action> actions = renderExpand(e -> e.createIndex("shipments_tracking_trgm_idx", "shipments", i -> i
                .using("gin").columnWithOperatorClass("tracking_no", "gin_trgm_ops")));
        assertEquals(List.of("CREATE INDEX CONCURRENTLY shipments_tracking_trgm_idx ON shipments USING gin"
                + " (tracking_no gin_trgm_ops)"), actions.get(1).statements());
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class, () -> renderExpand(x -> x
                .createIndex("i", "shipments", i -> i.columnWithOperatorClass("a", "gin_trgm_ops; DROP TABLE t"))));
        assertTrue(e.getMessage().contains("is not a name"), e.getMessage());
    }

    @Test
    void createUniqueIndex() {
        List<Action> actions = renderExpand(e -> e.createUniqueIndex("shipments_ref_key", "shipments", "reference",
                "carrier_id"));
        assertEquals(List.of("DROP INDEX CONCURRENTLY IF EXISTS shipments_ref_key"), actions.get(0).statements());
        assertEquals(List.of("CREATE UNIQUE INDEX CONCURRENTLY shipments_ref_key ON shipments (reference, carrier_id)"),
                actions.get(1).statements());
        assertFalse(actions.get(1).transactional());
    }

    @Test
    void dropIndexConcurrentlyIfExists() {
        List<Action> actions = render(contract(c -> c.dropIndex("logistics.shipments_old_idx")), Phase.CONTRACT);
        assertEquals(1, actions.size());
        assertEquals(List.of("DROP INDEX CONCURRENTLY IF EXISTS logistics.shipments_old_idx"),
                actions.get(0).statements());
        assertFalse(actions.get(0).transactional());
        assertEquals(List.of("\"logistics\".\"shipments_old_idx\""), actions.get(0).skipWhen().params());
    }

    // ---- constraints -------------------------------------------------------------------------

    @Test
    void addCheckIsAddedNotValidThenValidated() {
        List<Action> actions = renderExpand(e -> e.addCheck("shipments", "shipments_weight_check", "weight > 0"));
        assertEquals(2, actions.size());

        Action add = actions.get(0);
        assertEquals(List.of("ALTER TABLE shipments ADD CONSTRAINT shipments_weight_check CHECK (weight > 0) NOT VALID"),
                add.statements());
        assertTrue(add.transactional());
        assertEquals(List.of(lock("shipments", ACCESS_EXCLUSIVE)), add.locks());
        assertFalse(add.longRunningWeakLock());

        Action validate = actions.get(1);
        assertEquals(List.of("ALTER TABLE shipments VALIDATE CONSTRAINT shipments_weight_check"),
                validate.statements());
        assertTrue(validate.transactional());
        assertEquals(List.of(lock("shipments", SHARE_UPDATE_EXCLUSIVE)), validate.locks());
        assertTrue(validate.longRunningWeakLock());
        assertTrue(validate.skipWhen().sql().contains("convalidated"), validate.skipWhen().sql());
    }

    @Test
    void addForeignKeyLocksBothTables() {
        List<Action> actions = renderExpand(e -> e.addForeignKey("shipments", "shipments_carrier_fk", fk -> fk
                .columns("carrier_id").references("carriers", "id").onDelete(ReferentialAction.RESTRICT)));
        assertEquals(2, actions.size());

        Action add = actions.get(0);
        assertEquals(List.of("ALTER TABLE shipments ADD CONSTRAINT shipments_carrier_fk FOREIGN KEY (carrier_id)"
                + " REFERENCES carriers (id) ON DELETE RESTRICT NOT VALID"), add.statements());
        assertEquals(List.of(lock("shipments", SHARE_ROW_EXCLUSIVE), lock("carriers", SHARE_ROW_EXCLUSIVE)),
                add.locks());
        assertFalse(add.longRunningWeakLock());

        Action validate = actions.get(1);
        assertEquals(List.of("ALTER TABLE shipments VALIDATE CONSTRAINT shipments_carrier_fk"), validate.statements());
        assertEquals(List.of(lock("shipments", SHARE_UPDATE_EXCLUSIVE), lock("carriers", ROW_SHARE)),
                validate.locks());
        assertTrue(validate.longRunningWeakLock());
    }

    @Test
    void addForeignKeyToPrimaryKeyWithBothActions() {
        List<Action> actions = renderExpand(e -> e.addForeignKey("shipments", "shipments_carrier_fk", fk -> fk
                .columns("carrier_id").references("logistics.carriers")
                .onDelete(ReferentialAction.SET_NULL).onUpdate(ReferentialAction.CASCADE)));
        assertEquals(List.of("ALTER TABLE shipments ADD CONSTRAINT shipments_carrier_fk FOREIGN KEY (carrier_id)"
                + " REFERENCES logistics.carriers ON DELETE SET NULL ON UPDATE CASCADE NOT VALID"),
                actions.get(0).statements());
    }

    @Test
    void addUniqueAttachesAConcurrentlyBuiltIndex() {
        List<Action> actions = renderExpand(e -> e.addUnique("shipments", "shipments_ref_key", "reference"));
        assertEquals(List.of(
                List.of("DROP INDEX CONCURRENTLY IF EXISTS shipments_ref_key"),
                List.of("CREATE UNIQUE INDEX CONCURRENTLY shipments_ref_key ON shipments (reference)"),
                List.of("ALTER TABLE shipments ADD CONSTRAINT shipments_ref_key UNIQUE USING INDEX shipments_ref_key")),
                actions.stream().map(Action::statements).toList());
        assertEquals(List.of(false, false, true), actions.stream().map(Action::transactional).toList());
        assertEquals(List.of(lock("shipments", ACCESS_EXCLUSIVE)), actions.get(2).locks());
    }

    @Test
    void addPrimaryKeyFirstMakesEachColumnNotNullThroughACheck() {
        List<Action> actions = renderExpand(e -> e.addPrimaryKey("carriers", "carriers_pkey", "region", "code"));
        assertEquals(List.of(
                List.of("ALTER TABLE carriers ADD CONSTRAINT querk_nn_carriers_region CHECK (region IS NOT NULL) NOT VALID"),
                List.of("ALTER TABLE carriers VALIDATE CONSTRAINT querk_nn_carriers_region"),
                List.of("ALTER TABLE carriers ALTER COLUMN region SET NOT NULL",
                        "ALTER TABLE carriers DROP CONSTRAINT IF EXISTS querk_nn_carriers_region"),
                List.of("ALTER TABLE carriers ADD CONSTRAINT querk_nn_carriers_code CHECK (code IS NOT NULL) NOT VALID"),
                List.of("ALTER TABLE carriers VALIDATE CONSTRAINT querk_nn_carriers_code"),
                List.of("ALTER TABLE carriers ALTER COLUMN code SET NOT NULL",
                        "ALTER TABLE carriers DROP CONSTRAINT IF EXISTS querk_nn_carriers_code"),
                List.of("DROP INDEX CONCURRENTLY IF EXISTS carriers_pkey"),
                List.of("CREATE UNIQUE INDEX CONCURRENTLY carriers_pkey ON carriers (region, code)"),
                List.of("ALTER TABLE carriers ADD CONSTRAINT carriers_pkey PRIMARY KEY USING INDEX carriers_pkey")),
                actions.stream().map(Action::statements).toList());
    }

    @Test
    void setNotNullGoesThroughAValidatedHelperCheck() {
        List<Action> actions = render(contract(c -> c.setNotNull("shipments", "dest_city")), Phase.CONTRACT);
        assertEquals(3, actions.size());

        Action add = actions.get(0);
        assertEquals(List.of("ALTER TABLE shipments ADD CONSTRAINT querk_nn_shipments_dest_city"
                + " CHECK (dest_city IS NOT NULL) NOT VALID"), add.statements());
        assertTrue(add.statements().get(0).contains(" querk_nn_"));
        assertEquals(1, add.preconditions().size(), "the column must exist");

        Action validate = actions.get(1);
        assertEquals(List.of("ALTER TABLE shipments VALIDATE CONSTRAINT querk_nn_shipments_dest_city"),
                validate.statements());
        assertTrue(validate.longRunningWeakLock());

        Action set = actions.get(2);
        assertEquals(List.of("ALTER TABLE shipments ALTER COLUMN dest_city SET NOT NULL",
                "ALTER TABLE shipments DROP CONSTRAINT IF EXISTS querk_nn_shipments_dest_city"), set.statements());
        assertTrue(set.transactional(), "SET NOT NULL and the drop of the check commit together");
        assertEquals(List.of(lock("shipments", ACCESS_EXCLUSIVE)), set.locks());
    }

    @Test
    void dropConstraintIfExists() {
        List<Action> actions = render(contract(c -> c.dropConstraint("shipments", "shipments_old_check")),
                Phase.CONTRACT);
        assertEquals(1, actions.size());
        assertEquals(List.of("ALTER TABLE shipments DROP CONSTRAINT IF EXISTS shipments_old_check"),
                actions.get(0).statements());
        assertTrue(actions.get(0).transactional());
        assertEquals(List.of(lock("shipments", ACCESS_EXCLUSIVE)), actions.get(0).locks());
    }

    // ---- columns -----------------------------------------------------------------------------

    @Test
    void addPlainColumn() {
        List<Action> actions = renderExpand(e -> e.addColumn("shipments", "note", "text"));
        assertEquals(1, actions.size());
        assertEquals(List.of("ALTER TABLE shipments ADD COLUMN note text"), actions.get(0).statements());
        assertTrue(actions.get(0).transactional());
        assertEquals(List.of(lock("shipments", ACCESS_EXCLUSIVE)), actions.get(0).locks());
        assertEquals(List.of(), actions.get(0).preconditions());
    }

    @Test
    void addColumnWithStableDefault() {
        List<Action> actions = renderExpand(e -> e.addColumn("shipments", "priority", "int",
                c -> c.notNull().defaultValue("0")));
        assertEquals(List.of("ALTER TABLE shipments ADD COLUMN priority int DEFAULT 0 NOT NULL"),
                actions.get(0).statements());
    }

    @Test
    void addColumnWithFunctionDefaultChecksVolatilityFirst() {
        List<Action> actions = renderExpand(e -> e.addColumn("shipments", "seen_at", "timestamptz",
                c -> c.defaultValue("now()")));
        assertEquals(List.of("ALTER TABLE shipments ADD COLUMN seen_at timestamptz DEFAULT now()"),
                actions.get(0).statements());
        assertEquals(1, actions.get(0).preconditions().size());
        Precondition p = actions.get(0).preconditions().get(0);
        assertEquals(List.of(List.of("now")), p.holds().params());
        assertTrue(p.message().contains("volatileDefault(...)"), p.message());
    }

    @Test
    void addColumnWithVolatileDefaultAddsItBareThenSetsTheDefaultInOneAction() {
        List<Action> actions = renderExpand(e -> e.addColumn("shipments", "token", "uuid",
                c -> c.notNull().defaultValue("gen_random_uuid()")));
        assertEquals(1, actions.size());
        assertEquals(List.of("ALTER TABLE shipments ADD COLUMN token uuid",
                "ALTER TABLE shipments ALTER COLUMN token SET DEFAULT gen_random_uuid()"), actions.get(0).statements());
        assertTrue(actions.get(0).transactional());
    }

    @Test
    void addDerivedColumnInstallsASyncTrigger() {
        List<Action> actions = renderExpand(e -> e.addColumn("shipments", "dest_city", "text",
                c -> c.derivedFrom("split_part(destination, ',', 1)")));
        assertEquals(2, actions.size());
        assertEquals(List.of("ALTER TABLE shipments ADD COLUMN dest_city text"), actions.get(0).statements());

        Action trigger = actions.get(1);
        assertEquals(List.of(
                "CREATE OR REPLACE FUNCTION querk_sync_shipments_dest_city_fd39522c() RETURNS trigger LANGUAGE plpgsql AS $querk$\n"
                        + "#variable_conflict use_column\n"
                        + "BEGIN\n"
                        + "    BEGIN\n"
                        + "        NEW.dest_city := (SELECT split_part(destination, ',', 1) FROM (SELECT NEW.*) AS querk_row);\n"
                        + "    EXCEPTION WHEN OTHERS THEN\n"
                        + "        NEW.dest_city := NULL;\n"
                        + "        RAISE WARNING 'querk: trigger % on % could not compute its column for this row (%): it is"
                        + " written NULL and the backfill computes it again', TG_NAME, TG_TABLE_NAME, SQLERRM;\n"
                        + "    END;\n"
                        + "    RETURN NEW;\n"
                        + "END\n"
                        + "$querk$",
                "CREATE OR REPLACE TRIGGER querk_sync_dest_city BEFORE INSERT OR UPDATE ON shipments"
                        + " FOR EACH ROW EXECUTE FUNCTION querk_sync_shipments_dest_city_fd39522c()"),
                trigger.statements());
        assertTrue(trigger.transactional());
        assertEquals(List.of(lock("shipments", SHARE_ROW_EXCLUSIVE)), trigger.locks());
        assertEquals(List.of("\"shipments\"", "querk_sync_dest_city"), trigger.skipWhen().params());
    }

    @Test
    void syncFunctionPicksADollarTagTheExpressionDoesNotContain() {
        List<Action> actions = renderExpand(e -> e.addColumn("shipments", "label", "text",
                c -> c.derivedFrom("'$querk$' || code")));
        String fn = actions.get(1).statements().get(0);
        assertTrue(fn.contains(" AS $querk1$\n"), fn);
        assertTrue(fn.endsWith("\n$querk1$"), fn);
        assertTrue(fn.contains("(SELECT '$querk$' || code FROM (SELECT NEW.*) AS querk_row)"), fn);
    }

    @Test
    void derivedColumnFinishDropsTriggerThenFunction() {
        Migration m = expand(e -> e.addColumn("shipments", "dest_city", "text",
                c -> c.derivedFrom("split_part(destination, ',', 1)")));
        List<Action> actions = render(m, Phase.CONTRACT);
        assertEquals(List.of(
                List.of("DROP TRIGGER IF EXISTS querk_sync_dest_city ON shipments"),
                List.of("DROP FUNCTION IF EXISTS querk_sync_shipments_dest_city_fd39522c()")),
                actions.stream().map(Action::statements).toList());
    }

    @Test
    void dropColumnIfExists() {
        List<Action> actions = render(contract(c -> c.dropColumn("shipments", "destination")), Phase.CONTRACT);
        assertEquals(1, actions.size());
        assertEquals(List.of("ALTER TABLE shipments DROP COLUMN IF EXISTS destination"), actions.get(0).statements());
        assertEquals(List.of(lock("shipments", ACCESS_EXCLUSIVE)), actions.get(0).locks());
        assertEquals(List.of("\"shipments\"", "destination"), actions.get(0).skipWhen().params());
    }

    @Test
    void dropTableIfExists() {
        List<Action> actions = render(contract(c -> c.dropTable("legacy_rates")), Phase.CONTRACT);
        assertEquals(1, actions.size());
        assertEquals(List.of("DROP TABLE IF EXISTS legacy_rates"), actions.get(0).statements());
        assertEquals(List.of(lock("legacy_rates", ACCESS_EXCLUSIVE)), actions.get(0).locks());
        assertEquals(List.of("\"legacy_rates\""), actions.get(0).skipWhen().params());
    }

    // ---- rename and type change --------------------------------------------------------------

    @Test
    void renameColumnAddsTheNewColumnAndABidirectionalTrigger() {
        List<Action> actions = renderExpand(e -> e.renameColumn("shipments", "weight", "weight_kg"));
        assertEquals(2, actions.size());

        Action add = actions.get(0);
        assertEquals(List.of("ALTER TABLE shipments ADD COLUMN weight_kg <type of shipments.weight>"),
                add.statements());
        assertEquals(3, add.preconditions().size(),
                "the old column exists, is plain, and has nothing on it a new column cannot carry");

        assertEquals(List.of(
                "CREATE OR REPLACE FUNCTION querk_sync_shipments_weight_kg_7c98c5b8() RETURNS trigger LANGUAGE plpgsql AS $querk$\n"
                        + "#variable_conflict use_column\n"
                        + "BEGIN\n"
                        + "    IF TG_OP = 'INSERT' THEN\n"
                        + "        IF NEW.weight_kg IS NULL THEN NEW.weight_kg := NEW.weight; ELSE NEW.weight := NEW.weight_kg; END IF;\n"
                        + "    ELSIF NEW.weight IS DISTINCT FROM OLD.weight THEN NEW.weight_kg := NEW.weight;\n"
                        + "    ELSIF NEW.weight_kg IS DISTINCT FROM OLD.weight_kg THEN NEW.weight := NEW.weight_kg;\n"
                        + "    END IF;\n"
                        + "    RETURN NEW;\n"
                        + "END\n"
                        + "$querk$",
                "CREATE OR REPLACE TRIGGER querk_sync_weight_kg BEFORE INSERT OR UPDATE ON shipments"
                        + " FOR EACH ROW EXECUTE FUNCTION querk_sync_shipments_weight_kg_7c98c5b8()"),
                actions.get(1).statements());
    }

    @Test
    void renameColumnTakesTheTypeFromTheCatalog() {
        Migration m = expand(e -> e.renameColumn("shipments", "weight", "weight_kg"));
        Catalog live = (table, column) -> Optional.of(new Catalog.ColumnFacts("numeric(10,3)", false, null));
        List<Action> actions = StepRenderer.render(m.steps(Phase.EXPAND).get(0), live);
        assertEquals(List.of("ALTER TABLE shipments ADD COLUMN weight_kg numeric(10,3)"), actions.get(0).statements());
    }

    @Test
    void renameFinishDropsTriggerAndOldColumnTogether() {
        Migration m = expand(e -> e.renameColumn("shipments", "weight", "weight_kg"));
        List<Action> actions = render(m, Phase.CONTRACT);
        assertEquals(2, actions.size());
        assertEquals(List.of("DROP TRIGGER IF EXISTS querk_sync_weight_kg ON shipments",
                "ALTER TABLE shipments DROP COLUMN IF EXISTS weight"), actions.get(0).statements());
        assertTrue(actions.get(0).transactional());
        assertEquals(List.of("DROP FUNCTION IF EXISTS querk_sync_shipments_weight_kg_7c98c5b8()"), actions.get(1).statements());
    }

    @Test
    void renameFinishMovesDefaultAndNotNullToTheNewColumn() {
        Migration m = expand(e -> e.renameColumn("shipments", "weight", "weight_kg"));
        Catalog live = (table, column) -> Optional.of(new Catalog.ColumnFacts("integer", true, "0"));
        List<Action> actions = StepRenderer.render(m.steps(Phase.CONTRACT).get(0), live);
        assertEquals(List.of(
                List.of("ALTER TABLE shipments ALTER COLUMN weight_kg SET DEFAULT 0"),
                List.of("ALTER TABLE shipments ADD CONSTRAINT querk_nn_shipments_weight_kg"
                        + " CHECK (weight_kg IS NOT NULL) NOT VALID"),
                List.of("ALTER TABLE shipments VALIDATE CONSTRAINT querk_nn_shipments_weight_kg"),
                List.of("ALTER TABLE shipments ALTER COLUMN weight_kg SET NOT NULL",
                        "ALTER TABLE shipments DROP CONSTRAINT IF EXISTS querk_nn_shipments_weight_kg"),
                List.of("DROP TRIGGER IF EXISTS querk_sync_weight_kg ON shipments",
                        "ALTER TABLE shipments DROP COLUMN IF EXISTS weight"),
                List.of("DROP FUNCTION IF EXISTS querk_sync_shipments_weight_kg_7c98c5b8()")),
                actions.stream().map(Action::statements).toList());
    }

    @Test
    void changeColumnTypeAddsAShadowColumnKeptInSync() {
        List<Action> actions = renderExpand(e -> e.changeColumnType("shipments", "volume", "numeric(12,2)"));
        assertEquals(2, actions.size());
        assertEquals(List.of("ALTER TABLE shipments ADD COLUMN volume_querk_new numeric(12,2)"),
                actions.get(0).statements());
        assertEquals(3, actions.get(0).preconditions().size());
        assertEquals(List.of(
                "CREATE OR REPLACE FUNCTION querk_sync_shipments_volume_querk_new_a09e8260() RETURNS trigger LANGUAGE plpgsql"
                        + " AS $querk$\n"
                        + "#variable_conflict use_column\n"
                        + "BEGIN\n"
                        + "    BEGIN\n"
                        + "        NEW.volume_querk_new := NEW.volume::numeric(12,2);\n"
                        + "    EXCEPTION WHEN OTHERS THEN\n"
                        + "        NEW.volume_querk_new := NULL;\n"
                        + "        RAISE WARNING 'querk: trigger % on % could not compute its column for this row (%): it is"
                        + " written NULL and the backfill computes it again', TG_NAME, TG_TABLE_NAME, SQLERRM;\n"
                        + "    END;\n"
                        + "    RETURN NEW;\n"
                        + "END\n"
                        + "$querk$",
                "CREATE OR REPLACE TRIGGER querk_sync_volume_querk_new BEFORE INSERT OR UPDATE ON shipments"
                        + " FOR EACH ROW EXECUTE FUNCTION querk_sync_shipments_volume_querk_new_a09e8260()"),
                actions.get(1).statements());
    }

    @Test
    void changeColumnTypeWithUsingEvaluatesItOverTheRow() {
        List<Action> actions = renderExpand(e -> e.changeColumnType("shipments", "weight", "bigint",
                "round(weight * 1000)::bigint"));
        assertTrue(actions.get(1).statements().get(0).contains(
                "    NEW.weight_querk_new := (SELECT round(weight * 1000)::bigint FROM (SELECT NEW.*) AS querk_row);\n"),
                actions.get(1).statements().get(0));
    }

    @Test
    void typeChangeFinishSwapsInOneTransaction() {
        Migration m = expand(e -> e.changeColumnType("shipments", "volume", "numeric(12,2)"));
        List<Action> actions = render(m, Phase.CONTRACT);
        assertEquals(2, actions.size());
        Action swap = actions.get(0);
        assertEquals(List.of(
                "DROP TRIGGER IF EXISTS querk_sync_volume_querk_new ON shipments",
                "ALTER TABLE shipments RENAME COLUMN volume TO volume_querk_old",
                "ALTER TABLE shipments RENAME COLUMN volume_querk_new TO volume",
                "ALTER TABLE shipments DROP COLUMN volume_querk_old"), swap.statements());
        assertTrue(swap.transactional());
        assertEquals(List.of(lock("shipments", ACCESS_EXCLUSIVE)), swap.locks());
        assertEquals(List.of("\"shipments\"", "volume_querk_new"), swap.skipWhen().params());
        assertEquals(List.of("DROP FUNCTION IF EXISTS querk_sync_shipments_volume_querk_new_a09e8260()"),
                actions.get(1).statements());
    }

    @Test
    void typeChangeFinishCarriesDefaultAndNotNull() {
        Migration m = expand(e -> e.changeColumnType("shipments", "volume", "bigint"));
        Catalog live = (table, column) -> Optional.of(new Catalog.ColumnFacts("integer", true, "0"));
        List<Action> actions = StepRenderer.render(m.steps(Phase.CONTRACT).get(0), live);
        assertEquals(List.of(
                List.of("ALTER TABLE shipments ADD CONSTRAINT querk_nn_shipments_volume_querk_new"
                        + " CHECK (volume_querk_new IS NOT NULL) NOT VALID"),
                List.of("ALTER TABLE shipments VALIDATE CONSTRAINT querk_nn_shipments_volume_querk_new"),
                List.of("DROP TRIGGER IF EXISTS querk_sync_volume_querk_new ON shipments",
                        "ALTER TABLE shipments RENAME COLUMN volume TO volume_querk_old",
                        "ALTER TABLE shipments RENAME COLUMN volume_querk_new TO volume",
                        "ALTER TABLE shipments ALTER COLUMN volume SET DEFAULT 0",
                        "ALTER TABLE shipments ALTER COLUMN volume SET NOT NULL",
                        "ALTER TABLE shipments DROP CONSTRAINT querk_nn_shipments_volume_querk_new",
                        "ALTER TABLE shipments DROP COLUMN volume_querk_old"),
                List.of("DROP FUNCTION IF EXISTS querk_sync_shipments_volume_querk_new_a09e8260()")),
                actions.stream().map(Action::statements).toList());
    }

    // ---- raw SQL and backfill ----------------------------------------------------------------

    @Test
    void rawSqlRunsPlainStatementsInOneTransaction() {
        List<Action> actions = renderExpand(e -> e.sql("UPDATE shipments SET a = 1;\nINSERT INTO t VALUES (';');"));
        assertEquals(1, actions.size());
        assertEquals(List.of("UPDATE shipments SET a = 1", "INSERT INTO t VALUES (';')"), actions.get(0).statements());
        assertTrue(actions.get(0).transactional());
        assertNull(actions.get(0).skipWhen());
    }

    @Test
    void rawSqlRunsConcurrentlyStatementsAloneOutsideATransaction() {
        List<Action> actions = renderExpand(e -> e.sql("CREATE INDEX CONCURRENTLY i ON t (a); ANALYZE t"));
        assertEquals(2, actions.size());
        assertEquals(List.of("CREATE INDEX CONCURRENTLY i ON t (a)"), actions.get(0).statements());
        assertFalse(actions.get(0).transactional());
        assertEquals(List.of("ANALYZE t"), actions.get(1).statements());
        assertTrue(actions.get(1).transactional());
    }

    @Test
    void backfillRendersNoActions() {
        Migration m = Migration.define("V1").backfill(b -> b.table("shipments").set("a", "1")).build();
        assertEquals(List.of(), StepRenderer.render(m.steps(Phase.BACKFILL).get(0), Catalog.OFFLINE));
    }

    // ---- names -------------------------------------------------------------------------------

    @Test
    void namesNeedingQuotesAreQuoted() {
        assertEquals(List.of("ALTER TABLE \"Order Items\" ADD COLUMN \"user\" text"),
                renderExpand(e -> e.addColumn("Order Items", "user", "text")).get(0).statements());
        assertEquals(List.of("CREATE INDEX CONCURRENTLY \"Order Items_user_idx\" ON \"Order Items\" (\"user\", \"limit\")"),
                renderExpand(e -> e.createIndex("Order Items_user_idx", "Order Items", "user", "limit"))
                        .get(1).statements());
        assertEquals(List.of("ALTER TABLE \"Order Items\" ALTER COLUMN \"user\" SET NOT NULL",
                        "ALTER TABLE \"Order Items\" DROP CONSTRAINT IF EXISTS \"querk_nn_Order Items_user\""),
                render(contract(c -> c.setNotNull("Order Items", "user")), Phase.CONTRACT).get(2).statements());
        assertEquals(List.of("ALTER TABLE \"Sales\".\"Order Items\" DROP COLUMN IF EXISTS \"order\""),
                render(contract(c -> c.dropColumn("Sales.Order Items", "order")), Phase.CONTRACT).get(0).statements());
        List<Action> rename = renderExpand(e -> e.renameColumn("Order Items", "user", "User Name"));
        assertTrue(rename.get(1).statements().get(0).contains("NEW.\"User Name\" := NEW.\"user\";"),
                rename.get(1).statements().get(0));
        assertEquals("CREATE OR REPLACE TRIGGER \"querk_sync_User Name\" BEFORE INSERT OR UPDATE ON \"Order Items\""
                + " FOR EACH ROW EXECUTE FUNCTION \"querk_sync_Order Items_User Name_8ad2b554\"()",
                rename.get(1).statements().get(1));
    }

    @Test
    void syncFunctionOfAQualifiedTableLivesInItsSchema() {
        List<Action> actions = renderExpand(e -> e.addColumn("logistics.shipments", "dest_city", "text",
                c -> c.derivedFrom("lower(destination)")));
        assertTrue(actions.get(1).statements().get(0).startsWith(
                "CREATE OR REPLACE FUNCTION logistics.querk_sync_shipments_dest_city_fd39522c() RETURNS trigger"),
                actions.get(1).statements().get(0));
        assertTrue(actions.get(1).statements().get(1).endsWith(
                " ON logistics.shipments FOR EACH ROW EXECUTE FUNCTION logistics.querk_sync_shipments_dest_city_fd39522c()"),
                actions.get(1).statements().get(1));
    }

    // ---- probes ------------------------------------------------------------------------------

    /** A migration that uses every step kind, with names that cannot occur in catalog SQL by chance. */
    private static Migration everyStepKind() {
        return Migration.define("V1")
                .expand(e -> e
                        .createTable("logistics.carriers", t -> t.column("carrier_code", "text").primaryKey("carrier_code"))
                        .addColumn("logistics.shipments", "dest_city", "text",
                                c -> c.derivedFrom("split_part(destination, ',', 1)"))
                        .addColumn("logistics.shipments", "tracking_token", "uuid",
                                c -> c.defaultValue("gen_random_uuid()"))
                        .addColumn("logistics.shipments", "seen_when", "timestamptz", c -> c.defaultValue("now()"))
                        .createIndex("shipments_city_idx", "logistics.shipments", "dest_city")
                        .addCheck("logistics.shipments", "shipments_weight_check", "weight_grams > 0")
                        .addForeignKey("logistics.shipments", "shipments_carrier_fk", "carrier_code",
                                "logistics.carriers", "carrier_code")
                        .addUnique("logistics.shipments", "shipments_reference_key", "reference_number")
                        .addPrimaryKey("logistics.shipments", "shipments_pkey", "shipment_number")
                        .renameColumn("logistics.shipments", "weight_grams", "mass_grams")
                        .changeColumnType("logistics.shipments", "volume_liters", "numeric(12,2)")
                        .sql("UPDATE logistics.shipments SET flag_column = true"))
                .contract(c -> c
                        .setNotNull("logistics.shipments", "dest_city")
                        .dropColumn("logistics.shipments", "destination")
                        .dropConstraint("logistics.shipments", "shipments_legacy_check")
                        .dropIndex("logistics.shipments_legacy_idx")
                        .dropTable("logistics.legacy_rates"))
                .build();
    }

    private static List<Step> allSteps(Migration m) {
        List<Step> steps = new ArrayList<>();
        for (Phase p : Phase.values()) {
            steps.addAll(m.steps(p));
        }
        return steps;
    }

    @Test
    void everySchemaChangingActionHasASkipProbe() {
        Migration m = everyStepKind();
        int checked = 0;
        for (Step step : allSteps(m)) {
            for (Action a : StepRenderer.render(step, Catalog.OFFLINE)) {
                if (step.kind() == StepKind.RAW_SQL) {
                    assertNull(a.skipWhen(), "raw SQL cannot be recognised in the catalog");
                } else {
                    assertNotNull(a.skipWhen(), () -> step.description() + ": " + a.purpose());
                    checked++;
                }
            }
        }
        assertTrue(checked > 30, "rendered " + checked + " actions");
    }

    @Test
    void probesBindNamesAsParametersOnly() {
        Migration m = everyStepKind();
        List<String> names = List.of("logistics", "carriers", "carrier_code", "shipments", "dest_city",
                "destination", "tracking_token", "seen_when", "shipments_city_idx", "weight_grams",
                "shipments_weight_check", "shipments_carrier_fk", "shipments_reference_key", "reference_number",
                "shipments_pkey", "shipment_number", "mass_grams", "volume_liters", "shipments_legacy_check",
                "shipments_legacy_idx", "legacy_rates", "querk_sync", "querk_nn", "querk_new");
        int probes = 0;
        for (Step step : allSteps(m)) {
            for (Action a : StepRenderer.render(step, Catalog.OFFLINE)) {
                List<Probe> all = new ArrayList<>();
                if (a.skipWhen() != null) {
                    all.add(a.skipWhen());
                }
                a.preconditions().forEach(p -> all.add(p.holds()));
                for (Probe probe : all) {
                    probes++;
                    String where = step.description() + ": " + a.purpose() + ": " + probe.sql();
                    for (String name : names) {
                        assertFalse(probe.sql().contains(name), () -> "'" + name + "' spliced into " + where);
                    }
                    assertFalse(probe.sql().contains("\""), where);
                    long placeholders = probe.sql().chars().filter(ch -> ch == '?').count();
                    assertEquals(probe.params().size(), placeholders, where);
                    assertFalse(probe.params().isEmpty(), where);
                }
            }
        }
        assertTrue(probes > 40, "checked " + probes + " probes");
    }
}
