package io.querk.jdbc;

import io.querk.jdbc.support.Db;
import io.querk.migration.Migration;
import io.querk.migration.ReferentialAction;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.querk.jdbc.support.Db.bool;
import static io.querk.jdbc.support.Db.count;
import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every typed step runs on a real server, and the catalog shows its effect afterwards. */
@ExtendWith(PostgresExtension.class)
class TypedStepsIT {

    private static Querk querk(TestDatabase db, Migration... migrations) {
        return Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(migrations).build());
    }

    private static void seed(TestDatabase db) {
        exec(db, "CREATE TABLE carriers (id bigint PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO carriers SELECT g, 'carrier ' || g FROM generate_series(1, 20) g",
                "CREATE TABLE shipments (id bigint PRIMARY KEY, carrier_id bigint, destination text NOT NULL,"
                        + " weight_kg int, status text DEFAULT 'new', tags text[])",
                "INSERT INTO shipments SELECT g, 1 + g % 20, 'City' || (g % 50) || ', Street ' || g, g % 900,"
                        + " CASE WHEN g % 3 = 0 THEN 'delivered' ELSE 'new' END, ARRAY['t' || (g % 7)]"
                        + " FROM generate_series(1, 5000) g");
    }

    @Test
    void createTableWithEveryKindOfColumnAndConstraint(TestDatabase db) {
        seed(db);
        Migration m = Migration.define("1").expand(e -> e.createTable("Delivery Notes", t -> t
                .column("id", "bigint", c -> c.identity())
                .column("shipment_id", "bigint", c -> c.notNull())
                .column("user", "text")
                .column("created_at", "timestamptz", c -> c.notNull().defaultValue("now()"))
                .primaryKey("id")
                .unique("delivery_notes_shipment_key", "shipment_id")
                .check("delivery_notes_user_check", "length(\"user\") < 100")
                .foreignKey("delivery_notes_shipment_fk", fk -> fk.columns("shipment_id").references("shipments", "id")
                        .onDelete(ReferentialAction.CASCADE)))).build();
        querk(db, m).migrateAllPhases();

        assertEquals("4", one(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = '\"Delivery Notes\"'::regclass AND attnum > 0"));
        assertEquals("d", one(db, "SELECT attidentity FROM pg_attribute WHERE attrelid = '\"Delivery Notes\"'::regclass AND attname = 'id'"));
        assertEquals("4", one(db, "SELECT count(*) FROM pg_constraint WHERE conrelid = '\"Delivery Notes\"'::regclass AND contype <> 'n' AND convalidated"));
        assertEquals("FOREIGN KEY (shipment_id) REFERENCES shipments(id) ON DELETE CASCADE",
                one(db, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'delivery_notes_shipment_fk'"));
    }

    @Test
    void addColumnNullableWithDefaultNotNullAndVolatile(TestDatabase db) {
        seed(db);
        Migration m = Migration.define("1").expand(e -> e
                .addColumn("shipments", "note", "text")
                .addColumn("shipments", "priority", "int", c -> c.notNull().defaultValue("3"))
                .addColumn("shipments", "token", "uuid", c -> c.notNull().defaultValue("gen_random_uuid()"))).build();
        String relfilenode = one(db, "SELECT relfilenode FROM pg_class WHERE relname = 'shipments'");
        querk(db, m).migrateAllPhases();

        assertTrue(bool(db, "SELECT NOT attnotnull FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'note'"));
        assertEquals("5000", one(db, "SELECT count(*) FROM shipments WHERE priority = 3"));
        assertTrue(bool(db, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'priority'"));
        // The volatile default was filled by batches: every row has its own value, and the column is NOT NULL after contract.
        assertEquals("5000", one(db, "SELECT count(DISTINCT token) FROM shipments"));
        assertTrue(bool(db, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'token'"));
        exec(db, "INSERT INTO shipments (id, destination) VALUES (9999, 'x')");
        assertEquals("1", one(db, "SELECT count(*) FROM shipments WHERE id = 9999 AND token IS NOT NULL AND priority = 3"));
        // None of it rewrote the table.
        assertEquals(relfilenode, one(db, "SELECT relfilenode FROM pg_class WHERE relname = 'shipments'"));
    }

    @Test
    void derivedColumnIsSyncedBackfilledAndReleasedAtContract(TestDatabase db) {
        seed(db);
        Migration m = Migration.define("1")
                .expand(e -> e.addColumn("shipments", "dest_city", "text", c -> c.derivedFrom("split_part(destination, ',', 1)")))
                .contract(c -> c.setNotNull("shipments", "dest_city").dropColumn("shipments", "destination"))
                .build();
        Querk q = querk(db, m);
        q.migrate();
        // Between expand and contract the old application version writes only destination.
        exec(db, "INSERT INTO shipments (id, destination) VALUES (10001, 'Lyon, Rue 1')",
                "UPDATE shipments SET destination = 'Nice, Quai 2' WHERE id = 7");
        assertEquals("0", one(db, "SELECT count(*) FROM shipments WHERE dest_city IS DISTINCT FROM split_part(destination, ',', 1)"));
        assertEquals("Lyon", one(db, "SELECT dest_city FROM shipments WHERE id = 10001"));
        assertEquals("Nice", one(db, "SELECT dest_city FROM shipments WHERE id = 7"));

        q.migrateAllPhases();
        assertEquals("0", one(db, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'shipments'::regclass AND NOT tgisinternal"));
        assertEquals("0", one(db, "SELECT count(*) FROM pg_proc WHERE proname LIKE 'querk_sync%'"));
        assertTrue(bool(db, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'dest_city'"));
        assertEquals("0", one(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'destination' AND NOT attisdropped"));
    }

    @Test
    void indexesOfEveryShapeAreBuiltConcurrentlyAndValid(TestDatabase db) {
        seed(db);
        Migration m = Migration.define("1").expand(e -> e
                .createIndex("shipments_carrier_idx", "shipments", "carrier_id")
                .createIndex("shipments_carrier_weight_idx", "shipments", i -> i.columns("carrier_id").columnDescending("weight_kg"))
                .createIndex("shipments_open_idx", "shipments", i -> i.columns("carrier_id").where("status <> 'delivered'"))
                .createIndex("shipments_lower_dest_idx", "shipments", i -> i.expression("lower(destination)"))
                .createIndex("shipments_tags_idx", "shipments", i -> i.using("gin").columns("tags"))
                .createIndex("shipments_carrier_incl_idx", "shipments", i -> i.columns("carrier_id").include("weight_kg"))
                .createUniqueIndex("shipments_dest_key", "shipments", "destination")).build();
        querk(db, m).migrateAllPhases();

        assertEquals("7", one(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE i.indrelid = 'shipments'::regclass AND i.indisvalid AND c.relname <> 'shipments_pkey'"));
        assertTrue(one(db, "SELECT pg_get_indexdef('shipments_open_idx'::regclass)").endsWith("WHERE (status <> 'delivered'::text)"));
        assertTrue(one(db, "SELECT pg_get_indexdef('shipments_tags_idx'::regclass)").contains("USING gin (tags)"));
        assertTrue(one(db, "SELECT pg_get_indexdef('shipments_carrier_weight_idx'::regclass)").contains("weight_kg DESC"));
        assertTrue(one(db, "SELECT pg_get_indexdef('shipments_carrier_incl_idx'::regclass)").contains("INCLUDE (weight_kg)"));
        assertTrue(bool(db, "SELECT indisunique FROM pg_index WHERE indexrelid = 'shipments_dest_key'::regclass"));
    }

    @Test
    void constraintsAreAddedNotValidThenValidated(TestDatabase db) {
        seed(db);
        Migration m = Migration.define("1").expand(e -> e
                .addCheck("shipments", "shipments_weight_check", "weight_kg >= 0")
                .addForeignKey("shipments", "shipments_carrier_fk", "carrier_id", "carriers", "id")
                .addUnique("shipments", "shipments_destination_key", "destination")
                .setNotNull("shipments", "weight_kg")).build();
        querk(db, m).migrateAllPhases();

        assertEquals("3", one(db, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'shipments'::regclass"
                + " AND conname IN ('shipments_weight_check', 'shipments_carrier_fk', 'shipments_destination_key') AND convalidated"));
        assertEquals("shipments_destination_key", one(db, "SELECT c.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conindid"
                + " WHERE k.conname = 'shipments_destination_key'"));
        assertTrue(bool(db, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'weight_kg'"));
        assertEquals("0", one(db, "SELECT count(*) FROM pg_constraint WHERE conname LIKE 'querk_nn_%'"));
    }

    @Test
    void primaryKeyIsAttachedToAConcurrentIndexAfterNotNull(TestDatabase db) {
        exec(db, "CREATE TABLE events (tenant int, seq bigint, body text)",
                "INSERT INTO events SELECT g % 10, g, 'e' FROM generate_series(1, 3000) g");
        Migration m = Migration.define("1").expand(e -> e.addPrimaryKey("events", "events_pkey", "tenant", "seq")).build();
        querk(db, m).migrateAllPhases();

        assertEquals("PRIMARY KEY (tenant, seq)", one(db, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'events_pkey'"));
        assertEquals("2", one(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname IN ('tenant', 'seq') AND attnotnull"));
    }

    @Test
    void dropsRunInContract(TestDatabase db) {
        seed(db);
        exec(db, "CREATE INDEX shipments_weight_idx ON shipments (weight_kg)",
                "ALTER TABLE shipments ADD CONSTRAINT shipments_status_check CHECK (status IS NOT NULL)",
                "CREATE TABLE legacy (id int)");
        Migration m = Migration.define("1").contract(c -> c
                .dropIndex("shipments_weight_idx")
                .dropConstraint("shipments", "shipments_status_check")
                .dropColumn("shipments", "tags")
                .dropTable("legacy")).build();
        Querk q = querk(db, m);
        assertTrue(q.migrate().nothingPending(), "contract is not released, so migrate() does nothing");
        assertEquals(List.of("1"), q.migrate().pendingContracts());
        q.contract("1");

        assertTrue(bool(db, "SELECT to_regclass('shipments_weight_idx') IS NULL AND to_regclass('legacy') IS NULL"));
        assertEquals("0", one(db, "SELECT count(*) FROM pg_constraint WHERE conname = 'shipments_status_check'"));
        assertEquals("0", one(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'tags' AND NOT attisdropped"));
    }

    @Test
    void renameColumnKeepsBothNamesInSyncUntilContract(TestDatabase db) {
        seed(db);
        exec(db, "ALTER TABLE shipments ALTER COLUMN weight_kg SET NOT NULL", "ALTER TABLE shipments ALTER COLUMN weight_kg SET DEFAULT 0");
        Migration m = Migration.define("1").expand(e -> e.renameColumn("shipments", "weight_kg", "weight")).build();
        Querk q = querk(db, m);
        q.migrate();
        assertEquals("0", one(db, "SELECT count(*) FROM shipments WHERE weight IS DISTINCT FROM weight_kg"));
        // The old version writes the old name, the new version the new name: both stay equal.
        exec(db, "UPDATE shipments SET weight_kg = 123 WHERE id = 1",
                "UPDATE shipments SET weight = 456 WHERE id = 2",
                "INSERT INTO shipments (id, destination, weight_kg) VALUES (20001, 'a', 7)",
                "INSERT INTO shipments (id, destination, weight) VALUES (20002, 'b', 8)");
        assertEquals("123 123|456 456|7 7|8 8", String.join("|", Db.rows(db,
                "SELECT weight_kg || ' ' || weight FROM shipments WHERE id IN (1, 2, 20001, 20002) ORDER BY id")
                .stream().map(r -> r.get(0)).toList()));

        q.migrateAllPhases();
        assertEquals("0", one(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'weight_kg' AND NOT attisdropped"));
        assertTrue(bool(db, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'weight'"),
                "NOT NULL carried over to the new name");
        assertEquals("0", one(db, "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'shipments'::regclass"
                + " AND adnum = (SELECT attnum FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'weight')"));
        assertEquals("456", one(db, "SELECT weight FROM shipments WHERE id = 2"));
        assertEquals("0", one(db, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'shipments'::regclass AND NOT tgisinternal"));
    }

    @Test
    void changeColumnTypeSwapsInAConvertedColumnAtContract(TestDatabase db) {
        seed(db);
        exec(db, "ALTER TABLE shipments ALTER COLUMN weight_kg SET NOT NULL");
        Migration m = Migration.define("1")
                .expand(e -> e.changeColumnType("shipments", "weight_kg", "numeric(10,3)", "weight_kg / 1.0"))
                .build();
        Querk q = querk(db, m);
        q.migrate();
        exec(db, "UPDATE shipments SET weight_kg = 321 WHERE id = 5");
        assertEquals("321.000", one(db, "SELECT weight_kg_querk_new FROM shipments WHERE id = 5"));

        q.migrateAllPhases();
        assertEquals("numeric(10,3)", one(db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = 'shipments'::regclass AND attname = 'weight_kg'"));
        assertTrue(bool(db, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'weight_kg'"));
        assertEquals("1", one(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND NOT attisdropped"
                + " AND attname LIKE 'weight_kg%'"), "the shadow and retired columns are gone");
        assertEquals("321.000", one(db, "SELECT weight_kg FROM shipments WHERE id = 5"));
        assertEquals("0", one(db, "SELECT count(*) FROM shipments WHERE id <> 5 AND weight_kg <> (id % 900)"));
    }

    @Test
    void rawSqlRunsTransactionallyOrAloneAsItNeeds(TestDatabase db) {
        seed(db);
        Migration m = Migration.define("1").expand(e -> e
                .sql("CREATE TABLE audit (id int); INSERT INTO audit VALUES (1); INSERT INTO audit VALUES (2)")
                .sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS shipments_status_idx ON shipments (status)")).build();
        querk(db, m).migrateAllPhases();
        assertEquals(2, count(db, "SELECT count(*) FROM audit"));
        assertTrue(bool(db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'shipments_status_idx'::regclass"));
    }

    @Test
    void aSecondRunFindsNothingPendingAndChangesNothing(TestDatabase db) {
        seed(db);
        Migration m = Migration.define("1")
                .expand(e -> e.addColumn("shipments", "note", "text").createIndex("shipments_note_idx", "shipments", "note"))
                .backfill(b -> b.table("shipments").set("note", "'n' || id"))
                .contract(c -> c.setNotNull("shipments", "note"))
                .build();
        Querk q = querk(db, m);
        assertEquals(4, q.migrateAllPhases().applied().size());
        List<List<String>> before = Db.schema(db);
        MigrationReport again = q.migrateAllPhases();
        assertTrue(again.nothingPending());
        assertEquals(before, Db.schema(db));
        assertFalse(q.status().isEmpty());
        assertTrue(q.status().stream().allMatch(s -> s.status() == PhaseState.Status.APPLIED && s.checksumMatches()));
    }
}
