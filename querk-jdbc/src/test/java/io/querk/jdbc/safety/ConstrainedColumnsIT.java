package io.querk.jdbc.safety;

import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.Migration;
import io.querk.plan.MigrationPlan;
import io.querk.plan.UnsafeMigrationException;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static io.querk.jdbc.support.Db.bool;
import static io.querk.jdbc.support.Db.count;
import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reproduction 9 of "safe by construction": renaming or retyping a column with an index, a check,
 * a unique or a foreign key was refused only at run time, after earlier steps had run, and a
 * rename dropped the column's comment. Now what can be carried is carried (indexes built
 * concurrently, constraints NOT VALID then validated, default, NOT NULL, comment), under the
 * original names once contract drops the old column; what cannot is refused by the plan, by name.
 */
@ExtendWith(PostgresExtension.class)
class ConstrainedColumnsIT {

    private static Querk querk(TestDatabase db, Migration m) {
        return Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m)
                .contractReleasedThrough(m.id()).build());
    }

    private static void shipments(TestDatabase db) {
        exec(db, "CREATE TABLE carriers (id bigint PRIMARY KEY)", "INSERT INTO carriers SELECT g FROM generate_series(0, 9) g",
                "CREATE TABLE shipments (id bigint PRIMARY KEY, code text NOT NULL DEFAULT 'none',"
                        + " carrier bigint REFERENCES carriers (id), weight int)",
                "ALTER TABLE shipments ADD CONSTRAINT shipments_code_key UNIQUE (code)",
                "ALTER TABLE shipments ADD CONSTRAINT shipments_code_check CHECK (length(code) < 40)",
                "CREATE INDEX shipments_code_lower_idx ON shipments (lower(code))",
                "CREATE INDEX shipments_code_weight_idx ON shipments (code, weight) WHERE weight > 0",
                "COMMENT ON COLUMN shipments.code IS 'the customer''s own code'",
                "INSERT INTO shipments SELECT g, 'S-' || g, g % 10, g % 7 FROM generate_series(1, 3000) g",
                "ANALYZE shipments");
    }

    private static String indexDef(TestDatabase db, String index) {
        return one(db, "SELECT pg_get_indexdef('" + index + "'::regclass)");
    }

    private static String sqlState(TestDatabase db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
            return "none";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    @Test
    void aRenameCarriesIndexesUniqueChecksForeignKeysDefaultNotNullAndComment(TestDatabase db) {
        shipments(db);
        Migration m = Migration.define("2026-12-01.shipments-rename")
                .expand(e -> e.renameColumn("shipments", "code", "ref").renameColumn("shipments", "carrier", "carrier_id"))
                .build();
        Querk q = querk(db, m);

        MigrationPlan plan = q.plan();
        assertFalse(plan.refused(), plan.toText());
        String text = plan.toText();
        assertTrue(text.contains("CREATE UNIQUE INDEX CONCURRENTLY querk_carry_shipments_code_key"), text);
        assertTrue(plan.toJson().contains("CREATE INDEX CONCURRENTLY querk_carry_shipments_code_lower_idx ON shipments"
                + " USING btree (lower(ref))"), plan.toJson());
        assertTrue(plan.toJson().contains("ADD CONSTRAINT querk_carry_shipments_carrier_fkey FOREIGN KEY (carrier_id)"
                + " REFERENCES carriers(id) NOT VALID"), plan.toJson());

        q.migrate(); // expand, backfill, and the carried indexes and constraints
        assertTrue(bool(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'querk_carry_shipments_code_lower_idx'::regclass"));
        assertEquals("the customer's own code", one(db, "SELECT col_description('shipments'::regclass,"
                + " (SELECT attnum FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'ref'))"),
                "the comment comes with the new column at expand");
        q.migrate(); // contract, released, in a later run

        assertEquals(0, count(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'shipments'::regclass"
                + " AND attname IN ('code', 'carrier') AND NOT attisdropped"));
        assertTrue(indexDef(db, "shipments_code_lower_idx").endsWith("(lower(ref))"), indexDef(db, "shipments_code_lower_idx"));
        assertTrue(indexDef(db, "shipments_code_weight_idx").endsWith("(ref, weight) WHERE (weight > 0)"),
                indexDef(db, "shipments_code_weight_idx"));
        assertEquals("UNIQUE (ref)", one(db, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'shipments_code_key'"));
        assertEquals("CHECK ((length(ref) < 40))", one(db, "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conname = 'shipments_code_check' AND convalidated"));
        assertEquals("FOREIGN KEY (carrier_id) REFERENCES carriers(id)", one(db, "SELECT pg_get_constraintdef(oid)"
                + " FROM pg_constraint WHERE conname = 'shipments_carrier_fkey' AND convalidated"));
        assertEquals("true|'none'::text", one(db, "SELECT attnotnull || '|' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a"
                + " JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attrelid = 'shipments'::regclass AND a.attname = 'ref'"));
        assertEquals("the customer's own code", one(db, "SELECT col_description('shipments'::regclass,"
                + " (SELECT attnum FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'ref'))"));
        assertEquals(0, count(db, "SELECT count(*) FROM pg_class WHERE relname LIKE 'querk_carry_%'"));
        assertEquals(0, count(db, "SELECT count(*) FROM pg_constraint WHERE conname LIKE 'querk_carry_%'"));

        // And they hold, as the originals did.
        assertEquals("23505", sqlState(db, "INSERT INTO shipments (id, ref) VALUES (9001, 'S-1')"));
        assertEquals("23503", sqlState(db, "INSERT INTO shipments (id, ref, carrier_id) VALUES (9002, 'new', 99)"));
        assertEquals("23514", sqlState(db, "INSERT INTO shipments (id, ref) VALUES (9003, repeat('x', 50))"));
        assertEquals("none", sqlState(db, "INSERT INTO shipments (id) VALUES (9004)"));
    }

    @Test
    void aTypeChangeCarriesPlainIndexesChecksAndForeignKeysToTheNewType(TestDatabase db) {
        exec(db, "CREATE TABLE carriers (id bigint PRIMARY KEY)", "INSERT INTO carriers SELECT g FROM generate_series(0, 9) g",
                "CREATE TABLE orders (id bigint PRIMARY KEY, qty int NOT NULL CHECK (qty >= 0),"
                        + " carrier int REFERENCES carriers (id))",
                "CREATE INDEX orders_qty_idx ON orders (qty)",
                "INSERT INTO orders SELECT g, g % 100, g % 10 FROM generate_series(1, 3000) g", "ANALYZE orders");
        Migration m = Migration.define("2026-12-01.orders-bigint")
                .expand(e -> e.changeColumnType("orders", "qty", "bigint").changeColumnType("orders", "carrier", "bigint"))
                .build();
        Querk q = querk(db, m);
        assertFalse(q.plan().refused(), q.plan().toText());
        q.migrate();
        q.migrate();

        assertEquals("bigint", one(db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'orders'::regclass AND attname = 'qty'"));
        assertTrue(indexDef(db, "orders_qty_idx").endsWith("(qty)"));
        assertEquals("CHECK ((qty >= 0))", one(db, "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conname = 'orders_qty_check' AND convalidated"));
        assertEquals("FOREIGN KEY (carrier) REFERENCES carriers(id)", one(db, "SELECT pg_get_constraintdef(oid)"
                + " FROM pg_constraint WHERE conname = 'orders_carrier_fkey' AND convalidated"));
        assertEquals("23514", sqlState(db, "INSERT INTO orders (id, qty) VALUES (9001, -1)"));
        assertEquals("23503", sqlState(db, "INSERT INTO orders (id, qty, carrier) VALUES (9002, 1, 99)"));
    }

    @Test
    void whatCannotBeCarriedIsRefusedByThePlanByNameBeforeAnythingRuns(TestDatabase db) {
        exec(db, "CREATE TABLE carriers (id bigint PRIMARY KEY, name text, code text)",
                "CREATE TABLE shipments (id bigint PRIMARY KEY, carrier bigint REFERENCES carriers (id))",
                "CREATE VIEW carrier_names AS SELECT id, name FROM carriers",
                "CREATE INDEX carriers_code_lower_idx ON carriers (lower(code))");
        Migration m = Migration.define("2026-12-01.carriers")
                .expand(e -> e.renameColumn("carriers", "id", "carrier_id")
                        .renameColumn("carriers", "name", "title")
                        .changeColumnType("carriers", "code", "varchar(20)"))
                .build();
        Querk q = querk(db, m);

        MigrationPlan plan = q.plan();
        assertTrue(plan.refused(), plan.toText());
        String text = plan.toText();
        assertTrue(text.contains("primary key carriers_pkey") && text.contains("foreign key shipments_carrier_fkey of shipments"),
                text);
        assertTrue(text.contains("view carrier_names") && text.contains("cannot be renamed"), text);
        assertTrue(text.contains("index carriers_code_lower_idx"), text);

        assertThrows(UnsafeMigrationException.class, q::migrate);
        assertEquals(0, count(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'carriers'::regclass"
                + " AND attname IN ('carrier_id', 'title') OR attname LIKE '%querk%'"), "nothing ran");
    }
}
