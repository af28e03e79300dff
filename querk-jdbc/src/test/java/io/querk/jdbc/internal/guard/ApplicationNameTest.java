package io.querk.jdbc.internal.guard;

import io.querk.migration.StepRef;
import io.querk.migration.Phase;
import io.querk.migration.StepKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplicationNameTest {

    @Test
    void namesPhaseStepAndMigration() {
        StepRef s = new StepRef("2026-11-23.dest-city", Phase.BACKFILL, 2, 3, StepKind.BACKFILL, "x");
        assertEquals("querk/backfill#2/2026-11-23.dest-city", GuardedExecutor.applicationName(s));
    }

    @Test
    void cutsLongIdsToSixtyThreeBytesWithoutSplittingACharacter() {
        StepRef s = new StepRef("2026-11-23." + "é".repeat(60), Phase.EXPAND, 12, 20, StepKind.ADD_COLUMN, "x");
        String name = GuardedExecutor.applicationName(s);
        assertTrue(name.startsWith("querk/expand#12/2026-11-23."));
        assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= 63);
        assertTrue(name.endsWith("é"));
    }
}
