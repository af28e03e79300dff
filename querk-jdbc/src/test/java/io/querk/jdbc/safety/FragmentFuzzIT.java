package io.querk.jdbc.safety;

import io.querk.corpus.FragmentFuzz;
import io.querk.migration.Migration;
import io.querk.migration.MigrationDefinitionException;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.querk.jdbc.support.Db.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing but the fragment's role reaches the server: every random fragment the DSL accepts as
 * a backfill value or as a column type is run, in the statement Querk renders around it, inside
 * a transaction that is rolled back; whatever it does, it changes only what its role allows (the
 * one column it sets; the one column it adds, with no default, generation or constraint).
 */
@ExtendWith({PostgresExtension.class, SeededRandomExtension.class})
class FragmentFuzzIT {

    private static final String STATE = "SELECT (SELECT md5(string_agg(id::text || '/' || n || '/' || coalesce(other, '~'),"
            + " ',' ORDER BY id)) FROM fuzz), (SELECT count(*) FROM pg_attribute WHERE attrelid = 'fuzz'::regclass"
            + " AND attnum > 0 AND NOT attisdropped), (SELECT count(*) FROM pg_constraint WHERE conrelid = 'fuzz'::regclass),"
            + " (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace),"
            + " (SELECT count(*) FROM pg_attrdef WHERE adrelid = 'fuzz'::regclass)";

    @Test
    void acceptedValuesChangeOnlyTheColumnTheySet(TestDatabase db, SeededRandom random) throws Exception {
        exec(db, "CREATE TABLE fuzz (id int PRIMARY KEY, n int NOT NULL, c text, other text)",
                "INSERT INTO fuzz SELECT g, g, 'c' || g, 'o' || g FROM generate_series(1, 20) g");
        int ran = 0;
        int succeeded = 0;
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            String before = state(c);
            c.rollback();
            for (int i = 0; i < 400; i++) {
                String f = FragmentFuzz.value(random);
                String value;
                try {
                    Migration m = Migration.define("f" + i).backfill(b -> b.table("fuzz").set("c", f)).build();
                    value = f.strip();
                    assertTrue(m.steps(io.querk.migration.Phase.BACKFILL).size() == 1);
                } catch (MigrationDefinitionException refused) {
                    continue;
                }
                ran++;
                try (Statement s = c.createStatement()) {
                    s.execute("UPDATE fuzz SET c = " + value + " WHERE id > 0");
                    succeeded++;
                    assertEquals(before, state(c), "UPDATE ... SET c = " + value + " changed more than c");
                } catch (SQLException serverSaidNo) {
                    // A fragment the server refuses did nothing: the transaction is rolled back below.
                } finally {
                    c.rollback();
                }
            }
        }
        assertTrue(ran > 40 && succeeded > 10, "the generator must reach the server: ran " + ran + ", ok " + succeeded);
    }

    @Test
    void acceptedTypesAddOneBareColumn(TestDatabase db, SeededRandom random) throws Exception {
        exec(db, "CREATE TABLE fuzz (id int PRIMARY KEY, n int NOT NULL, c text, other text)",
                "INSERT INTO fuzz SELECT g, g, 'c' || g, 'o' || g FROM generate_series(1, 20) g");
        List<String> added = new ArrayList<>();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            String[] before = state(c).split("\\|");
            c.rollback();
            for (int i = 0; i < 400; i++) {
                String type = FragmentFuzz.type(random);
                try {
                    Migration.define("t" + i).expand(e -> e.addColumn("fuzz", "x", type)).build();
                } catch (MigrationDefinitionException refused) {
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE fuzz ADD COLUMN x " + type);
                    String[] after = state(c).split("\\|");
                    assertEquals(before[0], after[0], type + " changed the rows");
                    assertEquals(Integer.parseInt(before[1]) + 1, Integer.parseInt(after[1]), type + ": one column");
                    assertEquals(before[2], after[2], type + " added a constraint");
                    assertEquals(before[3], after[3], type + " added a relation");
                    assertEquals(before[4], after[4], type + " added a default or generation");
                    added.add(type);
                } catch (SQLException serverSaidNo) {
                    // refused by the server: nothing happened
                } finally {
                    c.rollback();
                }
            }
        }
        assertTrue(added.size() > 20, "types that reached the server and added a column: " + added.size());
    }

    private static String state(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(STATE)) {
            rs.next();
            return rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getLong(3) + "|" + rs.getLong(4) + "|" + rs.getLong(5);
        }
    }
}
