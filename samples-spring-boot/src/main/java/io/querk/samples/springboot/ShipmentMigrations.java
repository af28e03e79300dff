package io.querk.samples.springboot;

import io.querk.migration.Migration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The service's schema, as two Migration beans: the starter runs them in id order. */
@Configuration(proxyBeanMethods = false)
public class ShipmentMigrations {

    /** The first release's table. */
    @Bean
    Migration shipmentsTable() {
        return Migration.define("2026-12-01.shipments")
                .description("The shipments table")
                .expand(e -> e.createTable("shipments", t -> t
                        .column("id", "bigint", c -> c.notNull())
                        .column("destination", "text", c -> c.notNull())
                        .primaryKey("id")))
                .build();
    }

    /**
     * This release's change: the destination city as a column of its own. Derived, so a trigger fills it
     * on every write while the old version still writes only {@code destination}, and a backfill fills
     * the rows that exist (in the background, with {@code querk.backfill.background=true}).
     */
    @Bean
    Migration destinationCity() {
        return Migration.define("2026-12-08.shipments-dest-city")
                .description("Split the destination city out of the address")
                .expand(e -> e
                        .addColumn("shipments", "dest_city", "text", c -> c.derivedFrom("split_part(destination, ',', 1)"))
                        .createIndex("shipments_dest_city_idx", "shipments", "dest_city"))
                .contract(c -> c.setNotNull("shipments", "dest_city"))
                .build();
    }
}
