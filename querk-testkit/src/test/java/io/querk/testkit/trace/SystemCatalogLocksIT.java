package io.querk.testkit.trace;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finding 7: the locks a session takes on system catalogs are not the application's tables. */
@ExtendWith(PostgresExtension.class)
class SystemCatalogLocksIT {

    @Test
    void systemCatalogsAreLeftOutByDefault(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE parcels (id int PRIMARY KEY)");
        }
        List<LockInterval> seen;
        try (LockTracer tracer = LockTracer.tracing(db.dataSource()).sessions("holder").start();
             Connection holder = db.connect(); Statement s = holder.createStatement()) {
            s.execute("SET application_name = 'holder'");
            holder.setAutoCommit(false);
            s.execute("SELECT count(*) FROM pg_catalog.pg_class, parcels");
            s.execute("SELECT pg_sleep(0.1)");
            holder.commit();
            seen = tracer.stop();
        }
        assertTrue(seen.stream().anyMatch(i -> i.relation().equals("public.parcels")), seen.toString());
        assertTrue(seen.stream().noneMatch(i -> i.relation().startsWith("pg_catalog.")), seen.toString());
    }
}
