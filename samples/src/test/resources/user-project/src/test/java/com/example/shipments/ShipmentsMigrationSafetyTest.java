package com.example.shipments;

import io.querk.jdbc.retry.RetryPolicy;
import io.querk.migration.Migration;
import io.querk.testkit.Rehearsal;
import io.querk.testkit.RehearsalReport;
import io.querk.testkit.data.Gen;
import io.querk.testkit.data.TestData;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import io.querk.testkit.traffic.Operation;
import io.querk.testkit.traffic.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;

import static io.querk.testkit.RehearsalAssertions.assertThat;

/** A team's own rehearsal: its migration, its traffic (including the nightly report), its bound. */
@ExtendWith(PostgresExtension.class)
class ShipmentsMigrationSafetyTest {

    @Test
    void theServerIsTheOneAskedFor(TestDatabase db) {
        System.out.println("[user-project] server PostgreSQL " + db.server().serverVersion());
    }

    @Test
    void addingTheCarrierColumnNeverBlocksReadsForLong(TestDatabase db) throws Exception {
        TestData.seed(7).table("shipments").rows(20_000)
                .column("id", "bigint", Gen.serial()).primaryKey("id")
                .column("destination", "text", Gen.oneOf("Lyon", "Porto", "Tulsa"))
                .column("status", "text", Gen.oneOf("booked", "in transit", "delivered"))
                .create(db.dataSource());

        Migration carrier = Migration.define("2026-12-01.shipments-carrier")
                .expand(e -> e.addColumn("shipments", "carrier_id", "bigint"))
                .build();

        RehearsalReport report = Rehearsal.of(carrier)
                .on(db.dataSource())
                .traffic(t -> t.seed(7)
                        .workload("checkout", w -> w
                                .operation(Operation.read("track", "SELECT status FROM shipments WHERE id = ?")
                                        .on("shipments").param(Param.keyOf("shipments")), 4)
                                .operation(Operation.write("book", "UPDATE shipments SET status = ? WHERE id = ?")
                                        .on("shipments").param(Param.oneOf("booked", "in transit"))
                                        .param(Param.keyOf("shipments")), 1)
                                .rate(100))
                        .longTransaction("nightly-report", Duration.ofMillis(2500),
                                "SELECT destination, count(*) FROM shipments GROUP BY destination"))
                // Too generous a lock timeout for this traffic: the ALTER queues behind the report.
                .engine(e -> e.lockTimeout(Duration.ofSeconds(4)).retryPolicy(RetryPolicy.noRetry()))
                .timeline(Path.of("target", "rehearsal", "shipments.html"))
                .run();

        assertThat(report)
                .succeeded()
                .noStepBlocksReadsOf("shipments").longerThan(Duration.ofMillis(200));
    }
}
