package io.querk.jdbc.backfill;

import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.support.Await;
import io.querk.jdbc.support.Child;
import io.querk.jdbc.support.Db;
import io.querk.jdbc.support.Scenarios;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A non-idempotent backfill (n = n + 1), walked by two workers, whose runner is killed with
 * SIGKILL again and again, alternately in the middle of a batch and between batches, then
 * resumed: every row is incremented exactly once.
 */
@ExtendWith({PostgresExtension.class, SeededRandomExtension.class})
class BackfillExactlyOnceIT {

    private static final int ACCOUNTS = 20;
    private static final int PER_ACCOUNT = 150;
    private static final int ROWS = ACCOUNTS * PER_ACCOUNT;

    @Test
    void sigkillMidBatchAndBetweenBatchesThenResume(TestDatabase db, SeededRandom random) throws Exception {
        exec(db, Scenarios.seedLedger(ACCOUNTS, PER_ACCOUNT));
        // A slow row trigger stretches each batch to tens of milliseconds, so that "mid-batch" is a
        // moment a test can hit, not a race.
        exec(db, "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.0002);"
                        + " RETURN NEW; END $$",
                "CREATE TRIGGER slow BEFORE UPDATE ON ledger FOR EACH ROW EXECUTE FUNCTION slow()");
        int midBatch = 0;
        int between = 0;
        for (int round = 0; round < 6; round++) {
            boolean inBatch = round % 2 == 0;
            long scanned = scanned(db);
            // Always leave work for the kill to interrupt: the workers walk fast near the end.
            long target = Math.min(ROWS - 4L * Scenarios.BACKFILL_BATCH, scanned + random.between(1, ROWS / 12));
            try (Child child = Child.start(db, "backfill", inBatch ? 0 : 150, false)) {
                Await.until("progress past " + target, 60_000, () -> scanned(db) >= target);
                String want = inBatch ? "active" : "idle";
                Await.until("the backfill session " + want, 10_000, () -> want.equals(backfillState(db)));
                child.kill();
            }
            if (inBatch) {
                midBatch++;
            } else {
                between++;
            }
            assertEquals("0", one(db, "SELECT count(*) FROM ledger WHERE n > 1"), "round " + round);
        }
        assertEquals(3, midBatch);
        assertEquals(3, between);
        assertEquals(true, scanned(db) < ROWS, "the kills left work to resume");

        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(Scenarios.backfillOnly(Duration.ZERO)).build()).migrate();
        assertEquals(List.of(List.of(String.valueOf(ROWS), "1", "1")),
                Db.rows(db, "SELECT count(*), min(n), max(n) FROM ledger"));
        assertEquals(String.valueOf(ROWS), one(db, "SELECT rows_updated FROM querk_history_step"));
    }

    private static long scanned(TestDatabase db) {
        if (!Db.bool(db, "SELECT to_regclass('querk_history_range') IS NOT NULL")) {
            return 0;
        }
        return Db.count(db, "SELECT coalesce(sum(rows_scanned), 0)::bigint FROM querk_history_range");
    }

    private static String backfillState(TestDatabase db) {
        // With two workers, "active" means any of them is inside a batch, "idle" that all are between batches.
        List<String> states = Db.rows(db, "SELECT state FROM pg_stat_activity WHERE application_name LIKE 'querk/backfill%'")
                .stream().map(r -> r.get(0)).toList();
        if (states.isEmpty()) {
            return "none";
        }
        return states.contains("active") ? "active" : states.stream().allMatch("idle"::equals) ? "idle" : "mixed";
    }
}
