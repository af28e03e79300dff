package io.querk.jdbc.safety;

import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.OutOfOrderMigrationException;
import io.querk.jdbc.PhaseState;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.Migration;
import io.querk.migration.Phase;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.querk.jdbc.support.Db.bool;
import static io.querk.jdbc.support.Db.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Release by history, not by id order: two branches, one merged late. Before, a late
 * '2026-12-04.late' ran its expand and its contract (a drop) in one plain migrate(), because it
 * sorts before the released '2026-12-05.b'.
 */
@ExtendWith(PostgresExtension.class)
class ReleaseByHistoryIT {

    private static final Migration A = Migration.define("2026-12-01.a")
            .expand(e -> e.addColumn("people", "nick", "text")).build();
    private static final Migration B = Migration.define("2026-12-05.b")
            .expand(e -> e.addColumn("people", "email", "text"))
            .contract(c -> c.dropColumn("people", "legacy")).build();
    private static final Migration LATE = Migration.define("2026-12-04.late")
            .expand(e -> e.addColumn("people", "name2", "text"))
            .contract(c -> c.dropColumn("people", "name")).build();

    private static Querk querk(TestDatabase db, String released, boolean outOfOrder, Migration... ms) {
        QuerkConfig.Builder b = QuerkConfig.custom().dataSource(db.dataSource()).migrations(ms).outOfOrder(outOfOrder);
        if (released != null) {
            b.contractReleasedThrough(released);
        }
        return Querk.create(b.build());
    }

    private static boolean hasColumn(TestDatabase db, String column) {
        return bool(db, "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'people'::regclass AND attname = '"
                + column + "' AND NOT attisdropped)");
    }

    private static void seed(TestDatabase db) {
        exec(db, "CREATE TABLE people (id bigint PRIMARY KEY, name text, legacy text)",
                "INSERT INTO people VALUES (1, 'Ada', 'x')");
    }

    @Test
    void aLateMergedBranchIsRefusedByDefaultNamingBothIdsAndTheSetting(TestDatabase db) {
        seed(db);
        querk(db, null, false, A, B).migrate();
        querk(db, "2026-12-05.b", false, A, B).migrate();   // the release: b's contract runs
        assertFalse(hasColumn(db, "legacy"));

        OutOfOrderMigrationException e = assertThrows(OutOfOrderMigrationException.class,
                querk(db, "2026-12-05.b", false, A, B, LATE)::migrate);
        assertTrue(e.getMessage().contains("'2026-12-04.late'") && e.getMessage().contains("'2026-12-05.b'")
                && e.getMessage().contains("outOfOrder(true)"), e.getMessage());
        assertEquals("2026-12-05.b", e.appliedAfter());
        assertFalse(hasColumn(db, "name2"), "nothing ran");
        assertThrows(OutOfOrderMigrationException.class, querk(db, "2026-12-05.b", false, A, B, LATE)::plan);
    }

    @Test
    void acceptedItRunsItsExpandButItsContractWaitsForAReleaseThatNamesIt(TestDatabase db) {
        seed(db);
        querk(db, null, false, A, B).migrate();
        querk(db, "2026-12-05.b", false, A, B).migrate();

        // The deploy with the late branch: its expand runs; its contract does not, although its id
        // sorts before the released one: b was released before late was ever seen.
        MigrationReport first = querk(db, "2026-12-05.b", true, A, B, LATE).migrate();
        assertTrue(hasColumn(db, "name2"));
        assertTrue(hasColumn(db, "name"), "the old version still reads name");
        assertEquals(List.of("2026-12-04.late"), first.pendingContracts());
        // Every later start of the same release: still not released.
        querk(db, "2026-12-05.b", true, A, B, LATE).migrate();
        assertTrue(hasColumn(db, "name"));

        // The next release names it.
        querk(db, "2026-12-04.late", true, A, B, LATE).migrate();
        assertFalse(hasColumn(db, "name"));
    }

    @Test
    void aContractNeverRunsInTheRunThatAppliedItsExpandEvenWhenReleased(TestDatabase db) {
        seed(db);
        Querk released = querk(db, "2026-12-05.b", false, A, B);
        MigrationReport first = released.migrate();
        assertTrue(hasColumn(db, "email") && hasColumn(db, "legacy"), "expand now, contract in a later run");
        assertEquals(List.of("2026-12-05.b"), first.pendingContracts());
        released.migrate();
        assertFalse(hasColumn(db, "legacy"));
        assertTrue(released.status().stream().filter(s -> s.phase() == Phase.CONTRACT)
                .allMatch(s -> s.status() == PhaseState.Status.APPLIED));
    }

    @Test
    void aContractOnlyMigrationIsRecordedByTheRunThatFirstSeesItAndRunsWhenReleasedLater(TestDatabase db) {
        seed(db);
        Migration dropLegacy = Migration.define("2026-12-06.drop-legacy").contract(c -> c.dropColumn("people", "legacy"))
                .build();
        querk(db, "2026-12-06.drop-legacy", false, dropLegacy).migrate();
        assertTrue(hasColumn(db, "legacy"), "first seen in this run: not yet");
        assertEquals(PhaseState.Status.PENDING, querk(db, null, false, dropLegacy).status().get(0).status());
        querk(db, "2026-12-06.drop-legacy", false, dropLegacy).migrate();
        assertFalse(hasColumn(db, "legacy"));
    }

    @Test
    void aHistoryWrittenByAnEarlierQuerkIsUpgradedInPlace(TestDatabase db) {
        seed(db);
        // The phase table as Querk 0.1 made it: no seen_seq, no pending or aborted status.
        exec(db, "CREATE TABLE querk_history (migration_id text NOT NULL, phase text NOT NULL CHECK (phase IN"
                        + " ('expand', 'backfill', 'contract')), description text NOT NULL DEFAULT '', checksum text NOT NULL,"
                        + " status text NOT NULL CHECK (status IN ('running', 'failed', 'applied')), steps int NOT NULL,"
                        + " started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz, run_by text NOT NULL,"
                        + " error text, PRIMARY KEY (migration_id, phase))",
                "INSERT INTO querk_history VALUES ('2026-12-01.a', 'expand', '', '" + A.checksum(Phase.EXPAND)
                        + "', 'applied', 1, now() - interval '1 day', now() - interval '1 day', 'old', NULL)");
        exec(db, "ALTER TABLE people ADD COLUMN nick text");
        assertTrue(querk(db, null, false, A).migrate().nothingPending(), "reads the old table as it is");
        querk(db, null, false, A, B).migrate();
        assertTrue(hasColumn(db, "email"));
        assertEquals("1 2", String.join(" ", io.querk.jdbc.support.Db.rows(db,
                "SELECT DISTINCT seen_seq FROM querk_history ORDER BY 1").stream().map(r -> r.get(0)).toList()));
        querk(db, "2026-12-05.b", false, A, B).migrate();
        assertFalse(hasColumn(db, "legacy"));
    }
}
