package io.querk.jdbc;

import io.querk.jdbc.retry.RetryPolicy;
import io.querk.migration.Migration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration is a value: built and checked on its own, before any connection is asked for. */
class QuerkConfigTest {

    /** A DataSource that fails the test if anything asks it for a connection. */
    private static final DataSource UNTOUCHABLE = (DataSource) Proxy.newProxyInstance(
            QuerkConfigTest.class.getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, a) -> {
                if (m.getName().startsWith("getConnection")) {
                    throw new AssertionError("a connection was requested");
                }
                return m.getName().equals("getLogWriter") ? new PrintWriter(System.out) : null;
            });

    private static Migration m(String id) {
        return Migration.define(id).expand(e -> e.addColumn("t", "c", "int")).build();
    }

    private static String fails(QuerkConfig.Builder b) {
        return assertThrows(QuerkConfigException.class, b::build).getMessage();
    }

    private static String fails(Executable setter) {
        return assertThrows(QuerkConfigException.class, setter).getMessage();
    }

    private static QuerkConfig.Builder valid() {
        return QuerkConfig.custom().dataSource(UNTOUCHABLE);
    }

    @Test
    void requiresADataSource() {
        assertTrue(fails(QuerkConfig.custom().migrations(m("1"))).contains("DataSource"));
    }

    @Test
    void everySetterFailsTheSameWayOnNull() {
        QuerkConfig.Builder b = QuerkConfig.custom();
        // Each was a NullPointerException for dataSource(null) and friends; now one exception, one wording.
        assertEquals("dataSource must not be null.", fails(() -> b.dataSource(null)));
        assertEquals("retryPolicy must not be null.", fails(() -> b.retryPolicy(null)));
        assertEquals("historyTable must not be null.", fails(() -> b.historyTable(null)));
        assertEquals("contractReleasedThrough must not be null.", fails(() -> b.contractReleasedThrough(null)));
        assertEquals("listener must not be null.", fails(() -> b.listener(null)));
        assertEquals("backfill must not be null.", fails(() -> b.backfill(null)));
        assertEquals("migrations[1] must not be null.", fails(() -> b.migrations(m("1"), null)));
        assertEquals("lockTimeout must be a positive duration, got null.", fails(() -> b.lockTimeout(null)));
        assertEquals("config must not be null: build one with QuerkConfig.custom()...build().",
                fails(() -> Querk.create(null)));
    }

    @Test
    void everyPositivityCheckReadsTheSame() {
        QuerkConfig.Builder b = QuerkConfig.custom();
        assertEquals("lockTimeout must be a positive duration, got PT0S.", fails(() -> b.lockTimeout(Duration.ZERO)));
        assertEquals("statementTimeout must be a positive duration, got PT-0.005S.",
                fails(() -> b.statementTimeout(Duration.ofMillis(-5))));
        assertEquals("longLockTimeout must be a positive duration, got PT0S.", fails(() -> b.longLockTimeout(Duration.ZERO)));
        assertEquals("runnerLockTimeout must be a positive duration, got PT0S.",
                fails(() -> b.runnerLockTimeout(Duration.ZERO)));
        assertEquals("batchSize must be at least 1, got 0.", fails(() -> BackfillSettings.custom().batchSize(0)));
        assertEquals("maxAttempts must be at least 1, got 0.", fails(() -> RetryPolicy.custom().maxAttempts(0)));
        assertEquals("pause must be zero or a positive duration, got PT-0.001S.",
                fails(() -> BackfillSettings.custom().pause(Duration.ofMillis(-1))));
    }

    @Test
    void rejectsDuplicateIds() {
        assertTrue(fails(valid().migrations(m("1"), m("1"))).contains("'1'"));
    }

    @Test
    void rejectsAContractReleaseOfAnUnknownMigration() {
        String msg = fails(valid().migrations(m("1")).contractReleasedThrough("2"));
        assertTrue(msg.contains("'2'") && msg.contains("not among"), msg);
    }

    @Test
    void rejectsUnusableHistoryTables() {
        assertTrue(fails(valid().historyTable("a.b.c")).contains("historyTable"));
        assertTrue(fails(valid().historyTable("x".repeat(60))).contains("historyTable"));
    }

    @Test
    void aHistoryTableWhoseRangeTableWouldNotFitIsRefusedAtBuild() {
        // 58 characters: "_step" fits in 63 bytes, "_range" does not. It passed build() and failed on
        // the range table at the first backfill.
        String msg = fails(valid().historyTable("h".repeat(58)));
        assertTrue(msg.contains("historyTable") && msg.contains("_range"), msg);
        valid().historyTable("h".repeat(57)).build();
    }

    @Test
    void anEscalationCeilingBelowTheLockTimeoutIsRefused() {
        String msg = fails(valid().lockTimeout(Duration.ofSeconds(2))
                .retryPolicy(RetryPolicy.custom().escalateLockTimeout(1.5, Duration.ofSeconds(1)).build()));
        assertTrue(msg.contains("escalation ceiling") && msg.contains("lockTimeout"), msg);
    }

    @Test
    void sortsMigrationsByIdAndIsImmutable() {
        QuerkConfig c = valid().migrations(m("V10"), m("V2"), m("V1")).build();
        assertEquals("V1 V2 V10", String.join(" ", c.migrations().stream().map(Migration::id).toList()));
        assertEquals(QuerkConfig.DEFAULT_LOCK_TIMEOUT, c.lockTimeout());
        assertThrows(UnsupportedOperationException.class, () -> c.migrations().clear());
        assertEquals(c.toString(), Querk.create(c).config().toString());
    }

    @Test
    void fromCopiesABaseAndLeavesItAlone() {
        QuerkConfig base = valid().migrations(m("1"), m("2")).lockTimeout(Duration.ofMillis(50))
                .listener(e -> { }).build();
        QuerkConfig released = QuerkConfig.from(base).contractReleasedThrough("2").migrations(m("3")).build();
        assertEquals("2", released.contractReleasedThrough().orElseThrow());
        assertEquals(Duration.ofMillis(50), released.lockTimeout());
        assertEquals(List.of("1", "2", "3"), released.migrations().stream().map(Migration::id).toList());
        assertEquals(1, released.listeners().size());
        assertTrue(base.contractReleasedThrough().isEmpty());
        assertEquals(2, base.migrations().size());
        assertNotSame(base, released);
    }

    @Test
    void toStringShowsEveryEffectiveValueButNoSecrets() {
        String s = valid().migrations(m("2026-01-01.a"), m("2026-01-02.b")).lockTimeout(Duration.ofMillis(150)).build()
                .toString();
        for (String part : List.of("lockTimeout=PT0.15S", "statementTimeout=PT5S", "longLockTimeout=PT10M",
                "runnerLockTimeout=PT10M", "migrations=2 (2026-01-01.a .. 2026-01-02.b)", "historyTable=querk_history",
                "contractReleasedThrough=none", "no escalation", "BackfillSettings[batchSize=2000", "listeners=0")) {
            assertTrue(s.contains(part), part + " missing from " + s);
        }
        assertTrue(s.contains("dataSource=" + UNTOUCHABLE.getClass().getName()), s);
    }

    @Test
    void explicitContractOfAnUnknownMigrationFailsBeforeConnecting() {
        Querk q = Querk.create(valid().migrations(m("1")).build());
        assertThrows(QuerkConfigException.class, () -> q.contract("nope"));
        assertThrows(QuerkConfigException.class, () -> q.repairChecksums("nope"));
    }

    @Test
    void backfillSettingsValidateAndCopy() {
        assertThrows(QuerkConfigException.class, () -> BackfillSettings.custom().minBatchSize(10).maxBatchSize(5).build());
        assertEquals(BackfillSettings.DEFAULT_BATCH_SIZE, BackfillSettings.defaults().batchSize());
        BackfillSettings s = BackfillSettings.custom().batchSize(5_000).workers(2).build();
        assertEquals(s.toString(), BackfillSettings.from(s).build().toString());
        assertTrue(s.toString().contains("batchSize=5000") && s.toString().contains("workers=2"), s.toString());
    }
}
