package io.querk.sql;

import io.querk.migration.MigrationDefinitionException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdentifierTest {

    @Test
    void plainLowerCaseNameStaysBare() {
        assertEquals("dest_city", Identifier.of("dest_city").sql());
        assertEquals("_private", Identifier.of("_private").sql());
        assertEquals("shipments2", Identifier.of("shipments2").sql());
    }

    @Test
    void upperCaseIsQuoted() {
        assertEquals("\"Shipments\"", Identifier.of("Shipments").sql());
        assertEquals("\"ID\"", Identifier.of("ID").sql());
    }

    @Test
    void spacesAndDotsAreQuoted() {
        assertEquals("\"order items\"", Identifier.of("order items").sql());
        assertEquals("\"a.b\"", Identifier.of("a.b").sql());
    }

    @Test
    void innerDoubleQuotesAreDoubled() {
        assertEquals("\"a\"\"b\"", Identifier.of("a\"b").sql());
        assertEquals("\"\"\"\"", Identifier.of("\"").sql());
    }

    @Test
    void leadingDigitIsQuoted() {
        assertEquals("\"1st\"", Identifier.of("1st").sql());
        assertEquals("\"2026\"", Identifier.of("2026").sql());
    }

    @Test
    void leadingDollarIsQuoted() {
        assertEquals("\"$price\"", Identifier.of("$price").sql());
    }

    @Test
    void unicodeIsQuoted() {
        assertEquals("\"café\"", Identifier.of("café").sql());
        assertEquals("\"straße\"", Identifier.of("straße").sql());
        assertEquals("\"名前\"", Identifier.of("名前").sql());
    }

    @Test
    void postgresKeywordsAreQuoted() {
        for (String keyword : List.of("user", "order", "select", "column", "table", "limit", "int", "time")) {
            assertEquals('"' + keyword + '"', Identifier.of(keyword).sql(), keyword);
        }
    }

    @Test
    void quotedAlwaysQuotes() {
        assertEquals("\"dest_city\"", Identifier.of("dest_city").quoted());
        assertEquals("\"Order\"", Identifier.of("Order").quoted());
        assertEquals("\"a\"\"b\"", Identifier.of("a\"b").quoted());
    }

    @Test
    void toStringIsTheSqlForm() {
        assertEquals("\"user\"", Identifier.of("user").toString());
        assertEquals("plain", Identifier.of("plain").toString());
    }

    @Test
    void nameIsKeptLiterally() {
        assertEquals("Shipments", Identifier.of("Shipments").name());
        assertEquals("a\"b", Identifier.of("a\"b").name());
    }

    @Test
    void rejectsEmptyName() {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class, () -> Identifier.of(""));
        assertTrue(e.getMessage().contains("give every table, column, index and constraint a name"), e.getMessage());
    }

    @Test
    void rejectsNullName() {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class, () -> Identifier.of(null));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void rejectsNulCharacter() {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> Identifier.of("a\0b"));
        assertTrue(e.getMessage().contains("NUL character"), e.getMessage());
        // The NUL itself is spelled out, not printed raw.
        assertTrue(e.getMessage().contains("a\\0b"), e.getMessage());
    }

    @Test
    void rejectsLeadingOrTrailingWhitespace() {
        for (String name : List.of(" a", "a ", "\ta", "a\n", " a ")) {
            MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                    () -> Identifier.of(name), name);
            assertTrue(e.getMessage().contains("white space; remove it"), e.getMessage());
        }
    }

    @Test
    void acceptsInnerWhitespace() {
        assertEquals("a b", Identifier.of("a b").name());
    }

    @Test
    void acceptsExactly63Bytes() {
        String name = "a".repeat(63);
        assertEquals(name, Identifier.of(name).name());
        String multiByte = "é".repeat(31) + "a"; // 31 * 2 + 1 = 63 bytes
        assertEquals(63, multiByte.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(multiByte, Identifier.of(multiByte).name());
    }

    @Test
    void rejectsNameOver63Bytes() {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> Identifier.of("a".repeat(64)));
        assertTrue(e.getMessage().contains("64 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("shorten it"), e.getMessage());
    }

    @Test
    void rejectsMultiByteNameUnder63CharsButOver63Bytes() {
        String name = "é".repeat(32); // 32 chars, 64 bytes
        assertTrue(name.length() < 63);
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class, () -> Identifier.of(name));
        assertTrue(e.getMessage().contains("64 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("shorten it"), e.getMessage());

        String emoji = "\uD83D\uDE00".repeat(16); // 32 chars, 64 bytes
        assertThrows(MigrationDefinitionException.class, () -> Identifier.of(emoji));
    }

    @Test
    void equalNamesAreEqualWithEqualHashCodes() {
        Identifier a = Identifier.of("dest_city");
        Identifier b = Identifier.of("dest_city");
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(0, a.compareTo(b));
    }

    @Test
    void namesDifferingOnlyInCaseAreDifferent() {
        assertNotEquals(Identifier.of("order"), Identifier.of("Order"));
        assertNotEquals(Identifier.of("a"), Identifier.of("b"));
        assertNotEquals(Identifier.of("a"), "a");
        assertTrue(Identifier.of("a").compareTo(Identifier.of("b")) < 0);
    }
}
