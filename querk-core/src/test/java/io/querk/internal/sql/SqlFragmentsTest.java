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
}
