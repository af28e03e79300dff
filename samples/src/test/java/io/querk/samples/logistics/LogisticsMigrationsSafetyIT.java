package io.querk.samples.logistics;

import io.querk.migration.Phase;
import io.querk.testkit.Rehearsal;
import io.querk.testkit.RehearsalReport;
import io.querk.testkit.data.Gen;
import io.querk.testkit.data.TestData;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static io.querk.testkit.RehearsalAssertions.assertThat;

/**
 * How a team using Querk tests its migrations: rehearse them on a real PostgreSQL with
 * production-like data and traffic, and fail the build if any step would block the
 * application longer than the team accepts.
 */
@ExtendWith(PostgresExtension.class)
class LogisticsMigrationsSafetyIT {

    @Test
    void noMigrationBlocksTheShipmentsTable(TestDatabase db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE carriers (id bigint PRIMARY KEY, name text NOT NULL)");
            s.execute("INSERT INTO carriers SELECT g, 'Carrier ' || g FROM generate_series(1, 20) g");
        }
        TestData.seed(2026).table("shipments").rows(50_000)
                .column("id", "bigint", Gen.serial()).primaryKey("id")
                .column("destination", "text", Gen.sql("(ARRAY['Lyon', 'Porto', 'Tulsa'])[1 + g % 3] || ', Dock ' || (g % 97)"))
                .column("weight_kg", "int", Gen.intBetween(500, 20_000))
                .column("status", "text", Gen.oneOf("booked", "in transit", "delivered"))
                .column("tracking_no", "text", Gen.sql("(7000000000 + g)::text"))
                .column("notes", "text", Gen.sql("CASE WHEN g % 10 = 0 THEN 'fragile' END"))
                .column("created_at", "timestamptz", Gen.timestampWithinDays(90))
                .create(db.dataSource());

        RehearsalReport report = Rehearsal.of(LogisticsMigrations.all())
                .on(db.dataSource())
                .traffic(t -> t.reads("shipments").writes("shipments").threads(2))
                // The same lock timeout as production: no statement may queue the application for longer.
                .engine(e -> e.lockTimeout(Duration.ofMillis(50)))
                .run();

        report.print();
        report.writeHtml(Path.of("target", "rehearsal", "logistics.html"));

        assertThat(report)
                .succeeded()
                .noStepBlocksReadsOf("shipments").longerThan(Duration.ofMillis(100))
                .noStepBlocksWritesOf("shipments").longerThan(Duration.ofMillis(200))
                .traffic().hasNoErrors()
                .traffic().during(Phase.BACKFILL).p99IsBelow(Duration.ofMillis(250));
    }
}
