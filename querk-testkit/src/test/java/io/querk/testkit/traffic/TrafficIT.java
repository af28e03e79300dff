package io.querk.testkit.traffic;

import io.querk.testkit.data.Gen;
import io.querk.testkit.data.TestData;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 8: the traffic model expresses what an application does: its own SQL with parameters
 * from the seeded data, read/write mixes, open-loop rates that show a stall as queueing and
 * closed-loop clients that slow down instead, long and idle transactions as participants, every
 * operation's start and end recorded, the same seed giving the same requests.
 */
@ExtendWith(PostgresExtension.class)
class TrafficIT {

    private static void seed(TestDatabase db) throws Exception {
        TestData.seed(3).table("shipments").rows(20_000)
                .column("id", "bigint", Gen.serial()).primaryKey("id")
                .column("destination", "text", Gen.oneOf("Lyon", "Porto", "Tulsa"))
                .column("status", "text", Gen.oneOf("booked", "in transit"))
                .create(db.dataSource());
    }

    private static Operation byCity() {
        return Operation.read("by city", "SELECT count(*) FROM shipments WHERE destination = ? AND status = ?")
                .on("shipments").param(Param.sample("shipments", "destination")).param(Param.oneOf("booked", "in transit"));
    }

    private static Operation book() {
        return Operation.write("book", "UPDATE shipments SET status = ? WHERE id = ?")
                .on("shipments").param(Param.oneOf("booked", "in transit")).param(Param.keyOf("shipments"));
    }

    @Test
    void customOperationsInAMixAreSentAndRecordedWithTheirStartAndEnd(TestDatabase db) throws Exception {
        seed(db);
        Traffic t = Traffic.on(db.dataSource()).seed(5)
                .workload("app", w -> w.operation(byCity(), 1).operation(book(), 3).clients(2).think(Duration.ofMillis(1)))
                .start();
        t.awaitOps(200, Duration.ofSeconds(30));
        List<TrafficOp> ops = t.stop();
        assertTrue(ops.size() >= 200);
        assertTrue(ops.stream().allMatch(o -> o.error() == null && !o.end().isBefore(o.start())
                && o.tables().equals(List.of("public.shipments")) && o.workload().equals("app")), ops.get(0).toString());
        long books = ops.stream().filter(o -> o.operation().equals("book")).count();
        double share = books / (double) ops.size();
        assertTrue(share > 0.6 && share < 0.9, "weights 1:3 give about 75% writes, got " + share);
        assertTrue(ops.stream().filter(o -> o.operation().equals("book")).allMatch(o -> o.kind() == TrafficOp.Kind.WRITE));
    }

    @Test
    void theSameSeedSendsTheSameRequests(TestDatabase db) throws Exception {
        seed(db);
        List<String> first = sequence(db, 17);
        assertEquals(first, sequence(db, 17));
        assertTrue(!first.equals(sequence(db, 18)), "another seed, another sequence");
    }

    private static List<String> sequence(TestDatabase db, long seed) {
        Traffic t = Traffic.on(db.dataSource()).seed(seed)
                .workload("app", w -> w.operation(byCity()).operation(book()).think(Duration.ZERO))
                .start();
        t.awaitOps(60, Duration.ofSeconds(30));
        return t.stop().stream().limit(60).map(TrafficOp::operation).toList();
    }

