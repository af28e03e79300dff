package io.querk.internal.plan;

import io.querk.corpus.Corpus;
import io.querk.internal.sql.SqlStatements;
import io.querk.plan.Hazard;
import io.querk.plan.LockMode;
import io.querk.plan.PlannedLock;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks the analyzer against every corpus entry, on every PostgreSQL major version in the entry's range. */
class RawSqlCorpusTest {

    private static final Corpus CORPUS = Corpus.load();

    /** Every hazard code the planner may report; the corpus must not invent others. */
    private static final Set<String> KNOWN_CODES = HazardCatalog.codes();

    @TestFactory
    List<DynamicTest> everyEntryOnEveryVersionInItsRange() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Corpus.Entry e : CORPUS.entries()) {
            for (int major = e.minVersion(); major <= e.maxVersion(); major++) {
                int v = major;
                tests.add(DynamicTest.dynamicTest(e.id() + " on " + v, () -> check(e, v)));
            }
        }
        return tests;
    }

    private static void check(Corpus.Entry e, int major) {
        List<SqlStatements.Statement> statements = SqlStatements.split(e.sql());
        String where = "entry '" + e.id() + "' (line " + e.line() + ") on PostgreSQL " + major + ": " + e.sql();
        assertEquals(1, statements.size(), where + "\nholds " + statements.size() + " statements, not one");
        StatementAnalysis a = RawSqlAnalyzer.analyze(statements.get(0), major, e.phase(), CORPUS.factsFunction(e));
        String got = "\ngot: " + describe(a);
        assertEquals(e.locks(), locks(a), where + "\nlocks differ" + got);
        assertEquals(e.effect(), a.effect(), where + "\neffect differs" + got);
        assertEquals(new TreeSet<>(e.hazards()), new TreeSet<>(codes(a)), where + "\nhazards differ" + got);
        assertEquals(e.mustRunAlone(), a.mustRunAlone(), where + "\nmustRunAlone differs" + got);
        assertFalse(a.summary().isBlank(), where + "\nhas no summary");
    }

    @Test
    void corpusIsLargeEnoughAndWellFormed() {
        List<Corpus.Entry> entries = CORPUS.entries();
        assertTrue(entries.size() >= 110, "the corpus needs at least 110 entries, has " + entries.size());
        Set<String> ids = new HashSet<>();
        for (Corpus.Entry e : entries) {
            assertTrue(ids.add(e.id()), "duplicate id " + e.id());
            assertTrue(e.minVersion() >= 14 && e.maxVersion() <= 18 && e.minVersion() <= e.maxVersion(),
                    e.id() + ": versions " + e.minVersion() + ".." + e.maxVersion() + " outside 14..18");
            assertTrue(KNOWN_CODES.containsAll(e.hazards()), e.id() + ": unknown hazard code in " + e.hazards());
            if (e.hazards().contains("unsupported-on-version")) {
                assertFalse(e.runnable(), e.id() + " uses syntax its versions lack, so it cannot be runnable");
            }
        }
    }

    @Test
    void fixtureCreatesTheTablesTheFactsDescribe() {
        String fixture = CORPUS.fixtureSql();
        for (String table : CORPUS.facts().keySet()) {
            String written = table.contains(" ") ? "\"" + table + "\"" : table;
            assertTrue(fixture.contains("TABLE " + written + " ") || fixture.contains("VIEW " + written + " "),
                    "the fixture does not create " + written);
        }
        assertTrue(CORPUS.factsFor("t").orElseThrow().provenNotNull().contains("b"),
                "the facts rule needs a column proven NOT NULL");
        assertEquals("character varying(20)", CORPUS.factsFor("t").orElseThrow().columnTypes().get("c"));
    }

    @Test
    void coversVersionAndFactDependentVerdicts() {
        Map<String, Corpus.Entry> byId = new LinkedHashMap<>();
        CORPUS.entries().forEach(e -> byId.put(e.id(), e));
        for (String[] pair : new String[][]{
                {"add-not-null-not-valid-18", "add-not-null-not-valid-before-18"},
                {"merge-15", "merge-14"},
                {"create-index-nulls-not-distinct-15", "create-index-nulls-not-distinct-14"},
                {"type-varchar-widen-online", "type-varchar-widen-offline"},
                {"set-not-null-proven-online", "set-not-null-unproven-online"}}) {
            Corpus.Entry a = byId.get(pair[0]);
            Corpus.Entry b = byId.get(pair[1]);
            assertTrue(a != null && b != null, "missing " + pair[0] + " or " + pair[1]);
            assertFalse(a.hazards().equals(b.hazards()) && a.effect() == b.effect(),
                    pair[0] + " and " + pair[1] + " should reach different verdicts");
        }
        assertTrue(byId.containsKey("detach-partition-concurrently") && byId.containsKey("reindex-index-concurrently"));
    }

    @Test
    void statementsThatMustRunAloneAreMarkedSo() {
        long alone = CORPUS.entries().stream().filter(Corpus.Entry::mustRunAlone).count();
        assertTrue(alone >= 10, "expected at least 10 entries that must run alone, got " + alone);
        for (Corpus.Entry e : CORPUS.entries()) {
            if (e.sql().toUpperCase().contains("CONCURRENTLY") && !e.sql().toUpperCase().startsWith("REFRESH")) {
                assertTrue(e.mustRunAlone(), e.id() + " uses CONCURRENTLY but is not marked alone");
            }
        }
    }

    private static Map<String, LockMode> locks(StatementAnalysis a) {
        Map<String, LockMode> m = new LinkedHashMap<>();
        for (PlannedLock l : a.locks()) {
            m.put(l.relation(), l.mode());
        }
        return m;
    }

    private static Set<String> codes(StatementAnalysis a) {
        return a.hazards().stream().map(Hazard::code).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String describe(StatementAnalysis a) {
        String hazards = a.hazards().stream().map(Hazard::describe).collect(Collectors.joining("\n  "));
        return "locks=" + locks(a) + " effect=" + a.effect() + " alone=" + a.mustRunAlone() + "\n  "
                + (hazards.isEmpty() ? "(no hazard)" : hazards) + "\n  summary: " + a.summary();
    }
}
