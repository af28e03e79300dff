package io.querk.jdbc.plan;

import io.querk.corpus.Corpus;
import io.querk.internal.render.Action;
import io.querk.internal.render.Catalog;
import io.querk.internal.render.StepRenderer;
import io.querk.internal.sql.SqlStatements;
import io.querk.internal.step.Assignment;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.StepDefinition;
import io.querk.jdbc.internal.run.LiveFacts;
import io.querk.migration.Migration;
import io.querk.plan.LockMode;
import io.querk.plan.MigrationPlan;
import io.querk.plan.PlannedAction;
import io.querk.plan.PlannedLock;
import io.querk.plan.PlannedStep;
import io.querk.plan.Planner;
import io.querk.plan.TableEffect;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The planner against the server: for every typed step and every runnable corpus statement, the
 * lock the plan predicts on each relation equals the strongest lock observed in pg_locks while it
 * runs, and "rewrites" agrees with a change of pg_class.relfilenode. Runs on whichever server
 * the build targets; CI runs it on 14 to 18.
 */
@ExtendWith(PostgresExtension.class)
class PlanAccuracyIT {

    private static final Corpus CORPUS = Corpus.load();

    /**
     * DETACH ... CONCURRENTLY runs two transactions: SHARE UPDATE EXCLUSIVE on the partition in
     * the first, ACCESS EXCLUSIVE in the second. Watched from outside, only the first request
     * waits on the blocker; its later, stronger one is not seen, so for it the observation is a
     * lower bound.
     */
    private static final Set<String> FIRST_REQUEST_ONLY = Set.of("detach-partition-concurrently");

