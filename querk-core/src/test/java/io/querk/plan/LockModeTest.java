package io.querk.plan;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.querk.plan.LockMode.ACCESS_EXCLUSIVE;
import static io.querk.plan.LockMode.ACCESS_SHARE;
import static io.querk.plan.LockMode.EXCLUSIVE;
import static io.querk.plan.LockMode.ROW_EXCLUSIVE;
import static io.querk.plan.LockMode.ROW_SHARE;
import static io.querk.plan.LockMode.SHARE;
import static io.querk.plan.LockMode.SHARE_ROW_EXCLUSIVE;
import static io.querk.plan.LockMode.SHARE_UPDATE_EXCLUSIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LockModeTest {

    /** PostgreSQL documentation, "Explicit Locking", table "Conflicting Lock Modes". */
    private static final Map<LockMode, Set<LockMode>> POSTGRES_CONFLICTS = Map.of(
            ACCESS_SHARE, EnumSet.of(ACCESS_EXCLUSIVE),
            ROW_SHARE, EnumSet.of(EXCLUSIVE, ACCESS_EXCLUSIVE),
            ROW_EXCLUSIVE, EnumSet.of(SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE),
            SHARE_UPDATE_EXCLUSIVE, EnumSet.of(SHARE_UPDATE_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE,
                    ACCESS_EXCLUSIVE),
            SHARE, EnumSet.of(ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE),
            SHARE_ROW_EXCLUSIVE, EnumSet.of(ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE,
                    EXCLUSIVE, ACCESS_EXCLUSIVE),
            EXCLUSIVE, EnumSet.of(ROW_SHARE, ROW_EXCLUSIVE, SHARE_UPDATE_EXCLUSIVE, SHARE, SHARE_ROW_EXCLUSIVE,
                    EXCLUSIVE, ACCESS_EXCLUSIVE),
            ACCESS_EXCLUSIVE, EnumSet.allOf(LockMode.class));

    @Test
    void conflictMatrixEqualsPostgres() {
        for (LockMode held : LockMode.values()) {
            for (LockMode requested : LockMode.values()) {
                assertEquals(POSTGRES_CONFLICTS.get(held).contains(requested), held.conflictsWith(requested),
                        held + " vs " + requested);
            }
        }
    }

    @Test
    void conflictsAreSymmetric() {
        for (LockMode a : LockMode.values()) {
            for (LockMode b : LockMode.values()) {
                assertEquals(a.conflictsWith(b), b.conflictsWith(a), a + " vs " + b);
            }
        }
    }

    @Test
    void onlyAccessExclusiveBlocksReads() {
        for (LockMode m : LockMode.values()) {
            assertEquals(m == ACCESS_EXCLUSIVE, m.blocksReads(), m.name());
        }
    }

    @Test
    void shareAndStrongerBlockWrites() {
        Set<LockMode> blocking = EnumSet.of(SHARE, SHARE_ROW_EXCLUSIVE, EXCLUSIVE, ACCESS_EXCLUSIVE);
        for (LockMode m : LockMode.values()) {
            assertEquals(blocking.contains(m), m.blocksWrites(), m.name());
        }
    }

    @Test
    void namesFollowPostgres() {
        assertEquals("AccessExclusiveLock", ACCESS_EXCLUSIVE.pgName());
        assertEquals("ShareUpdateExclusiveLock", SHARE_UPDATE_EXCLUSIVE.pgName());
        assertEquals("ACCESS EXCLUSIVE", ACCESS_EXCLUSIVE.sqlName());
        assertEquals("SHARE ROW EXCLUSIVE", SHARE_ROW_EXCLUSIVE.sqlName());
    }

    @Test
    void ofReadsPgLocksNames() {
        assertEquals(ACCESS_EXCLUSIVE, LockMode.of("AccessExclusiveLock"));
        assertEquals(ROW_EXCLUSIVE, LockMode.of("RowExclusiveLock"));
        for (LockMode m : LockMode.values()) {
            assertEquals(m, LockMode.of(m.pgName()));
        }
    }

    @Test
    void ofReadsSqlNames() {
        assertEquals(ACCESS_EXCLUSIVE, LockMode.of("ACCESS EXCLUSIVE"));
        assertEquals(SHARE_UPDATE_EXCLUSIVE, LockMode.of("share update exclusive"));
        assertEquals(SHARE, LockMode.of(" SHARE "));
        for (LockMode m : LockMode.values()) {
            assertEquals(m, LockMode.of(m.sqlName()));
            assertEquals(m, LockMode.of(m.name()));
        }
    }

    @Test
    void ofRejectsJunk() {
        for (String junk : List.of("junk", "", "ACCESS", "AccessExclusive", "EXCLUSIVE LOCK", "SHARE-ROW-EXCLUSIVE")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LockMode.of(junk), junk);
            assertTrue(e.getMessage().contains("Not a table lock mode"), e.getMessage());
        }
    }
}
