package io.querk.internal.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlStatementsTest {

    private static List<String> texts(String script) {
        return SqlStatements.split(script).stream().map(SqlStatements.Statement::text).toList();
    }

    @Test
    void splitsAtTopLevelSemicolons() {
        assertEquals(List.of("SELECT 1", "SELECT 2"), texts("SELECT 1; SELECT 2;"));
    }

    @Test
    void keepsStatementOffsetsAndTrimsText() {
        List<SqlStatements.Statement> statements = SqlStatements.split("  SELECT 1 ;\n  SELECT 2  ");
        assertEquals(2, statements.size());
        assertEquals("SELECT 1", statements.get(0).text());
        assertEquals(2, statements.get(0).offset());
        assertEquals("SELECT 2", statements.get(1).text());
        assertEquals(15, statements.get(1).offset());
    }

    @Test
    void semicolonInStringDoesNotSplit() {
        assertEquals(List.of("SELECT 'a;b'", "SELECT 2"), texts("SELECT 'a;b'; SELECT 2"));
    }

    @Test
    void semicolonInEscapeStringWithEscapedQuoteDoesNotSplit() {
        assertEquals(List.of("SELECT E'it\\'s; fine'", "SELECT 2"), texts("SELECT E'it\\'s; fine'; SELECT 2"));
    }

    @Test
    void semicolonInDollarQuoteDoesNotSplit() {
        assertEquals(List.of("SELECT $$a; b$$", "SELECT 2"), texts("SELECT $$a; b$$; SELECT 2"));
    }

    @Test
    void semicolonInTaggedDollarQuoteDoesNotSplit() {
        String fn = "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $fn$ BEGIN PERFORM 1; PERFORM $$;$$; END $fn$";
        assertEquals(List.of(fn, "SELECT 2"), texts(fn + "; SELECT 2"));
    }

    @Test
    void semicolonInQuotedIdentifierDoesNotSplit() {
        assertEquals(List.of("SELECT 1 AS \"quoted;ident\"", "SELECT 2"),
                texts("SELECT 1 AS \"quoted;ident\"; SELECT 2"));
    }

    @Test
    void semicolonInLineCommentDoesNotSplit() {
        assertEquals(List.of("SELECT 1 -- not; a split\n, 2", "SELECT 3"),
                texts("SELECT 1 -- not; a split\n, 2; SELECT 3"));
    }

    @Test
    void semicolonInNestedBlockCommentDoesNotSplit() {
        assertEquals(List.of("SELECT 1 /* a; /* b; */ c; */ + 2", "SELECT 3"),
                texts("SELECT 1 /* a; /* b; */ c; */ + 2; SELECT 3"));
    }

    @Test
    void commentsAreLeftOutOfStatementTokens() {
        SqlStatements.Statement s = SqlStatements.split("SELECT /* x */ 1 -- y").get(0);
        assertEquals(List.of("SELECT", "1"), s.tokens().stream().map(Token::text).toList());
    }

    @Test
    void beginAtomicBodyStaysWhole() {
        String fn = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END";
        assertEquals(List.of(fn, "SELECT 3"), texts(fn + "; SELECT 3;"));
    }

    @Test
    void caseInsideBeginAtomicDoesNotEndTheBody() {
        String fn = "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql\nbegin atomic\n"
                + "  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n  SELECT CASE x WHEN 1 THEN 2 END;\nend";
        assertEquals(List.of(fn, "SELECT 3"), texts(fn + ";\nSELECT 3"));
    }

    @Test
    void caseOutsideBeginAtomicStillSplits() {
        assertEquals(List.of("SELECT CASE WHEN true THEN 1 END", "SELECT 2"),
                texts("SELECT CASE WHEN true THEN 1 END; SELECT 2"));
    }

    @Test
    void dropsEmptyStatements() {
        assertEquals(List.of("SELECT 1", "SELECT 2"), texts(";; SELECT 1;;; ; SELECT 2;"));
        assertEquals(List.of(), texts(" ; -- only a comment\n ; /* and another */ "));
    }

    @Test
    void syntaxErrorCarriesTheOffset() {
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class,
                () -> SqlStatements.split("SELECT 1;\nSELECT 'oops"));
        assertEquals(17, e.offset());
    }

    @Test
    void positionCountsLinesAndColumnsFromOne() {
        String text = "SELECT 1;\nSELECT 'oops";
        assertEquals("line 1, column 1", SqlStatements.position(text, 0));
        assertEquals("line 1, column 8", SqlStatements.position(text, 7));
        assertEquals("line 1, column 10", SqlStatements.position(text, 9));
        assertEquals("line 2, column 1", SqlStatements.position(text, 10));
        assertEquals("line 2, column 8", SqlStatements.position(text, 17));
    }

    @Test
    void statementTokensAreUnmodifiable() {
        List<Token> tokens = SqlStatements.split("SELECT 1").get(0).tokens();
        assertThrows(UnsupportedOperationException.class, () -> tokens.add(tokens.get(0)));
        assertTrue(tokens.size() == 2);
    }
}
