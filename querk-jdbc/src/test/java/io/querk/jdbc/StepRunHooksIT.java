package io.querk.jdbc;

import io.querk.jdbc.event.LocksHeld;
import io.querk.jdbc.event.QuerkEvent;
import io.querk.jdbc.event.QuerkListener;
import io.querk.jdbc.event.StatementStarted;
import io.querk.jdbc.event.StepStarted;
import io.querk.jdbc.support.Recorder;
import io.querk.migration.Migration;
import io.querk.plan.LockMode;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two hooks a lock tracer needs from the engine: a token per step run, published on
 * {@link StepStarted} and carried in every session's application_name; and, for listeners that
 * ask, the locks each transactional action held, read inside its own transaction.
 */
@ExtendWith(PostgresExtension.class)
class StepRunHooksIT {

    /** A listener that asks for held locks and keeps every event. */
    static final class Capturing implements QuerkListener {
        final Recorder recorder = new Recorder();

        @Override
        public void onEvent(QuerkEvent event) {
            recorder.onEvent(event);
        }

        @Override
        public boolean capturesHeldLocks() {
            return true;
        }

        <T extends QuerkEvent> List<T> of(Class<T> type) {
            return recorder.of(type);
        }
    }

    private static Migration migration() {
        return Migration.define("2026-11-24.hooks")
                .expand(e -> e.addColumn("orders", "note", "text").addCheck("orders", "orders_qty_check", "qty >= 0"))
                .build();
    }

    @Test
    void everyStepRunHasItsOwnTokenAndEveryTransactionReportsTheLocksItHeld(TestDatabase db) {
        exec(db, "CREATE TABLE orders (id int PRIMARY KEY, qty int NOT NULL)",
                "INSERT INTO orders SELECT g, 0 FROM generate_series(1, 100) g");
        Capturing events = new Capturing();
        // A listener that sees the session's name from the server while each statement runs.
        Set<String> names = new HashSet<>();
        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(migration()).listener(events)
                .listener(e -> {
                    if (e instanceof StatementStarted s) {
                        names.add(rows(db, "SELECT application_name FROM pg_stat_activity WHERE pid = "
                                + s.backendPid()).get(0).get(0));
                    }
                }).build()).migrateAllPhases();

        List<StepStarted> starts = events.of(StepStarted.class);
        assertEquals(2, starts.size());
        Set<String> tokens = new HashSet<>();
        for (StepStarted s : starts) {
            assertTrue(s.runToken().matches("[0-9a-z]{6}"), s.runToken());
            tokens.add(s.runToken());
            assertTrue(names.contains("querk/expand#" + s.step().number() + "/" + s.runToken() + "/2026-11-24.hooks"),
                    names.toString());
        }
        assertEquals(2, tokens.size(), "one token per step run");

        List<LocksHeld> held = events.of(LocksHeld.class);
        assertTrue(held.stream().anyMatch(h -> h.step().number() == 1 && h.locks().stream().anyMatch(l ->
                l.schema().equals("public") && l.name().equals("orders") && l.mode() == LockMode.ACCESS_EXCLUSIVE)),
                held.toString());
        for (LocksHeld h : held) {
            assertTrue(!h.transactionStart().isAfter(h.at()) && h.backendPid() > 0 && !h.statements().isEmpty(), h.toString());
            assertTrue(h.locks().stream().noneMatch(l -> l.schema().equals("pg_catalog") && l.mode() == LockMode.ACCESS_SHARE),
                    "the capture's own catalog reads are left out: " + h);
        }
        // The captured lock is the engine's: committed, so gone from the server now.
        assertEquals(List.of(), rows(db, "SELECT mode FROM pg_locks WHERE relation = 'orders'::regclass"));
    }

    @Test
    void withoutAListenerAskingNoLocksAreRead(TestDatabase db) {
        exec(db, "CREATE TABLE orders (id int PRIMARY KEY, qty int NOT NULL)");
        Recorder events = new Recorder();
        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(migration()).listener(events).build()).migrateAllPhases();
        List<QuerkEvent> all = events.all();
        assertTrue(all.stream().noneMatch(e -> e instanceof LocksHeld), all.toString());
        assertTrue(all.stream().anyMatch(e -> e instanceof StepStarted), all.toString());
    }
}
