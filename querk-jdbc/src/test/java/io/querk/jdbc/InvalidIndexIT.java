package io.querk.jdbc;

import io.querk.migration.Migration;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A unique index build that fails on duplicates leaves an INVALID index; once the duplicates
 * are fixed, the next run drops it and builds a valid one.
 */
@ExtendWith(PostgresExtension.class)
class InvalidIndexIT {

    @Test
    void failedUniqueBuildLeavesInvalidIndexThatTheRerunReplaces(TestDatabase db) {
        exec(db, "CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL)",
                "INSERT INTO customers SELECT g, 'user' || g || '@example.com' FROM generate_series(1, 5000) g",
                "UPDATE customers SET email = 'dup@example.com' WHERE id IN (10, 20)");
        Migration m = Migration.define("1").expand(e -> e.createUniqueIndex("customers_email_key", "customers", "email")).build();
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).build());

        StepFailedException e = assertThrows(StepFailedException.class, q::migrate);
        assertEquals("23505", e.sqlState());
        assertTrue(e.getMessage().contains("customers_email_key"), e.getMessage());
        assertEquals("f", one(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'customers_email_key'::regclass"));

        exec(db, "UPDATE customers SET email = 'second@example.com' WHERE id = 20");
        q.migrate();
        assertEquals("t", one(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'customers_email_key'::regclass"));
        assertEquals("1", one(db, "SELECT count(*) FROM pg_class WHERE relname LIKE 'customers_email_key%'"));
    }
}
