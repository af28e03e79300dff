package io.querk.sql;

import io.querk.internal.sql.Keywords;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Querk's quoting against the real parser: whatever the name, the catalog ends up holding exactly it. */
@ExtendWith({PostgresExtension.class, SeededRandomExtension.class})
class IdentifierQuotingIT {

    private static final String ALPHABET = "abcxyz_ABCXYZ0123456789 $\".-;'()é中ß\\";

    @Test
    void keywordListCoversEveryKeywordTheServerReserves(TestDatabase db) throws SQLException {
        List<String> missing = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'")) {
            while (rs.next()) {
                if (!Keywords.requiresQuoting(rs.getString(1))) {
                    missing.add(rs.getString(1));
                }
            }
        }
        assertEquals(List.of(), missing, "keywords this server reserves that Querk would not quote");
    }

    @Test
    void everyKeywordWorksAsATableAndColumnName(TestDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT word FROM pg_get_keywords()")) {
            List<String> words = new ArrayList<>();
            while (rs.next()) {
                words.add(rs.getString(1));
            }
            for (String w : words) {
                roundTrip(c, w, w);
            }
            assertTrue(words.size() > 400, "the server lists its keywords");
        }
    }

    @Test
    void randomNamesRoundTripExactly(TestDatabase db, SeededRandom random) throws SQLException {
        try (Connection c = db.connect()) {
            for (int i = 0; i < 300; i++) {
                roundTrip(c, name(random), name(random));
            }
        }
    }

    private static String name(SeededRandom random) {
        String n;
        do {
            n = random.string(ALPHABET, random.between(1, 40)).strip();
        } while (n.isEmpty() || n.getBytes(StandardCharsets.UTF_8).length > Identifier.MAX_BYTES);
        return n;
    }

    private static void roundTrip(Connection c, String table, String column) throws SQLException {
        QualifiedName t = QualifiedName.of("public", table);
        Identifier col = Identifier.of(column);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + t.sql() + " (" + col.sql() + " int)");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT c.relname, a.attname FROM pg_class c"
                + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = 1 WHERE c.oid = to_regclass(?)")) {
            ps.setString(1, t.regclassText());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "table " + t.sql() + " not found by its exact name");
                assertEquals(table, rs.getString(1));
                assertEquals(column, rs.getString(2));
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + t.sql());
        }
    }
}
