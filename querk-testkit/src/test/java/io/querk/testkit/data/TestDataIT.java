package io.querk.testkit.data;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(PostgresExtension.class)
class TestDataIT {

    private static String seedAndDigest(TestDatabase db, long seed) throws Exception {
        TestData.seed(seed).table("orders").rows(5_000)
                .column("id", "bigint", Gen.serial()).primaryKey("id")
                .column("qty", "int", Gen.intBetween(1, 9))
                .column("status", "text", Gen.oneOf("new", "paid", "it's shipped"))
                .column("note", "text", Gen.nullable(0.2, Gen.text(3, 12)))
                .column("price", "numeric(8,2)", Gen.decimalBetween(1, 100, 2))
                .column("at", "timestamptz", Gen.timestampWithinDays(30))
                .column("ref", "uuid", Gen.uuid())
                .create(db.dataSource());
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT md5(string_agg(o::text, '|' ORDER BY id)), count(*),"
                     + " count(*) FILTER (WHERE note IS NULL), min(qty), max(qty), count(DISTINCT status) FROM orders o")) {
            rs.next();
            assertEquals(5_000, rs.getInt(2));
            assertTrue(rs.getInt(3) > 500 && rs.getInt(3) < 1_500, "about 20% NULL notes: " + rs.getInt(3));
            assertEquals(1, rs.getInt(4));
            assertEquals(9, rs.getInt(5));
            assertEquals(3, rs.getInt(6));
            return rs.getString(1);
        }
    }

    @Test
    void theSameSeedGivesTheSameRowsAndAnotherSeedOthers(PostgresServer server) throws Exception {
        String a;
        String b;
        String c;
        try (TestDatabase one = server.createDatabase("seed_a"); TestDatabase two = server.createDatabase("seed_b");
             TestDatabase three = server.createDatabase("seed_c")) {
            a = seedAndDigest(one, 42);
            b = seedAndDigest(two, 42);
            c = seedAndDigest(three, 43);
        }
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void aTableNeedsColumnsAndNonNegativeRows() {
        assertThrows(io.querk.testkit.TestkitException.class, () -> TestData.seed(1).table("t").rows(-1));
        io.querk.testkit.TestkitException e = assertThrows(io.querk.testkit.TestkitException.class,
                () -> TestData.seed(1).table("t").rows(1).create(null));
        assertTrue(e.getMessage().contains("no columns"), e.getMessage());
    }
}
