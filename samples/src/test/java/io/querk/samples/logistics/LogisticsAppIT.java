package io.querk.samples.logistics;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