    @Test
    void anOpenLoopRateShowsAStallAsQueueingWhileAClosedLoopClientWaitsInstead(TestDatabase db) throws Exception {
        seed(db);
        // At 300 ms the "migration" takes ACCESS EXCLUSIVE for 400 ms, as a session of the traffic itself.
        Traffic t = Traffic.on(db.dataSource()).seed(1)
                .workload("api", w -> w.operation(Operation.read("track", "SELECT status FROM shipments WHERE id = ?")
                        .on("shipments").param(Param.keyOf("shipments"))).rate(100).maxInFlight(4))
                .reads("shipments")
                .transaction("ddl", s -> s.sql("LOCK TABLE shipments IN ACCESS EXCLUSIVE MODE")
                        .holdFor(Duration.ofMillis(400)).startAfter(Duration.ofMillis(300)))
                .start();
        Instant started = Instant.now();
        t.awaitSessions(Duration.ofSeconds(30));
        Thread.sleep(300); // a deliberate 300 ms of traffic after the lock, not synchronisation
        List<TrafficOp> ops = t.stop();
        SessionRun ddl = t.sessions().get(0);
        Instant locked = ddl.statements().get(0).end();
        List<TrafficOp> api = ops.stream().filter(o -> o.workload().equals("api")).toList();
        List<TrafficOp> closed = ops.stream().filter(o -> o.workload().equals("reads of public.shipments")).toList();
        // Open loop: requests kept falling due during the hold, each waiting for the lock: some queued ~400 ms.
        long dueDuringHold = api.stream().filter(o -> !o.start().isBefore(locked) && o.start().isBefore(ddl.end())).count();
        assertTrue(dueDuringHold >= 25, "about 40 requests fall due in 400 ms at 100/s, got " + dueDuringHold);
        assertTrue(api.stream().anyMatch(o -> o.latency().toMillis() >= 300), "a request due as the lock began queued");
        // Closed loop: the client sent one request and waited with it, the whole hold. (The session's own
        // timestamps lag the server on a loaded machine, so the hold's first and last 50 ms are left out.)
        long sentDuringHold = closed.stream().filter(o -> o.start().isAfter(locked.plusMillis(50))
                && o.start().isBefore(ddl.end().minusMillis(50))).count();
        assertEquals(0, sentDuringHold, "a closed-loop client sends nothing while its request waits");
        assertTrue(closed.stream().anyMatch(o -> o.latency().toMillis() >= 300));
        assertTrue(Duration.between(started, locked).toMillis() >= 250, "the session started after its delay");
    }

    @Test
    void longAndIdleTransactionsAreParticipantsTheServerSees(TestDatabase db) throws Exception {
        seed(db);
        Traffic t = Traffic.on(db.dataSource())
                .longTransaction("report-job", Duration.ofMillis(300), "SELECT count(*) FROM shipments")
                .idleInTransaction("forgotten-console", "SELECT * FROM shipments LIMIT 1")
                .start();
        // Both hold their transactions as start() returns.
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT application_name, state FROM pg_stat_activity WHERE application_name LIKE 'querk-testkit/%'"
                        + " ORDER BY 1")) {
            assertTrue(rs.next());
            assertEquals("querk-testkit/forgotten-console", rs.getString(1));
            assertEquals("idle in transaction", rs.getString(2));
            assertTrue(rs.next());
            assertEquals("querk-testkit/report-job", rs.getString(1));
        }
        List<SessionRun> ended = t.awaitSessions(Duration.ofSeconds(10));
        assertEquals(List.of("report-job"), ended.stream().map(SessionRun::name).toList());
        SessionRun job = ended.get(0);
        assertTrue(Duration.between(job.statements().get(0).end(), job.end()).toMillis() >= 300, job.toString());
        assertTrue(job.pid() > 0 && job.error() == null);
        t.stop();
        assertEquals(2, t.sessions().size());
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'querk-testkit/%'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "stop() ends every session");
        }
    }

    @Test
    void badSpecificationsAreRefusedWithAReason(TestDatabase db) throws Exception {
        seed(db);
        assertThrows(io.querk.testkit.TestkitException.class, () -> Traffic.on(db.dataSource()).start());
        assertThrows(io.querk.testkit.TestkitException.class, () -> Traffic.on(db.dataSource()).workload("empty", w -> { }));
        assertThrows(io.querk.testkit.TestkitException.class, () -> Traffic.on(db.dataSource())
                .workload("w", w -> w.operation(byCity()).rate(0)));
        io.querk.testkit.TestkitException e = assertThrows(io.querk.testkit.TestkitException.class, () -> Traffic.on(db.dataSource())
                .reads("no_such_table").start());
        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
    }
}
