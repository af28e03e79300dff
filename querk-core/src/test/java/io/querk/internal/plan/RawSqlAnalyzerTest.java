package io.querk.internal.plan;

import io.querk.corpus.Corpus;
import io.querk.internal.sql.SqlLexer;
import io.querk.internal.sql.SqlStatements;
import io.querk.internal.sql.SqlSyntaxException;
import io.querk.internal.sql.Token;
import io.querk.migration.Phase;
import io.querk.plan.Hazard;
import io.querk.plan.LockMode;
import io.querk.plan.PlannedLock;
import io.querk.plan.TableEffect;
import io.querk.plan.TableFacts;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing robustness of the raw-SQL analyzer; the verdicts themselves are pinned by the corpus. */
@ExtendWith(SeededRandomExtension.class)
class RawSqlAnalyzerTest {

    private static final Function<String, Optional<TableFacts>> OFFLINE = t -> Optional.empty();

    private static StatementAnalysis analyze(String sql) {
        return analyze(sql, Phase.EXPAND, OFFLINE);
    }

    private static StatementAnalysis analyze(String sql, Phase phase, Function<String, Optional<TableFacts>> facts) {
        List<SqlStatements.Statement> statements = SqlStatements.split(sql);
        assertEquals(1, statements.size(), "one statement expected in: " + sql);
        return RawSqlAnalyzer.analyze(statements.get(0), 18, phase, facts);
    }

    private static Map<String, LockMode> locks(StatementAnalysis a) {
        Map<String, LockMode> m = new LinkedHashMap<>();
        for (PlannedLock l : a.locks()) {
            m.put(l.relation(), l.mode());
        }
        return m;
    }

    private static Set<String> codes(StatementAnalysis a) {
        return a.hazards().stream().map(Hazard::code).collect(Collectors.toSet());
    }

    private static TableFacts facts(String table, Map<String, String> types, Set<String> proven) {
        return new TableFacts(table, 1000, 0, 0, 0, types, proven);
    }

    // --- comments, quoting, qualification, case -------------------------------------------------

    @Test
    void commentsAnywhereAreIgnored() {
        StatementAnalysis a = analyze("-- why\nALTER /* the table */ TABLE t -- really\n ADD COLUMN /* new */ x int");
        assertEquals(Map.of("t", LockMode.ACCESS_EXCLUSIVE), locks(a));
        assertEquals(TableEffect.NONE, a.effect());
        assertTrue(a.hazards().isEmpty(), a.hazards().toString());
    }

    @Test
    void quotedIdentifiersKeepTheirSpellingInLocksAndLoseTheirQuotesForFacts() {
        List<String> asked = new ArrayList<>();
        StatementAnalysis a = analyze("ALTER TABLE \"Order Items\" ALTER COLUMN \"Unit Price\" TYPE numeric(12,2)",
                Phase.EXPAND, table -> {
                    asked.add(table);
                    return Optional.of(facts(table, Map.of("Unit Price", "numeric(10,2)"), Set.of()));
                });
        assertEquals(Map.of("\"Order Items\"", LockMode.ACCESS_EXCLUSIVE), locks(a));
        assertEquals(List.of("Order Items"), asked);
        assertEquals(TableEffect.NONE, a.effect(), "numeric(10,2) to numeric(12,2) is binary coercible");
        assertEquals("\"Order Items\"", a.table());
    }

    @Test
    void schemaQualifiedNamesReachTheFactsQualified() {
        List<String> asked = new ArrayList<>();
        StatementAnalysis a = analyze("ALTER TABLE App.Accounts ALTER COLUMN email TYPE varchar(10)", Phase.EXPAND,
                table -> {
                    asked.add(table);
                    return Optional.of(facts(table, Map.of("email", "character varying(40)"), Set.of()));
                });
        assertEquals(List.of("app.accounts"), asked);
        assertEquals(Map.of("App.Accounts", LockMode.ACCESS_EXCLUSIVE), locks(a));
        assertEquals(Set.of("type-change-rewrite"), codes(a), "shrinking a varchar rewrites");
    }

    @Test
    void keywordsAreReadInAnyCase() {
        StatementAnalysis a = analyze("cReAtE iNdEx CoNcUrReNtLy If NoT eXiStS i ON T (a)");
        assertEquals(Map.of("T", LockMode.SHARE_UPDATE_EXCLUSIVE), locks(a));
        assertTrue(a.mustRunAlone());
        assertEquals(Set.of("weak-lock"), codes(a));
    }

    @Test
    void oneRelationSpelledSeveralWaysIsLockedOnce() {
        StatementAnalysis a = analyze("LOCK TABLE t, \"t\", T IN SHARE MODE");
        assertEquals(Map.of("t", LockMode.SHARE), locks(a));
    }