    @TestFactory
    List<DynamicTest> corpusStatementsInATransactionTakeThePredictedLocks(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(CORPUS.fixtureSql());
        }
        int major = db.server().majorVersion();
        List<DynamicTest> tests = new ArrayList<>();
        for (Corpus.Entry e : CORPUS.entries()) {
            if (e.runnable() && !e.mustRunAlone() && e.appliesTo(major)) {
                tests.add(DynamicTest.dynamicTest(e.id(), () -> {
                    try (Connection c = db.connect()) {
                        checkInTransaction(c, e);
                    }
                }));
            }
        }
        assertTrue(tests.size() >= 140, "only " + tests.size() + " runnable transactional entries on " + major);
        return tests;
    }

    private static void checkInTransaction(Connection c, Corpus.Entry e) throws SQLException {
        Map<String, Long> before = resolve(c, e.locks().keySet());
        Map<Long, Long> filesBefore = files(c, before.values());
        c.setAutoCommit(false);
        Map<Long, LockMode> held;
        Map<String, Long> oids;
        Map<Long, Long> filesAfter;
        try {
            try (Statement s = c.createStatement()) {
                s.execute(e.sql());
            } catch (SQLException ex) {
                fail(where(e) + " failed on the fixture: " + ex.getMessage());
            }
            held = LockObserver.ownLocks(c);
            oids = new LinkedHashMap<>(before);
            for (String r : e.locks().keySet()) {
                if (oids.get(r) == null) {
                    oids.put(r, LockObserver.oid(c, r)); // created by the statement itself
                }
            }
            filesAfter = files(c, filesBefore.keySet());
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        compare(e, oids, held, !FIRST_REQUEST_ONLY.contains(e.id()));
        compareRewrite(e, filesBefore, filesAfter);
    }

    @TestFactory
    List<DynamicTest> corpusStatementsThatRunAloneTakeThePredictedLocks(PostgresServer server) {
        int major = server.majorVersion();
        List<DynamicTest> tests = new ArrayList<>();
        for (Corpus.Entry e : CORPUS.entries()) {
            if (e.runnable() && e.mustRunAlone() && e.appliesTo(major)) {
                tests.add(DynamicTest.dynamicTest(e.id(), () -> {
                    // These commit as they go: each gets a fixture of its own.
                    try (TestDatabase db = server.createDatabase("corpus_alone")) {
                        try (Connection c = db.connect(); Statement s = c.createStatement()) {
                            s.execute(CORPUS.fixtureSql());
                        }
                        checkAlone(db, e);
                    }
                }));
            }
        }
        assertTrue(tests.size() >= 15, "only " + tests.size() + " runnable entries that run alone on " + major);
        return tests;
    }

    private static void checkAlone(TestDatabase db, Corpus.Entry e) throws Exception {
        Map<String, Long> oids;
        Map<Long, Long> filesBefore;
        try (Connection c = db.connect()) {
            oids = resolve(c, e.locks().keySet());
            filesBefore = files(c, oids.values());
        }
        List<Long> known = oids.values().stream().filter(o -> o != null).toList();
        Map<Long, LockMode> seen;
        try {
            seen = new LockObserver(db::connect).alone(e.sql(), known);
        } catch (SQLException ex) {
            throw new AssertionError(where(e) + " failed on the fixture: " + ex.getMessage(), ex);
        }
        Map<Long, Long> filesAfter;
        try (Connection c = db.connect()) {
            filesAfter = files(c, filesBefore.keySet());
        }
        compare(e, oids, seen, !FIRST_REQUEST_ONLY.contains(e.id()));
        compareRewrite(e, filesBefore, filesAfter);
    }

    private static void compare(Corpus.Entry e, Map<String, Long> oids, Map<Long, LockMode> observed, boolean exact) {
        for (Map.Entry<String, LockMode> p : e.locks().entrySet()) {
            Long oid = oids.get(p.getKey());
            if (oid == null) {
                fail(where(e) + ": predicted relation " + p.getKey() + " does not exist before or after the statement");
            }
            LockMode got = observed.get(oid);
            String msg = where(e) + ": predicted " + p.getValue() + " on " + p.getKey() + ", observed " + got;
            if (exact) {
                assertEquals(p.getValue(), got, msg);
            } else {
                // Only the first request was seen (see FIRST_REQUEST_ONLY): it must not exceed the prediction.
                assertTrue(got == null || got.compareTo(p.getValue()) <= 0, msg);
            }
        }
    }

    private static void compareRewrite(Corpus.Entry e, Map<Long, Long> before, Map<Long, Long> after) {
        boolean changed = before.entrySet().stream().anyMatch(x -> x.getValue() != null
                && after.get(x.getKey()) != null && !x.getValue().equals(after.get(x.getKey())));
        boolean predicted = e.newRelfilenode();
        String msg = where(e) + ": predicted " + (predicted ? "a new" : "the same") + " relfilenode, got "
                + (changed ? "a new one" : "the same");
        if (e.online()) {
            assertEquals(predicted, changed, msg);
        } else {
            // Without live facts the verdict is the conservative one: the server may rewrite less, never more.
            assertTrue(predicted || !changed, msg);
        }
    }

    private static String where(Corpus.Entry e) {
        return "corpus entry '" + e.id() + "' (line " + e.line() + ") [" + e.sql() + "]";
    }

    private static Map<String, Long> resolve(Connection c, Set<String> relations) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String r : relations) {
            out.put(r, LockObserver.oid(c, r));
        }
        return out;
    }

    private static Map<Long, Long> files(Connection c, java.util.Collection<Long> oids) throws SQLException {
        Map<Long, Long> out = new LinkedHashMap<>();
        for (Long oid : oids) {
            if (oid != null) {
                out.put(oid, LockObserver.relfilenode(c, oid));
            }
        }
        return out;
    }

    // ---- typed steps ----------------------------------------------------------------------------

    private static final String TYPED_FIXTURE = """
            CREATE TABLE depots (id bigint PRIMARY KEY, city text);
            INSERT INTO depots SELECT g, 'city ' || g FROM generate_series(1, 50) g;
            CREATE TABLE shipments (id bigint PRIMARY KEY, depot_id bigint, status text, weight int, note text,
                                    legacy text, code text);
            INSERT INTO shipments SELECT g, 1 + g % 50, 'new', g % 90, NULL, 'old', 'S' || g
                FROM generate_series(1, 3000) g;
            CREATE TABLE old_routes (id int);
            CREATE TABLE legs (leg_no int, shipment_id bigint);
            INSERT INTO legs SELECT g, g FROM generate_series(1, 500) g;
            CREATE INDEX shipments_legacy_idx ON shipments (legacy);
            ALTER TABLE shipments ADD CONSTRAINT shipments_legacy_check CHECK (legacy <> '');
            ANALYZE;
            """;

    private static Migration typedMigration() {
        return Migration.define("2026-11-23.every-typed-step")
                .expand(e -> e.createTable("drivers", t -> t.column("id", "bigint").column("depot_id", "bigint")
                                .primaryKey("id").foreignKey("drivers_depot_fk", fk -> fk.columns("depot_id")
                                        .references("depots", "id")))
                        .addColumn("shipments", "eta", "timestamptz")
                        .addColumn("shipments", "priority", "int", c -> c.notNull().defaultValue("0"))
                        .addColumn("shipments", "token", "uuid", c -> c.volatileDefault("gen_random_uuid()"))
                        .addColumn("shipments", "status_lower", "text", c -> c.derivedFrom("lower(status)"))
                        .createIndex("shipments_status_idx", "shipments", "status")
                        .createIndex("shipments_heavy_idx", "shipments", i -> i.columns("weight").where("weight > 80"))
                        .createUniqueIndex("shipments_code_idx", "shipments", "code")
                        .addCheck("shipments", "shipments_weight_check", "weight >= 0")
                        .addForeignKey("shipments", "shipments_depot_fk", "depot_id", "depots", "id")
                        .addUnique("shipments", "shipments_code_key", "code")
                        .addPrimaryKey("legs", "legs_pkey", "leg_no")
                        .renameColumn("shipments", "note", "remark")
                        .changeColumnType("shipments", "weight", "bigint"))
                .contract(c -> c.setNotNull("shipments", "status")
                        .dropIndex("shipments_legacy_idx")
                        .dropConstraint("shipments", "shipments_legacy_check")
                        .dropColumn("shipments", "legacy")
                        .dropTable("old_routes"))
                .build();
    }

    @Test
    void everyTypedStepTakesThePredictedLocksAndRewritesNothing(TestDatabase db) throws Exception {
        int major = db.server().majorVersion();
        List<String> checked = new ArrayList<>();
        try (Connection c = db.connect()) {
            try (Statement s = c.createStatement()) {
                s.execute(TYPED_FIXTURE);
            }
            Migration m = typedMigration();
            MigrationPlan plan = Planner.forServer(major).withStatistics(new LiveFacts(c, java.time.Duration.ofSeconds(1))).plan(m);
            assertFalse(plan.refused(), plan.toText());
            LockObserver observer = new LockObserver(db::connect);
            for (PlannedStep step : plan.steps()) {
                if (step.step() instanceof Backfill b) {
                    // The batches' own locks are the backfill engine's tests' business; here it only
                    // has to leave the data the later steps expect.
                    fill(c, b);
                    continue;
                }
                List<Action> rendered = StepRenderer.render((StepDefinition) step.step(), Catalog.OFFLINE);
                assertEquals(rendered.size(), step.actions().size(), step.step().description());
                for (int i = 0; i < rendered.size(); i++) {
                    PlannedAction planned = step.actions().get(i);
                    Action action = rendered.get(i);
                    if (action.skipWhen() != null && probe(c, action.skipWhen().inline())) {
                        continue; // the engine would skip it too: its effect is already there
                    }
                    String where = step.step().description() + " / " + planned.purpose() + " on PostgreSQL " + major;
                    checkTyped(c, observer, planned, where);
                    checked.add(where);
                }
            }
        }
        assertTrue(checked.size() >= 35, "only " + checked.size() + " typed actions checked: " + checked);
    }

    private static void checkTyped(Connection c, LockObserver observer, PlannedAction planned, String where)
            throws Exception {
        List<String> relations = planned.locks().stream().map(PlannedLock::relation).toList();
        Map<String, Long> oids = resolve(c, Set.copyOf(relations));
        Map<Long, Long> filesBefore = files(c, oids.values());
        Map<Long, LockMode> observed;
        if (planned.inTransaction()) {
            observed = LockObserver.inTransaction(c, planned.statements(), true);
        } else {
            assertEquals(1, planned.statements().size(), where);
            observed = observer.alone(planned.statements().get(0),
                    oids.values().stream().filter(o -> o != null).toList());
        }
        for (PlannedLock l : planned.locks()) {
            Long oid = oids.get(l.relation()) != null ? oids.get(l.relation()) : LockObserver.oid(c, l.relation());
            assertEquals(l.mode(), observed.get(oid), where + ": predicted " + l.mode() + " on " + l.relation()
                    + ", observed " + observed.get(oid) + " (all observed: " + observed + ")");
        }
        Map<Long, Long> filesAfter = files(c, filesBefore.keySet());
        boolean rewrote = filesBefore.entrySet().stream().anyMatch(x -> x.getValue() != null
                && filesAfter.get(x.getKey()) != null && !x.getValue().equals(filesAfter.get(x.getKey())));
        assertEquals(planned.effect() == TableEffect.REWRITE, rewrote, where + ": relfilenode "
                + (rewrote ? "changed" : "unchanged") + " but the plan says " + planned.effect());
    }

    private static boolean probe(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void fill(Connection c, Backfill b) throws SQLException {
        String set = b.assignments().stream().map(Assignment::sql).collect(Collectors.joining(", "));
        try (Statement s = c.createStatement()) {
            s.execute("UPDATE " + b.target().sql() + " SET " + set + (b.where() == null ? "" : " WHERE " + b.where()));
        }
    }

    @Test
    void statementsSplitAsTheCorpusExpects() {
        for (Corpus.Entry e : CORPUS.entries()) {
            assertEquals(1, SqlStatements.split(e.sql()).size(), where(e));
        }
    }
}
