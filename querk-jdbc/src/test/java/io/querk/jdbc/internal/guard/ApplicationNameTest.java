package io.querk.jdbc.internal.guard;

import io.querk.migration.StepRef;
import io.querk.migration.Phase;
import io.querk.migration.StepKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplicationNameTest {

    @Test
    void namesPhaseStepRunTokenAndMigration() {
        StepRef s = new StepRef("2026-11-23.dest-city", Phase.BACKFILL, 2, 3, StepKind.BACKFILL, "x");
        assertEquals("querk/backfill#2/k3f9a1/2026-11-23.dest-city", GuardedExecutor.applicationName(s, "k3f9a1"));
        assertEquals("querk/backfill#2/2026-11-23.dest-city", GuardedExecutor.applicationName(s, ""));
    }

    @Test
    void cutsLongIdsToSixtyThreeBytesWithoutSplittingACharacterAndKeepsTheToken() {
        StepRef s = new StepRef("2026-11-23." + "é".repeat(60), Phase.EXPAND, 12, 20, StepKind.ADD_COLUMN, "x");
        String name = GuardedExecutor.applicationName(s, "00000z");
        assertTrue(name.startsWith("querk/expand#12/00000z/2026-11-23."), name);
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 63);
        assertTrue(name.endsWith("é"));
    }

    @Test
    void everyStepRunGetsItsOwnSixCharacterToken() {
        GuardedExecutor g = new GuardedExecutor(null, null, null, null, null);
        Set<String> seen = new HashSet<>();
        String previous = "";
        for (int i = 0; i < 10_000; i++) {
            String t = g.startStepRun();
            assertTrue(t.matches("[0-9a-z]{6}"), t);
            assertTrue(seen.add(t), "token repeated: " + t);
            assertNotEquals(previous, t);
            previous = t;
        }
        StepRef s = new StepRef("m", Phase.EXPAND, 1, 1, StepKind.ADD_COLUMN, "x");
        assertEquals("querk/expand#1/" + previous + "/m", g.sessionName(s));
    }
}