    @Test
    void aQuotedNameIsNotTheFoldedOne() {
        StatementAnalysis a = analyze("LOCK TABLE t, \"T\" IN SHARE MODE");
        assertEquals(Map.of("t", LockMode.SHARE, "\"T\"", LockMode.SHARE), locks(a));
    }

    // --- multi-subcommand ALTER TABLE ----------------------------------------------------------

    @Test
    void severalSubcommandsTakeTheStrongestLockAndHeaviestEffect() {
        StatementAnalysis a = analyze("ALTER TABLE t ALTER COLUMN a SET STATISTICS 100, SET (fillfactor = 80),"
                + " ADD COLUMN s bigserial, DROP COLUMN old");
        assertEquals(Map.of("t", LockMode.ACCESS_EXCLUSIVE), locks(a));
        assertEquals(TableEffect.REWRITE, a.effect());
        assertEquals(Set.of("volatile-default", "drop-in-expand"), codes(a));
    }

    @Test
    void weakSubcommandsAloneStayWeak() {
        StatementAnalysis a = analyze("ALTER TABLE t ALTER COLUMN a SET STATISTICS 100, SET (fillfactor = 80),"
                + " SET WITHOUT CLUSTER");
        assertEquals(Map.of("t", LockMode.SHARE_UPDATE_EXCLUSIVE), locks(a));
    }

    @Test
    void commasInsideBracketsDoNotSplitSubcommands() {
        StatementAnalysis a = analyze("ALTER TABLE t ADD COLUMN d numeric(10, 2) DEFAULT round(1.234, 2),"
                + " ADD CONSTRAINT t_fk FOREIGN KEY (a, b) REFERENCES p (a, b) NOT VALID");
        assertEquals(Map.of("t", LockMode.ACCESS_EXCLUSIVE, "p", LockMode.SHARE_ROW_EXCLUSIVE), locks(a));
        assertEquals(TableEffect.NONE, a.effect());
        assertTrue(a.hazards().isEmpty(), a.hazards().toString());
    }

    @Test
    void hazardsComeWorstFirst() {
        StatementAnalysis a = analyze("ALTER TABLE t ALTER COLUMN c TYPE varchar(30), ADD COLUMN u uuid DEFAULT"
                + " gen_random_uuid()");
        List<String> order = a.hazards().stream().map(h -> h.severity().name()).toList();
        assertEquals(List.of("DANGER", "WARNING"), order, a.hazards().toString());
    }

    // --- strings, dollar quotes and other text that holds keywords -------------------------------

    @Test
    void keywordsInsideAStringAreNotCommands() {
        StatementAnalysis a = analyze("COMMENT ON TABLE t IS 'DROP TABLE t'");
        assertEquals(Map.of("t", LockMode.SHARE_UPDATE_EXCLUSIVE), locks(a));
        assertFalse(codes(a).contains("drop-in-expand"), a.hazards().toString());
        assertTrue(a.hazards().isEmpty());
    }

    @Test
    void keywordsInsideADollarQuotedBodyAreNotCommands() {
        StatementAnalysis a = analyze("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $body$ BEGIN"
                + " TRUNCATE t; DROP TABLE t; END $body$");
        assertTrue(a.locks().isEmpty(), a.locks().toString());
        assertTrue(a.hazards().isEmpty(), a.hazards().toString());
    }

    @Test
    void aColumnNamedLikeAKeywordIsStillAColumn() {
        StatementAnalysis a = analyze("ALTER TABLE t ADD COLUMN \"drop\" text DEFAULT 'truncate'");
        assertEquals(TableEffect.NONE, a.effect());
        assertTrue(a.hazards().isEmpty(), a.hazards().toString());
    }

    // --- what it cannot read -------------------------------------------------------------------

    @Test
    void unknownStatementsGetTheConservativeVerdictOnTheTableTheyName() {
        for (String sql : List.of("CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING",
                "SECURITY LABEL ON TABLE t IS 'secret'", "ALTER TABLE t FROBNICATE")) {
            StatementAnalysis a = analyze(sql);
            assertEquals(Map.of("t", LockMode.ACCESS_EXCLUSIVE), locks(a), sql);
            assertEquals(Set.of("unrecognized-statement"), codes(a), sql);
            assertFalse(a.summary().isBlank(), sql);
        }
    }

    @Test
    void unknownStatementsWithoutATableLockNothingButStillWarn() {
        for (String sql : List.of("EXPLAIN ANALYZE SELECT 1", "FOO BAR BAZ", "CHECKPOINT")) {
            StatementAnalysis a = analyze(sql);
            assertTrue(a.locks().isEmpty(), sql + " " + a.locks());
            assertEquals(Set.of("unrecognized-statement"), codes(a), sql);
        }
    }

