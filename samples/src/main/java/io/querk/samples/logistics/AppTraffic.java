package io.querk.samples.logistics;

import io.querk.testkit.traffic.Operation;
import io.querk.testkit.traffic.Param;
import io.querk.testkit.traffic.Traffic;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The application's live traffic while it migrates, in the testkit's traffic model: a reader and a
 * writer working on shipments by primary key, each on its own connection, thinking 2 ms between
 * requests, every request's start and end recorded.
 *
 * <p>The queries are those of the version that is running. The old version still writes
 * {@code weight_kg} and reads the {@code notes} column; the new one, switched to when the old one
 * is gone (before contract), reads what the migrations added. That switch is the whole point of
 * expand/contract: at no moment does a running version use a column that is not there.
 */
final class AppTraffic {

    /** The application versions the sample switches between. */
    enum Version {
        /** Before the migrations: knows destination, weight_kg, notes. */
        OLD("old version", "SELECT status, destination, weight_kg, notes FROM shipments WHERE id = ?",
                "UPDATE shipments SET status = 'in transit', destination = d.v, weight_kg = weight_kg + 1"
                        + " FROM (SELECT ?::text AS v) d WHERE id = ?"),
        /**
         * After the deploy: reads the derived city, the carrier, grams and the numeric tracking
         * number, and writes the city itself, since contract ends the trigger that derived it.
         */
        NEW("new version", "SELECT status, dest_city, carrier_id, weight_g, tracking_no FROM shipments WHERE id = ?",
                "UPDATE shipments SET status = 'in transit', destination = d.v, dest_city = split_part(d.v, ',', 1),"
                        + " weight_g = weight_g + 1 FROM (SELECT ?::text AS v) d WHERE id = ?");

        final String label;
        final String read;
        final String write;

        Version(String label, String read, String write) {
            this.label = label;
            this.read = read;
            this.write = write;
        }
    }

    private static final String[] CITIES = {"Lyon", "Porto", "Gdansk", "Tulsa", "Osaka", "Recife"};
    /** Real clients think between requests; without it two clients would saturate 2 cores. */
    static final Duration THINK = Duration.ofMillis(2);

    private AppTraffic() {
    }

    /** @return the traffic of one application version, ready to start */
    static Traffic.Builder of(DataSource ds, Version v, long rows) {
        Param id = Param.longBetween(1, rows);
        Param destination = Param.of(r -> CITIES[r.nextInt(CITIES.length)] + ", Dock " + r.nextInt(97));
        return Traffic.on(ds).seed(v.ordinal() + 11)
                .workload("reads, " + v.label, w -> w.operation(Operation.read("read shipment", v.read)
                        .on("shipments").param(id)).think(THINK))
                .workload("writes, " + v.label, w -> w.operation(Operation.write("update shipment", v.write)
                        .on("shipments").param(destination).param(id)).think(THINK));
    }
}
