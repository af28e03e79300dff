package io.querk.samples.springboot;

import io.querk.jdbc.MigrationHandle;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.spring.boot.QuerkMigrationInitializer;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service as it is deployed: its previous release left 30,000 shipments, this release adds
 * the starter's migration of dest_city. It starts (JPA validates the new column, so the migration
 * ran first), serves HTTP requests while the backfill runs in the background, reports through
 * /actuator/querk, /actuator/health and /actuator/metrics, stops the backfill at a batch boundary
 * when it shuts down, and the next start finishes it.
 */
@ExtendWith(PostgresExtension.class)
class LogisticsServiceIT {

    private static final int ROWS = 30_000;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = new JsonMapper();

    @Test
    void migratesBeforeJpaServesDuringTheBackfillReportsItAndDrainsItOnShutdown(TestDatabase db) throws Exception {
        previousRelease(db);

        // Small batches, so that the backfill is still going when the test shuts the service down.
        ConfigurableApplicationContext app = start(db, "--querk.backfill.batch-size=200");
        MigrationHandle backfill = app.getBean(QuerkMigrationInitializer.class).handle().orElseThrow();
        String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");

        Traffic traffic = new Traffic(base);
        Thread t = new Thread(traffic, "application-traffic");
        t.start();
        await("the backfill to be under way", () -> backfill.progress().map(p -> p.rowsUpdated() > 1_000).orElse(false));

        JsonNode querk = getJson(base + "/actuator/querk");
        assertEquals("RUNNING", querk.get("background").get("state").asString());
        assertTrue(querk.get("background").get("progress").get("rowsUpdated").asLong() > 0, querk.toString());
        assertEquals("2026-12-08.shipments-dest-city", querk.get("migrations").get(1).get("id").asString());
        assertEquals("APPLIED", querk.get("migrations").get(1).get("phases").get(0).get("status").asString(),
                "expand applied before the service started");
        assertFalse(querk.get("plan").get("refused").asBoolean());

        JsonNode health = getJson(base + "/actuator/health");
        assertEquals("UP", health.get("status").asString(), "a running backfill is not DOWN: " + health);
        assertEquals("RUNNING", health.get("components").get("querk").get("details").get("background").asString());

        JsonNode rows = getJson(base + "/actuator/metrics/querk.backfill.rows");
        assertTrue(rows.get("measurements").get(0).get("value").asDouble() > 0, rows.toString());
        assertEquals(200, get(base + "/actuator/metrics/querk.step.duration").statusCode());

        await("requests served during the backfill", () -> traffic.served.get() >= 50);
        traffic.stop.set(true);
        t.join();
        assertEquals(Map.of(), traffic.failures, "every request succeeded while the backfill ran");
        assertTrue(backfill.progress().orElseThrow().rowsUpdated() < ROWS, "the backfill was still running");

        app.close();   // a graceful shutdown
        assertEquals(MigrationHandle.State.CANCELLED, backfill.state(), "stopped at a batch boundary during shutdown");
        long partial = count(db, "SELECT count(*) FROM shipments WHERE dest_city IS NOT NULL AND id <= " + ROWS);
        assertTrue(partial > 0 && partial < ROWS, "part of the rows: " + partial);

        ConfigurableApplicationContext next = start(db, "--querk.backfill.batch-size=5000", "--querk.backfill.pause=0ms");
        try {
            MigrationHandle rest = next.getBean(QuerkMigrationInitializer.class).handle().orElseThrow();
            assertTrue(rest.await(Duration.ofMinutes(2)).applied().get(0).rows() <= ROWS - partial + traffic.created.get(),
                    "resumed from the cursor, not from the start");
            assertEquals(MigrationHandle.State.SUCCEEDED, rest.state());
        } finally {
            next.close();
        }
        assertEquals(0, count(db, "SELECT count(*) FROM shipments WHERE dest_city IS DISTINCT FROM split_part(destination, ',', 1)"),
                "every row, old and new, has its city");
        assertTrue(traffic.created.get() > 0);
    }

    /** The table as the previous release left it, with rows in it. */
    private static void previousRelease(TestDatabase db) throws SQLException {
        Querk.create(QuerkConfig.custom().dataSource(db.dataSource())
                .migrations(new ShipmentMigrations().shipmentsTable()).build()).migrate();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO shipments SELECT g, 'City ' || (g % 50) || ', Street ' || g FROM generate_series(1, " + ROWS + ") g");
            s.execute("ANALYZE shipments");
        }
    }

    private static ConfigurableApplicationContext start(TestDatabase db, String... pacing) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--spring.datasource.url=" + db.jdbcUrl(), "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password(), "--querk.backfill.progress-interval=200ms"));
        args.addAll(List.of(pacing));
        return new SpringApplicationBuilder(LogisticsServiceApplication.class).run(args.toArray(String[]::new));
    }

    /** Reads and writes by id, as the application's users would, until told to stop. */
    private final class Traffic implements Runnable {
        private final String base;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger served = new AtomicInteger();
        final AtomicInteger created = new AtomicInteger();
        final Map<String, String> failures = new ConcurrentHashMap<>();

        Traffic(String base) {
            this.base = base;
        }

        @Override
        public void run() {
            long nextId = ROWS + 1;
            while (!stop.get()) {
                try {
                    HttpResponse<String> r;
                    if (served.get() % 5 == 4) {
                        r = http.send(HttpRequest.newBuilder(URI.create(base + "/shipments"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"id\": " + nextId + ", \"destination\": \"Lyon, Rue " + nextId + "\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            nextId++;
                            created.incrementAndGet();
                        }
                    } else {
                        r = get(base + "/shipments/" + ThreadLocalRandom.current().nextLong(1, ROWS + 1));
                    }
                    if (r.statusCode() >= 300) {
                        failures.put(r.uri().toString(), r.statusCode() + " " + r.body());
                    }
                    served.incrementAndGet();
                } catch (Exception e) {
                    failures.put("request " + served.get(), e.toString());
                    return;
                }
            }
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String url) throws Exception {
        HttpResponse<String> r = get(url);
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return json.readTree(r.body());
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static long count(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