    @Test
    void anUnknownSubcommandKeepsWhatTheOthersFound() {
        StatementAnalysis a = analyze("ALTER TABLE t ADD COLUMN v uuid DEFAULT gen_random_uuid(), FROBNICATE x");
        assertEquals(Map.of("t", LockMode.ACCESS_EXCLUSIVE), locks(a));
        assertEquals(Set.of("volatile-default", "unrecognized-statement"), codes(a));
        assertEquals(TableEffect.REWRITE, a.effect());
    }

    @Test
    void anEmptyStatementHasASummary() {
        StatementAnalysis a = RawSqlAnalyzer.analyze(new SqlStatements.Statement("", 0, List.of()), 16,
                Phase.BACKFILL, OFFLINE);
        assertTrue(a.locks().isEmpty());
        assertFalse(a.summary().isBlank());
        assertNull(a.table());
    }

    @Test
    void aFactsFunctionReturningNullIsTreatedAsOffline() {
        StatementAnalysis a = analyze("ALTER TABLE t ALTER COLUMN b SET NOT NULL", Phase.CONTRACT, t -> null);
        assertEquals(Set.of("may-scan"), codes(a));
    }

    // --- versions ------------------------------------------------------------------------------

    @Test
    void versionGatesBelowTheSupportedRangeAreEncodedToo() {
        SqlStatements.Statement detach = SqlStatements.split("ALTER TABLE e DETACH PARTITION p CONCURRENTLY").get(0);
        assertTrue(codes(RawSqlAnalyzer.analyze(detach, 13, Phase.CONTRACT, OFFLINE)).contains("unsupported-on-version"));
        assertFalse(codes(RawSqlAnalyzer.analyze(detach, 14, Phase.CONTRACT, OFFLINE)).contains("unsupported-on-version"));
        SqlStatements.Statement reindex = SqlStatements.split("REINDEX TABLE CONCURRENTLY t").get(0);
        assertTrue(codes(RawSqlAnalyzer.analyze(reindex, 11, Phase.EXPAND, OFFLINE)).contains("unsupported-on-version"));
        assertFalse(codes(RawSqlAnalyzer.analyze(reindex, 12, Phase.EXPAND, OFFLINE)).contains("unsupported-on-version"));
    }

    // --- scripts -------------------------------------------------------------------------------

    @Test
    void aTableCreatedEarlierInTheScriptNeedsNoConcurrentIndex() {
        List<StatementAnalysis> all = RawSqlAnalyzer.analyzeScript(SqlStatements.split(
                "CREATE TABLE fresh (id int, v text); CREATE INDEX fresh_v_idx ON fresh (v);"
                        + " ALTER TABLE fresh ADD COLUMN u uuid DEFAULT gen_random_uuid(); CREATE INDEX t_v ON t (v)"),
                17, Phase.EXPAND, OFFLINE);
        assertTrue(all.get(1).hazards().isEmpty(), all.get(1).hazards().toString());
        assertTrue(all.get(2).hazards().isEmpty(), all.get(2).hazards().toString());
        assertEquals(Set.of("index-not-concurrent"), codes(all.get(3)), "t was not created by the script");
    }

    @Test
    void validatingAForeignKeyAddedEarlierInTheScriptNamesItsReferencedTable() {
        List<StatementAnalysis> all = RawSqlAnalyzer.analyzeScript(SqlStatements.split(
                "ALTER TABLE child ADD CONSTRAINT child_fk FOREIGN KEY (p) REFERENCES parent (id) NOT VALID;"
                        + " ALTER TABLE child VALIDATE CONSTRAINT child_fk"), 18, Phase.EXPAND, OFFLINE);
        assertEquals(Map.of("child", LockMode.SHARE_UPDATE_EXCLUSIVE, "parent", LockMode.ROW_SHARE), locks(all.get(1)));
        StatementAnalysis alone = analyze("ALTER TABLE child VALIDATE CONSTRAINT child_fk");
        assertEquals(Map.of("child", LockMode.SHARE_UPDATE_EXCLUSIVE), locks(alone), "alone it cannot know the FK");
    }

    // --- property: never throws, always explains ------------------------------------------------

