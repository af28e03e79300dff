package io.querk.sql;

import io.querk.migration.MigrationDefinitionException;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(SeededRandomExtension.class)
class QualifiedNameTest {

    @Test
    void parsesUnqualifiedName() {
        QualifiedName q = QualifiedName.parse("shipments");
        assertEquals(Optional.empty(), q.schema());
        assertEquals("shipments", q.name().name());
    }

    @Test
    void parsesSchemaQualifiedName() {
        QualifiedName q = QualifiedName.parse("logistics.shipments");
        assertEquals(Optional.of(Identifier.of("logistics")), q.schema());
        assertEquals(Identifier.of("shipments"), q.name());
    }

    @Test
    void parsesQuotedPartsWithDotsAndDoubledQuotes() {
        QualifiedName q = QualifiedName.parse("\"odd.schema\".\"a\"\"b\"");
        assertEquals("odd.schema", q.schema().orElseThrow().name());
        assertEquals("a\"b", q.name().name());
    }

    @Test
    void parsesQuotedNameThatIsAKeyword() {
        assertEquals("order", QualifiedName.parse("\"order\"").name().name());
    }

    @Test
    void preservesCaseWithoutFolding() {
        QualifiedName q = QualifiedName.parse("Logistics.Shipments");
        assertEquals("Logistics", q.schema().orElseThrow().name());
        assertEquals("Shipments", q.name().name());
        assertEquals(QualifiedName.parse("\"Logistics\".\"Shipments\""), q);
    }

    @Test
    void rejectsEmptyText() {
        for (String text : java.util.Arrays.asList("", "   ", null)) {
            MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                    () -> QualifiedName.parse(text));
            assertTrue(e.getMessage().contains("is empty"), e.getMessage());
        }
    }

    @Test
    void rejectsEmptyParts() {
        for (String text : List.of("s.", ".t", "a..b")) {
            MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                    () -> QualifiedName.parse(text), text);
            assertTrue(e.getMessage().contains("a part is empty"), e.getMessage());
        }
    }

    @Test
    void rejectsQuotedEmptyPart() {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> QualifiedName.parse("\"\".t"));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void rejectsThreeParts() {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> QualifiedName.parse("db.s.t"));
        assertTrue(e.getMessage().contains("use at most schema.name"), e.getMessage());
    }

    @Test
    void rejectsUnclosedQuote() {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> QualifiedName.parse("s.\"shipments"));
        assertTrue(e.getMessage().contains("a double quote is not closed"), e.getMessage());
    }

    @Test
    void rejectsTextAfterClosingQuote() {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> QualifiedName.parse("\"ship\"ments"));
        assertTrue(e.getMessage().contains("text follows a closing quote"), e.getMessage());
    }

    @Test
    void rejectsQuoteInsideABarePart() {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                () -> QualifiedName.parse("ship\"ments\""));
        assertTrue(e.getMessage().contains("a quote may only open a part"), e.getMessage());
    }

    @Test
    void sqlQuotesEachPartOnlyWhereNeeded() {
        assertEquals("shipments", QualifiedName.parse("shipments").sql());
        assertEquals("logistics.shipments", QualifiedName.of("logistics", "shipments").sql());
        assertEquals("\"Logistics\".\"order\"", QualifiedName.of("Logistics", "order").sql());
        assertEquals("logistics.\"Order Items\"", QualifiedName.of("logistics", "Order Items").sql());
        assertEquals("\"odd.schema\".\"a\"\"b\"", QualifiedName.of("odd.schema", "a\"b").sql());
        assertEquals("shipments", QualifiedName.parse("shipments").toString());
    }

    @Test
    void regclassTextQuotesEveryPart() {
        assertEquals("\"shipments\"", QualifiedName.unqualified("shipments").regclassText());
        assertEquals("\"logistics\".\"shipments\"", QualifiedName.of("logistics", "shipments").regclassText());
        assertEquals("\"a\"\"b\"", QualifiedName.of(null, "a\"b").regclassText());
    }

    @Test
    void siblingKeepsTheSchema() {
        Identifier index = Identifier.of("shipments_idx");
        assertEquals(QualifiedName.of("logistics", "shipments_idx"),
                QualifiedName.parse("logistics.shipments").sibling(index));
        assertEquals(QualifiedName.unqualified("shipments_idx"), QualifiedName.parse("shipments").sibling(index));
    }

    @Test
    void equalityComparesSchemaAndName() {
        assertEquals(QualifiedName.of("s", "t"), QualifiedName.parse("s.t"));
        assertEquals(QualifiedName.of("s", "t").hashCode(), QualifiedName.parse("s.t").hashCode());
        assertNotEquals(QualifiedName.unqualified("t"), QualifiedName.of("s", "t"));
        assertNotEquals(QualifiedName.of("s", "t"), QualifiedName.of("S", "t"));
        assertEquals(QualifiedName.unqualified("t"), QualifiedName.of(null, "t"));
    }

    private static final String ALPHABET = "abcxyz_$019ABCZ .\"'-;()é€ßñ名字";
    private static final List<String> KEYWORDS = List.of("user", "order", "select", "table", "column", "limit",
            "int", "time", "group", "from", "where");

    @Test
    void parseOfSqlRoundTrips(SeededRandom random) {
        for (int i = 0; i < 2_000; i++) {
            String schema = random.chance(0.3) ? null : randomName(random);
            String name = randomName(random);
            QualifiedName q = QualifiedName.of(schema, name);
            String sql = q.sql();
            assertEquals(q, QualifiedName.parse(sql), () -> "schema=" + schema + " name=" + name + " sql=" + sql);
            assertEquals(q, QualifiedName.parse(q.regclassText()), () -> "regclassText of " + sql);
        }
    }

    private static String randomName(SeededRandom random) {
        while (true) {
            String candidate = random.chance(0.1)
                    ? random.pick(KEYWORDS)
                    : random.string(ALPHABET, random.between(1, 20));
            if (candidate.strip().equals(candidate)
                    && candidate.getBytes(StandardCharsets.UTF_8).length <= Identifier.MAX_BYTES) {
                return candidate;
            }
        }
    }
}
