package io.querk.samples.logistics;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sample application, end to end, on a small table: what the Quick start runs. */
@ExtendWith(PostgresExtension.class)
class LogisticsAppIT {

    @Test
    void migratesUnderTrafficWithoutErrors(TestDatabase db) throws Exception {
        assertEquals(0, LogisticsApp.run(db.dataSource(), 5_000, System.out, false));
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE dest_city = split_part(destination, ',', 1)),"
                     + " count(*) FILTER (WHERE carrier_id = 1 + id % 20), count(weight_g),"
                     + " (SELECT count(*) FROM pg_attribute WHERE attrelid = 'shipments'::regclass"
                     + "    AND attname = 'weight_kg' AND NOT attisdropped)"
                     + " FROM shipments")) {
            rs.next();
            assertEquals(5_000, rs.getLong(1));
            assertEquals(5_000, rs.getLong(2));
            assertEquals(5_000, rs.getLong(3));
            assertEquals(0, rs.getLong(4));
        }
    }

    @Test
    void exitsWithTwoAndSaysWhyWhenAMigrationFails(TestDatabase db) throws Exception {
        // A table squatting on the name of the first index the migrations build: that step must fail.
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE shipments_dest_city_idx (id int)");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int exit = LogisticsApp.run(db.dataSource(), 2_000, new PrintStream(buffer, true, StandardCharsets.UTF_8), false);
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(2, exit, out);
        assertTrue(out.contains("Migration FAILED") && out.contains("shipments_dest_city_idx"), out);
    }
}