    private static final List<String> VOCABULARY = List.of("ALTER", "TABLE", "ADD", "COLUMN", "DROP", "CREATE",
            "INDEX", "CONCURRENTLY", "IF", "NOT", "EXISTS", "ON", "ONLY", "CONSTRAINT", "CHECK", "FOREIGN", "KEY",
            "REFERENCES", "UNIQUE", "PRIMARY", "USING", "VALID", "VALIDATE", "SET", "DEFAULT", "NULL", "TYPE", "DATA",
            "WITH", "AS", "SELECT", "FROM", "JOIN", "WHERE", "UPDATE", "DELETE", "INSERT", "INTO", "VALUES", "MERGE",
            "WHEN", "MATCHED", "THEN", "LOCK", "IN", "MODE", "SHARE", "EXCLUSIVE", "ACCESS", "ROW", "VACUUM", "FULL",
            "ANALYZE", "CLUSTER", "REINDEX", "REFRESH", "MATERIALIZED", "VIEW", "TRUNCATE", "COMMENT", "IS",
            "RENAME", "TO", "ATTACH", "DETACH", "PARTITION", "FINALIZE", "GENERATED", "ALWAYS", "STORED", "VIRTUAL",
            "IDENTITY", "TRIGGER", "BEGIN", "COMMIT", "OF", "FOR", "DISTINCT", "NULLS", "ENABLE", "LEVEL",
            "SECURITY", "RESET", "STATISTICS", "TABLESPACE", "LOGGED", "UNLOGGED", "WITHOUT", "OWNER", "t", "parent",
            "app", "\"Odd Name\"", "x", "y", "gen_random_uuid", "uuidv7", "random", "now", "varchar", "numeric",
            "int", "text", "bigserial", "(", ")", "(", ")", ",", ".", "*", "=", "::", "[", "]", "'str'", "$$ body $$",
            "42", "3.5", "$1", "&&", "-- comment\n", "/* c */");

    @Test
    void randomTokenSoupNeverThrowsAndAlwaysExplains(SeededRandom random) {
        int analysed = 0;
        for (int i = 0; i < 4000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.between(0, 25);
            for (int k = 0; k < n; k++) {
                sb.append(random.pick(VOCABULARY)).append(' ');
            }
            analysed += check(sb.toString(), random) ? 1 : 0;
        }
        assertTrue(analysed > 3000, "only " + analysed + " of 4000 soups could be lexed");
    }

    @Test
    void truncatedAndMutatedCorpusStatementsNeverThrow(SeededRandom random) {
        int analysed = 0;
        for (Corpus.Entry e : Corpus.load().entries()) {
            String sql = e.sql();
            for (int cut = 0; cut <= sql.length(); cut++) {
                analysed += check(sql.substring(0, cut), random) ? 1 : 0;
            }
            List<Token> tokens = SqlLexer.tokenizeWithoutComments(sql);
            for (int round = 0; round < 20 && !tokens.isEmpty(); round++) {
                List<Token> mutated = new ArrayList<>(tokens);
                int at = random.nextInt(mutated.size());
                switch (random.between(0, 2)) {
                    case 0 -> mutated.remove(at);
                    case 1 -> mutated.add(at, mutated.get(random.nextInt(mutated.size())));
                    default -> mutated.subList(at, mutated.size()).clear();
                }
                verdictHolds(new SqlStatements.Statement(sql, 0, mutated), random);
                analysed++;
            }
        }
        assertTrue(analysed > 10_000, "too few statements analysed: " + analysed);
    }

    /** @return false if the text cannot even be lexed (an unterminated string): the analyzer never sees it */
    private static boolean check(String text, SeededRandom random) {
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokenize(text);
        } catch (SqlSyntaxException e) {
            return false;
        }
        verdictHolds(new SqlStatements.Statement(text, 0, tokens), random);
        return true;
    }

    private static void verdictHolds(SqlStatements.Statement st, SeededRandom random) {
        Phase phase = random.pick(List.of(Phase.values()));
        int major = random.between(14, 18);
        Function<String, Optional<TableFacts>> facts = random.chance(0.5) ? OFFLINE
                : t -> Optional.of(facts(t, Map.of("a", "integer", "c", "character varying(20)"), Set.of("a")));
        AnalysisContext ctx = new AnalysisContext(major, phase, facts, ScriptKnowledge.none());
        StatementAnalysis a = RawSqlAnalyzer.analyzeStrict(st, ctx); // no safety net: a rule's exception fails here
        String where = "'" + st.text() + "' " + st.tokens();
        assertNotNull(a.effect(), where);
        assertFalse(a.summary() == null || a.summary().isBlank(), where);
        Set<String> relations = new HashSet<>();
        for (PlannedLock l : a.locks()) {
            assertTrue(relations.add(l.relation()), "relation locked twice in " + where);
        }
        for (int i = 1; i < a.hazards().size(); i++) {
            assertTrue(a.hazards().get(i - 1).severity().compareTo(a.hazards().get(i).severity()) >= 0,
                    "hazards not worst first in " + where);
        }
    }
}
