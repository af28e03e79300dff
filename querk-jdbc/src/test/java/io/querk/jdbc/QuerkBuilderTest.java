package io.querk.jdbc;

import io.querk.migration.Migration;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad configuration fails at build(), before any connection is asked for. */
class QuerkBuilderTest {

    /** A DataSource that fails the test if anything asks it for a connection. */
    private static final DataSource UNTOUCHABLE = (DataSource) Proxy.newProxyInstance(
            QuerkBuilderTest.class.getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, a) -> {
                if (m.getName().startsWith("getConnection")) {
                    throw new AssertionError("a connection was requested");
                }
                return m.getName().equals("getLogWriter") ? new PrintWriter(System.out) : null;
            });

    private static Migration m(String id) {
        return Migration.define(id).expand(e -> e.addColumn("t", "c", "int")).build();
    }

    private static String fails(Querk.Builder b) {
        return assertThrows(QuerkConfigException.class, b::build).getMessage();
    }

    @Test
    void requiresADataSource() {
        assertTrue(fails(Querk.builder().migrations(m("1"))).contains("dataSource"));
    }

    @Test
    void rejectsDuplicateIds() {
        assertTrue(fails(Querk.builder().dataSource(UNTOUCHABLE).migrations(m("1"), m("1"))).contains("'1'"));
    }

    @Test
    void rejectsAContractReleaseOfAnUnknownMigration() {
        String msg = fails(Querk.builder().dataSource(UNTOUCHABLE).migrations(m("1")).contractReleasedThrough("2"));
        assertTrue(msg.contains("'2'") && msg.contains("not among"), msg);
    }

    @Test
    void rejectsUnusableHistoryTables() {
        assertTrue(fails(Querk.builder().dataSource(UNTOUCHABLE).historyTable("a.b.c")).contains("historyTable"));
        assertTrue(fails(Querk.builder().dataSource(UNTOUCHABLE).historyTable("x".repeat(60))).contains("historyTable"));
    }

    @Test
    void rejectsNonPositiveDurations() {
        assertThrows(QuerkConfigException.class, () -> Querk.builder().lockTimeout(Duration.ZERO));
        assertThrows(QuerkConfigException.class, () -> Querk.builder().statementTimeout(Duration.ofMillis(-5)));
        assertThrows(QuerkConfigException.class, () -> Querk.builder().longLockTimeout(null));
        assertThrows(QuerkConfigException.class, () -> Querk.builder().runnerLockTimeout(Duration.ZERO));
    }

    @Test
    void sortsMigrationsByIdAndExposesTheSealedConfig() {
        Querk q = Querk.builder().dataSource(UNTOUCHABLE).migrations(m("V10"), m("V2"), m("V1")).build();
        assertEquals("V1 V2 V10", String.join(" ", q.config().migrations().stream().map(Migration::id).toList()));
        assertEquals(QuerkConfig.DEFAULT_LOCK_TIMEOUT, q.config().lockTimeout());
        assertThrows(UnsupportedOperationException.class, () -> q.config().migrations().clear());
    }

    @Test
    void explicitContractOfAnUnknownMigrationFailsBeforeConnecting() {
        Querk q = Querk.builder().dataSource(UNTOUCHABLE).migrations(m("1")).build();
        assertThrows(QuerkConfigException.class, () -> q.contract("nope"));
        assertThrows(QuerkConfigException.class, () -> q.repairChecksums("nope"));
    }

    @Test
    void backfillSettingsValidate() {
        assertThrows(QuerkConfigException.class, () -> BackfillSettings.custom().batchSize(0));
        assertThrows(QuerkConfigException.class, () -> BackfillSettings.custom().pause(Duration.ofMillis(-1)));
        assertThrows(QuerkConfigException.class, () -> BackfillSettings.custom().minBatchSize(10).maxBatchSize(5).build());
        assertEquals(BackfillSettings.DEFAULT_BATCH_SIZE, BackfillSettings.defaults().batchSize());
    }
}
