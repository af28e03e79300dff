package io.querk.internal.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlFragmentsTest {

    private static void assertProblem(String fragment, String keyPhrase) {
        String problem = SqlFragments.problem(fragment);
        assertNotNull(problem, () -> "expected a problem with: " + fragment);
        assertTrue(problem.contains(keyPhrase), () -> "'" + problem + "' should contain '" + keyPhrase + "'");
    }

    @Test
    void acceptsWellFormedExpressions() {
        for (String ok : List.of("0", "now()", "split_part(destination, ',', 1)", "lower(email)",
                "weight_kg > 0 AND weight_kg < 1000", "numeric(12,2)", "text[]", "(a[1] + b[2])::bigint",
                "delivered_at IS NULL", "$1")) {
            assertNull(SqlFragments.problem(ok), ok);
        }
    }

    @Test
    void acceptsSemicolonsInsideStringsAndQuotedNames() {
        assertNull(SqlFragments.problem("note <> 'a; b'"));
        assertNull(SqlFragments.problem("E'it\\'s; ok'"));
        assertNull(SqlFragments.problem("$$x; y$$"));
        assertNull(SqlFragments.problem("\"odd;name\" IS NOT NULL"));
    }

    @Test
    void rejectsBlank() {
        assertProblem(null, "it is empty");
        assertProblem("", "it is empty");
        assertProblem("  \n\t", "it is empty");
    }

    @Test
    void rejectsTopLevelSemicolon() {
        assertProblem("1; DROP TABLE shipments", "it contains a ';' at line 1, column 2");
        assertProblem("1;", "a fragment must be a single expression, not a statement");
    }

    @Test
    void rejectsComments() {
        assertProblem("a -- trailing", "it contains a comment (-- trailing)");
        assertProblem("a /* inline */ + b", "it contains a comment");
    }

    @Test
    void rejectsUnclosedBracket() {
        assertProblem("lower(email", "its brackets do not balance");
        assertProblem("a[1", "its brackets do not balance");
    }

    @Test
    void rejectsBracketClosedBeforeOpened() {
        assertProblem("a) OR (b", "it closes a bracket it never opened at line 1, column 2");
    }

    @Test
    void rejectsMismatchedBracketKinds() {
        // Counting ( and [ together would let "(a]" through.
        assertProblem("(a]", "brackets");
        assertProblem("[a)", "brackets");
    }

    @Test
    void rejectsUnterminatedString() {
        assertProblem("'pending", "unterminated string constant at line 1, column 1");
        assertProblem("x = \"Col", "unterminated quoted identifier at line 1, column 5");
        assertProblem("$$x", "unterminated dollar-quoted string");
    }

    // ---- fragments read for their role --------------------------------------------------------

    private static void typeProblem(String type, String keyPhrase) {
        String problem = SqlFragments.problem(type, SqlFragments.Role.TYPE);
        assertNotNull(problem, () -> "a type must be nothing but a type: " + type);
        assertTrue(problem.contains(keyPhrase), () -> "'" + problem + "' should contain '" + keyPhrase + "'");
    }

    private static void expressionProblem(String expr, String keyPhrase) {
        String problem = SqlFragments.problem(expr, SqlFragments.Role.EXPRESSION);
        assertNotNull(problem, () -> "a value must be one expression: " + expr);
        assertTrue(problem.contains(keyPhrase), () -> "'" + problem + "' should contain '" + keyPhrase + "'");
    }

    @Test
    void typesAreNamesModifiersArraysAndACollation() {
        for (String ok : List.of("text", "bigint", "numeric(12,2)", "numeric(12, -2)", "character varying(40)",
                "varchar(40)[]", "int[3][]", "integer ARRAY[4]", "double precision", "timestamp(3) with time zone",
                "timestamptz", "time without time zone", "interval day to second(3)", "bit varying(8)",
                "public.money_amount", "\"Weird Type\"", "geometry(Point, 4326)", "text COLLATE \"C\"",
                "text collate pg_catalog.\"default\"", "national character varying(10)", "vector(1536)")) {
            assertNull(SqlFragments.problem(ok, SqlFragments.Role.TYPE), ok);
        }
    }

    @Test
    void aTypeCannotSmuggleAColumnADefaultAGenerationOrAConstraint() {
        // The three of the issue: each passed build() and the plan said "catalog only".
        typeProblem("int, DROP COLUMN name", "holds a ','");
        typeProblem("text GENERATED ALWAYS AS (upper(name)) STORED", "generatedAs(...)");
        typeProblem("text DEFAULT md5(random()::text)", "defaultValue(...)");
        typeProblem("int NOT NULL", "notNull()");
        typeProblem("int CHECK (x > 0)", "addCheck(...)");
        typeProblem("int REFERENCES carriers", "addForeignKey(...)");
        typeProblem("int PRIMARY KEY", "addPrimaryKey(...)");
        typeProblem("int UNIQUE", "addUnique(...)");
        typeProblem("numeric(1+1)", "not a list of numbers or names");
        typeProblem("int[x]", "array brackets");
        typeProblem("(int)", "does not start with a type name");
        typeProblem("text COLLATE", "collation name");
    }

    @Test
    void expressionsMayUseTheirWholeGrammarInsideBrackets() {
        for (String ok : List.of("n + 1", "split_part(destination, ',', 1)", "CASE WHEN a IS NULL THEN 0 ELSE a END",
                "a IS DISTINCT FROM b", "a IS NOT DISTINCT FROM b", "x BETWEEN 1 AND 2", "x NOT IN (1, 2)",
                "x = ANY (ARRAY[1, 2])", "coalesce(a, b)", "(SELECT max(id) FROM other WHERE other.k = k)",
                "EXTRACT(EPOCH FROM created_at)", "ts AT TIME ZONE 'UTC'", "name COLLATE \"C\"", "ROW(a, b)",
                "interval '1 day' + now()", "current_timestamp", "lower(email) LIKE 'a%'", "s SIMILAR TO 'x*'",
                "left(code, 3)", "(a, b)", "NULL", "'it''s'", "$$a, b$$", "\"FROM\" + 1")) {
            assertNull(SqlFragments.problem(ok, SqlFragments.Role.EXPRESSION), ok);
        }
    }

    @Test
    void aValueCannotSmuggleAnotherAssignmentOrClause() {
        // The two of the issue: each overwrote another column on every row, or the walk's key.
        expressionProblem("n, name = 'pwned'", "holds a ',' outside brackets");
        expressionProblem("n, id = -id", "holds a ',' outside brackets");
        expressionProblem("n FROM other", "reserved word FROM");
        expressionProblem("n WHERE false", "reserved word WHERE");
        expressionProblem("n RETURNING *", "reserved word RETURNING");
        expressionProblem("n AS x", "reserved word AS");
        expressionProblem("1 UNION SELECT 2", "reserved word UNION");
        expressionProblem("DEFAULT", "reserved word DEFAULT");
        expressionProblem("1) , name = (2", "closes a bracket it never opened");
        String p = SqlFragments.problem("x > 0, y > 0", SqlFragments.Role.PREDICATE);
        assertNotNull(p);
        assertTrue(p.contains("another clause") && p.contains("predicate"), p);
    }
}
