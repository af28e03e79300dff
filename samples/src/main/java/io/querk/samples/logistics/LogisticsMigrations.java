package io.querk.samples.logistics;

import io.querk.migration.Migration;

import java.util.List;

/**
 * The logistics application's schema history after its first release: each migration shows
 * one of the patterns that would have locked the shipments table if written as plain DDL.
 */
public final class LogisticsMigrations {

    private LogisticsMigrations() {
    }

    /** @return the migrations, oldest first */
    public static List<Migration> all() {
        return List.of(
                // Reports group by destination city: split it out of the free-text address, keep it in sync
                // for the old version's writes, index it, and make it NOT NULL once every row has it.
                Migration.define("2026-11-02.shipments-dest-city")
                        .description("Split the destination city out of the address")
                        .expand(e -> e
                                .addColumn("shipments", "dest_city", "text",
                                        c -> c.derivedFrom("split_part(destination, ',', 1)"))
                                .createIndex("shipments_dest_city_idx", "shipments", "dest_city"))
                        .contract(c -> c.setNotNull("shipments", "dest_city"))
                        .build(),

                // Every shipment gets a carrier: add the column, fill it in batches, then enforce the
                // foreign key and NOT NULL without a table scan under lock.
                Migration.define("2026-11-09.shipments-carrier")
                        .description("Assign every shipment to a carrier")
                        .expand(e -> e
                                .addColumn("shipments", "carrier_id", "bigint")
                                .createIndex("shipments_carrier_idx", "shipments", "carrier_id"))
                        .backfill(b -> b
                                .table("shipments")
                                .set("carrier_id", "1 + id % 20")
                                .where("carrier_id IS NULL"))
                        .contract(c -> c
                                .addForeignKey("shipments", "shipments_carrier_fk", "carrier_id", "carriers", "id")
                                .setNotNull("shipments", "carrier_id"))
                        .build(),

                // "weight_kg" held grams all along: rename it without breaking the running version.
                Migration.define("2026-11-16.shipments-weight-grams")
                        .description("Rename weight_kg to weight_g")
                        .expand(e -> e.renameColumn("shipments", "weight_kg", "weight_g"))
                        .build(),

                // Tracking numbers arrived as digits in a text column: make them bigint without the
                // table rewrite a plain ALTER COLUMN TYPE would do under an ACCESS EXCLUSIVE lock.
                Migration.define("2026-11-20.shipments-tracking-number")
                        .description("Store tracking numbers as bigint")
                        .expand(e -> e.changeColumnType("shipments", "tracking_no", "bigint", "tracking_no::bigint"))
                        .build(),

                // Notes moved to the carriers' portal; the new version no longer reads them. The drop
                // waits for contract, when no running version selects the column any more.
                Migration.define("2026-11-23.shipments-drop-notes")
                        .description("Drop the notes column the old version was last to read")
                        .contract(c -> c.dropColumn("shipments", "notes"))
                        .build());
    }

    /** @return the id of the newest migration: a release that retires the old version releases contract up to it */
    public static String latest() {
        List<Migration> all = all();
        return all.get(all.size() - 1).id();
    }
}
