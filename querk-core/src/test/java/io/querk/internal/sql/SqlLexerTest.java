package io.querk.internal.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.querk.internal.sql.Token.Type.COMMENT;
import static io.querk.internal.sql.Token.Type.NUMBER;
import static io.querk.internal.sql.Token.Type.OPERATOR;
import static io.querk.internal.sql.Token.Type.PARAMETER;
import static io.querk.internal.sql.Token.Type.PUNCTUATION;
import static io.querk.internal.sql.Token.Type.QUOTED_IDENTIFIER;
import static io.querk.internal.sql.Token.Type.STRING;
import static io.querk.internal.sql.Token.Type.WORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlLexerTest {

    private static List<Token.Type> types(List<Token> tokens) {
        return tokens.stream().map(Token::type).toList();
    }

    private static List<String> texts(List<Token> tokens) {
        return tokens.stream().map(Token::text).toList();
    }

    @Test
    void classifiesTokenKinds() {
        List<Token> tokens = SqlLexer.tokenize(
                "SELECT \"Col\", 'x', E'y', $1, 1.5e3, $$b$$, a::int >= 2 -- c\n/* d */;");
        assertEquals(List.of("SELECT", "\"Col\"", ",", "'x'", ",", "E'y'", ",", "$1", ",", "1.5e3", ",", "$$b$$",
                ",", "a", "::", "int", ">=", "2", "-- c", "/* d */", ";"), texts(tokens));
        assertEquals(List.of(WORD, QUOTED_IDENTIFIER, PUNCTUATION, STRING, PUNCTUATION, STRING, PUNCTUATION,
                PARAMETER, PUNCTUATION, NUMBER, PUNCTUATION, STRING, PUNCTUATION, WORD, OPERATOR, WORD, OPERATOR,
                NUMBER, COMMENT, COMMENT, PUNCTUATION), types(tokens));
    }

    @Test
    void recordsOffsetsOfTokens() {
        List<Token> tokens = SqlLexer.tokenize("SELECT  'a'\n,x");
        assertEquals(List.of(0, 8, 12, 13), tokens.stream().map(Token::offset).toList());
        assertEquals(11, tokens.get(1).end());
    }

    @Test
    void readsOtherStringPrefixesAsStrings() {
        List<Token> tokens = SqlLexer.tokenize("B'101' X'ff' N'n' U&'d\\0061' U&\"d\\0061\"");
        assertEquals(List.of(STRING, STRING, STRING, STRING, QUOTED_IDENTIFIER), types(tokens));
    }

    @Test
    void doubledQuotesStayInsideTheirToken() {
        List<Token> tokens = SqlLexer.tokenize("'it''s' \"a\"\"b\"");
        assertEquals(List.of("'it''s'", "\"a\"\"b\""), texts(tokens));
    }

    @Test
    void backslashEscapesQuoteOnlyInEStrings() {
        assertEquals(List.of("E'a\\'b'"), texts(SqlLexer.tokenize("E'a\\'b'")));
        // In a standard string the backslash is an ordinary character.
        assertEquals(List.of("'a\\'", "b"), texts(SqlLexer.tokenize("'a\\' b")));
    }

    @Test
    void taggedDollarQuoteEndsOnlyAtTheSameTag() {
        List<Token> tokens = SqlLexer.tokenize("$fn$ a $$ b $x$ c $fn$ d");
        assertEquals(List.of("$fn$ a $$ b $x$ c $fn$", "d"), texts(tokens));
        assertEquals(STRING, tokens.get(0).type());
    }

    @Test
    void dollarInsideAWordIsPartOfTheWord() {
        List<Token> tokens = SqlLexer.tokenize("price$usd");
        assertEquals(List.of("price$usd"), texts(tokens));
        assertEquals(WORD, tokens.get(0).type());
    }

    @Test
    void nestedBlockCommentIsOneToken() {
        List<Token> tokens = SqlLexer.tokenize("a /* x /* y */ z */ b");
        assertEquals(List.of("a", "/* x /* y */ z */", "b"), texts(tokens));
        assertEquals(COMMENT, tokens.get(1).type());
    }

    @Test
    void operatorStopsBeforeAComment() {
        List<Token> tokens = SqlLexer.tokenize("a +-- note\n b");
        assertEquals(List.of("a", "+", "-- note", "b"), texts(tokens));
    }

    @Test
    void withoutCommentsDropsOnlyComments() {
        List<Token> tokens = SqlLexer.tokenizeWithoutComments("a -- x\n /* y */ b");
        assertEquals(List.of("a", "b"), texts(tokens));
    }

    @Test
    void wordHelpersCompareWithoutCase() {
        Token t = SqlLexer.tokenize("Select").get(0);
        assertTrue(t.isWord("SELECT"));
        assertEquals("select", t.folded());
        Token quoted = SqlLexer.tokenize("\"Select\"").get(0);
        assertFalse(quoted.isWord("select"));
        assertEquals("\"Select\"", quoted.folded());
        assertTrue(SqlLexer.tokenize(";").get(0).is(";"));
        assertFalse(SqlLexer.tokenize("';'").get(0).is(";"));
    }

    @Test
    void unterminatedStringFailsAtItsStart() {
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> SqlLexer.tokenize("SELECT 'abc"));
        assertEquals(7, e.offset());
        assertTrue(e.getMessage().contains("unterminated string constant"), e.getMessage());
    }

    @Test
    void unterminatedEscapeStringFailsAtItsPrefix() {
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> SqlLexer.tokenize("SELECT E'ab\\'"));
        assertEquals(7, e.offset());
        assertTrue(e.getMessage().contains("unterminated string constant"), e.getMessage());
    }

    @Test
    void unterminatedQuotedIdentifierFailsAtItsStart() {
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class, () -> SqlLexer.tokenize("SELECT x, \"Col"));
        assertEquals(10, e.offset());
        assertTrue(e.getMessage().contains("unterminated quoted identifier"), e.getMessage());
    }

    @Test
    void unterminatedDollarQuoteFailsAtItsStart() {
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class,
                () -> SqlLexer.tokenize("SELECT $body$ x $other$"));
        assertEquals(7, e.offset());
        assertTrue(e.getMessage().contains("unterminated dollar-quoted string $body$"), e.getMessage());
    }

    @Test
    void unterminatedBlockCommentFailsAtItsStart() {
        SqlSyntaxException e = assertThrows(SqlSyntaxException.class,
                () -> SqlLexer.tokenize("SELECT 1 /* a /* b */ c"));
        assertEquals(9, e.offset());
        assertTrue(e.getMessage().contains("unterminated /* comment"), e.getMessage());
    }
}
