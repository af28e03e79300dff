package io.querk.review.internal.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlTextTest {

    @Test
    void stringsCommentsAndDollarQuotesHideTheirContents() {
        SqlText t = SqlText.of("SELECT 'a;b $1', \"x;y\", $$ ; $2 $$ -- ; $3\n FROM t /* ; $4 /* nested */ */ WHERE a = $1");
        assertEquals(-1, t.secondStatementAt());
        assertEquals(1, t.maxParameter());
        assertEquals("select", t.firstWord());
        assertEquals(List.of(SqlText.Kind.WORD, SqlText.Kind.STRING), t.tokens().subList(0, 2).stream().map(SqlText.Token::kind).toList());
    }

    @Test
    void aSecondStatementIsFoundAndTrailingSemicolonsAreNot() {
        assertEquals(10, SqlText.of("SELECT 1; DROP TABLE t").secondStatementAt());
        SqlText one = SqlText.of("SELECT 1 ;; ");
        assertEquals(-1, one.secondStatementAt());
        assertEquals("SELECT 1", one.withoutTrailingSemicolons());
        assertEquals("line 2, column 3", SqlText.of("SELECT\n  x").lineAndColumn(9));
    }

    @Test
    void parametersAreReplacedOutsideStringsOnly() {
        SqlText t = SqlText.of("SELECT '$1' FROM t WHERE a = $1 AND b = $2 AND c = $10");
        assertEquals(10, t.maxParameter());
        assertEquals("SELECT '$1' FROM t WHERE a = A1 AND b = A2 AND c = A10", t.replaceParameters(n -> "A" + n));
    }

    @Test
    void unterminatedTextIsAnErrorNamingTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SqlText.of("SELECT 'abc"));
        assertTrue(e.getMessage().contains("offset 7"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SqlText.of("SELECT /* x"));
        assertThrows(IllegalArgumentException.class, () -> SqlText.of("SELECT $q$ x"));
    }

    @Test
    void clausesOfAPlainSelect() {
        SqlText t = SqlText.of("SELECT a FROM t WHERE b = 1 AND c BETWEEN 1 AND 2 ORDER BY a DESC LIMIT 10 OFFSET 20");
        Clauses c = Clauses.of(t);
        assertEquals("b = 1 AND c BETWEEN 1 AND 2", c.body("where"));
        assertEquals("a DESC", c.body("order"));
        assertEquals(2, c.split(c.bodyStart("where"), c.span("where")[1], 0, "and").size(), "BETWEEN keeps its AND");
        assertEquals(null, Clauses.of(SqlText.of("SELECT 1 UNION SELECT 2")));
        assertEquals(null, Clauses.of(SqlText.of("WITH x AS (SELECT 1) SELECT * FROM x")));
    }

    @Test
    void anUpdatesSetListNamesItsColumns() {
        assertEquals(java.util.Set.of("status", "delivered_at", "Weird"), SqlText.of("UPDATE shipments s SET status = 'x',"
                + " delivered_at = now(), \"Weird\" = lower(s.a) FROM c WHERE s.id = c.id AND s.x = 1").updatedColumns());
        assertEquals(java.util.Set.of("a", "b"), SqlText.of("UPDATE t SET (a, b) = (1, 2) WHERE c = 3").updatedColumns());
        assertTrue(SqlText.of("SELECT a = 1 FROM t").updatedColumns().isEmpty());
    }
}
