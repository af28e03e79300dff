package io.querk.jdbc.internal.backfill;

import io.querk.internal.step.BackfillTuning;
import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.event.BackfillPaused;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.jdbc.internal.store.RangeRecord;
import io.querk.migration.Phase;
import io.querk.migration.StepKind;
import io.querk.migration.StepRef;
import io.querk.sql.QualifiedName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each part of the backfill engine on its own, without a database. */
class BackfillPartsTest {

    private static final StepRef REF = new StepRef("m", Phase.BACKFILL, 1, 1, StepKind.BACKFILL, "backfill t");

    @Nested
    class KeyResolution {
        private KeyResolver.Candidate key(String name, boolean primary, List<String> cols, boolean... notNull) {
            List<Boolean> nn = new ArrayList<>();
            for (boolean b : notNull) {
                nn.add(b);
            }
            return new KeyResolver.Candidate(name, primary, cols, cols.stream().map(c -> "bigint").toList(), nn, true,
                    true, false);
        }

        @Test
        void thePrimaryKeyWinsOverANarrowerUniqueKey() {
            var pk = key("t_pkey", true, List.of("a", "b"), true, true);
            var uk = key("t_code_key", false, List.of("code"), true);
            assertEquals("t_pkey", KeyResolver.choose(List.of(uk, pk)).orElseThrow().index());
        }

        @Test
        void withoutAPrimaryKeyTheNarrowestUsableUniqueKeyIsTaken() {
            var wide = key("t_ab_key", false, List.of("a", "b"), true, true);
            var narrow = key("t_c_key", false, List.of("c"), true);
            var nullable = key("t_d_key", false, List.of("d"), false);
            assertEquals("t_c_key", KeyResolver.choose(List.of(wide, nullable, narrow)).orElseThrow().index());
        }

        @Test
        void unusableKeysAreRefusedNamingWhy() {
            var nullable = key("t_d_key", false, List.of("d"), false);
            var partial = new KeyResolver.Candidate("t_p_key", false, List.of("p"), List.of("int"), List.of(true), true,
                    true, true);
            var expression = new KeyResolver.Candidate("t_lower_key", false, java.util.Arrays.asList((String) null),
                    java.util.Arrays.asList((String) null), List.of(false), true, true, false);
            var invalid = new KeyResolver.Candidate("t_i_key", false, List.of("i"), List.of("int"), List.of(true), false,
                    true, false);
            var deferred = new KeyResolver.Candidate("t_x_key", false, List.of("x"), List.of("int"), List.of(true), true,
                    false, false);
            List<KeyResolver.Candidate> all = List.of(nullable, partial, expression, invalid, deferred);
            assertTrue(KeyResolver.choose(all).isEmpty());
            String msg = KeyResolver.noKey(REF, QualifiedName.parse("t"), all);
            for (String why : List.of("t_d_key has the nullable column d", "t_p_key is partial",
                    "t_lower_key indexes an expression", "t_i_key is INVALID", "t_x_key is deferrable",
                    "no primary key and no unique, NOT NULL, non-partial key", "addPrimaryKey")) {
                assertTrue(msg.contains(why), why + " missing from: " + msg);
            }
        }
    }

    @Nested
    class RangePlanning {
        @Test
        void splitsEvenlyByRowOffset() {
            assertEquals(List.of(250_000L, 500_000L, 750_000L), RangePlanner.offsets(1_000_000, 4));
        }

        @Test
        void oneWorkerOrASmallTableIsOneRange() {
            assertTrue(RangePlanner.offsets(1_000_000, 1).isEmpty());
            assertTrue(RangePlanner.offsets(1_999, 2).isEmpty());
            assertTrue(RangePlanner.offsets(-1, 4).isEmpty(), "an unknown size is not split");
            assertEquals(List.of(1_000L), RangePlanner.offsets(2_000, 2));
        }

        @Test
        void repeatedSplitPointsCollapseSoNoRangeIsEmpty() {
            assertEquals(List.of(List.of("10"), List.of("20")),
                    RangePlanner.distinct(List.of(List.of("10"), List.of("10"), List.of("20"), List.of("20"))));
        }
    }

    @Nested
    class Pacing {
        private Pacer pacer(Integer size, Duration target) {
            return new Pacer(new BackfillTuning(size, Duration.ofMillis(5), target, 100, 8_000, 1));
        }

        @Test
        void fixedSizeWithoutATarget() {
            Pacer p = pacer(2_000, null);
            assertTrue(p.adapt(Duration.ofSeconds(3)).isEmpty());
            assertEquals(2_000, p.batchSize());
            assertEquals(Duration.ofMillis(5), p.pause());
        }

        @Test
        void movesTowardTheTargetAtMostDoublingOrHalvingWithinBounds() {
            Pacer p = pacer(1_000, Duration.ofMillis(100));
            assertEquals(2_000, p.adapt(Duration.ofMillis(10)).orElseThrow().to(), "at most doubled");
            assertEquals(1_000, p.adapt(Duration.ofMillis(1_000)).orElseThrow().to(), "at most halved");
            assertTrue(p.adapt(Duration.ofMillis(95)).isEmpty(), "under 10% is no change");
            for (int i = 0; i < 20; i++) {
                p.adapt(Duration.ofMillis(1));
            }
            assertEquals(8_000, p.batchSize(), "capped at the maximum");
            for (int i = 0; i < 20; i++) {
                p.adapt(Duration.ofSeconds(10));
            }
            assertEquals(100, p.batchSize(), "floored at the minimum");
        }

        @Test
        void aBackfillsOwnPacingOverridesTheEngineDefaultsFieldByField() {
            BackfillTuning own = new BackfillTuning(500, null, null, null, null, 3);
            BackfillTuning merged = Pacer.merged(own, BackfillSettings.custom().pause(Duration.ofMillis(7)).build());
            assertEquals(500, merged.batchSize());
            assertEquals(Duration.ofMillis(7), merged.pause());
            assertEquals(3, merged.workers());
            assertEquals(BackfillSettings.DEFAULT_MIN_BATCH_SIZE, merged.minBatchSize());
            assertNull(merged.targetBatchTime());
        }
    }

    @Nested
    class ProgressReports {
        @Test
        void reportsEachWorkersOwnBatchSizeAndTheRateAndTimeLeft() {
            AtomicLong now = new AtomicLong();
            Progress p = new Progress(REF, 10_000, 1_000, 2_000, List.of(500, 500), Duration.ofSeconds(5), now::get);
            p.batch(0, 1_000, 900, Duration.ofMillis(40), 800);
            p.batch(1, 1_000, 1_000, Duration.ofMillis(70), 300);
            assertTrue(p.due().isEmpty(), "not before the interval");
            now.set(Duration.ofSeconds(5).toNanos());
            BackfillProgress e = p.due().orElseThrow();
            assertEquals(List.of(800, 300), e.batchSizes(), "the sizes each worker really uses");
            assertEquals(550, e.batchSize());
            assertEquals(2_900, e.rowsUpdated());
            assertEquals(4_000, e.rowsScanned());
            assertEquals(400.0, e.rowsPerSecond(), 1e-9);
            assertEquals(Duration.ofSeconds(15), e.eta());
            assertEquals(Duration.ofMillis(70), e.longestBatch());
            assertEquals(1_900, p.updatedThisRun());
            assertTrue(p.due().isEmpty(), "the interval starts again");
        }

        @Test
        void anUnknownTotalHasNoTimeLeft() {
            AtomicLong now = new AtomicLong();
            Progress p = new Progress(REF, -1, 0, 0, List.of(100), Duration.ofSeconds(1), now::get);
            now.set(2_000_000_000L);
            p.batch(0, 100, 100, Duration.ofMillis(1), 100);
            assertNull(p.now().eta());
            assertEquals(-1, p.now().fractionDone());
        }
    }

    @Nested
    class Walking {
        private final List<String> calls = new ArrayList<>();
        private final List<Duration> sleeps = new ArrayList<>();

        /** Batches over a table of {@code rows} keys 1..rows, from an optional lower bound. */
        private RangeWalker.Batches table(int rows) {
            return (range, expected, hasFrom, size) -> {
                calls.add("after " + expected + (hasFrom ? "" : " (from the start)") + " take " + size);
                long from = expected != null ? Long.parseLong(expected.get(0))
                        : range.lower() != null ? Long.parseLong(range.lower().get(0)) : 0;
                long upper = range.upper() != null ? Long.parseLong(range.upper().get(0)) : rows;
                long last = Math.min(upper, from + size);
                long n = last - from;
                return new RangeWalker.Batch(n == 0 ? null : List.of(Long.toString(last)), n, n, Duration.ofMillis(10), 1);
            };
        }

        private final RangeWalker.Listener listener = new RangeWalker.Listener() {
            @Override
            public void batch(RangeWalker.Batch b, int nextSize) {
            }

            @Override
            public void resized(Pacer.Resize r) {
                calls.add("resized to " + r.to());
            }
        };

        private Pacer pacer(int size) {
            return new Pacer(new BackfillTuning(size, Duration.ofMillis(3), null, 1, 1_000, 1));
        }

        @Test
        void walksToTheFirstShortBatchCarryingTheCursor() throws Exception {
            RangeRecord r = new RangeRecord(1, null, null, null, 0, 0, false);
            assertTrue(RangeWalker.walk(r, table(25), pacer(10), () -> true, listener, sleeps::add));
            assertEquals(List.of("after null (from the start) take 10", "after [10] take 10", "after [20] take 10"), calls);
            assertEquals(List.of(Duration.ofMillis(3), Duration.ofMillis(3)), sleeps, "a pause between full batches only");
        }

        @Test
        void resumesAfterASavedCursorAndStopsAtTheRangesUpperBound() throws Exception {
            RangeRecord r = new RangeRecord(2, List.of("100"), List.of("130"), List.of("115"), 15, 15, false);
            assertTrue(RangeWalker.walk(r, table(1_000), pacer(10), () -> true, listener, sleeps::add));
            assertEquals(List.of("after [115] take 10", "after [125] take 10"), calls);
        }

        @Test
        void theGateStopsTheWalkBetweenBatches() throws Exception {
            Deque<Boolean> gate = new ArrayDeque<>(List.of(true, true, false));
            RangeRecord r = new RangeRecord(1, null, null, null, 0, 0, false);
            assertFalse(RangeWalker.walk(r, table(1_000), pacer(10), gate::pop, listener, sleeps::add));
            assertEquals(2, calls.size());
        }

        @Test
        void anAdaptingPacerResizesBetweenBatches() throws Exception {
            Pacer adaptive = new Pacer(new BackfillTuning(10, Duration.ZERO, Duration.ofMillis(20), 1, 1_000, 1));
            RangeRecord r = new RangeRecord(1, null, null, null, 0, 0, false);
            RangeWalker.walk(r, table(100), adaptive, () -> true, listener, sleeps::add);
            assertEquals("resized to 20", calls.get(1));
            assertEquals("after [10] take 20", calls.get(2));
        }
    }

    @Nested
    class Throttling {
        private final QualifiedName t = QualifiedName.parse("orders");
        private final BackfillSettings settings = BackfillSettings.custom().maxDeadTupleRatio(0.1).build();

        @Test
        void aCalmDatabaseLetsTheBackfillGo() {
            assertEquals(Optional.empty(), Throttle.assess(new Throttle.Reading(5, 1_000, 0, 0, null), 0, settings, t));
        }

        @Test
        void deadTuplesAboveTheLimitAreCuredByVacuumingAndCountOurOwnExactly() {
            Throttle.Stress s = Throttle.assess(new Throttle.Reading(0, 900, 0, 0, null), 200, settings, t).orElseThrow();
            assertTrue(s.vacuumCures());
            assertEquals(BackfillPaused.Cause.DEAD_TUPLES, s.cause());
            assertTrue(s.reason().startsWith("dead tuples are 18% of orders (200 dead, 900 live)"), s.reason());
            BackfillSettings waitOnly = BackfillSettings.from(settings).vacuum(false).build();
            assertFalse(Throttle.assess(new Throttle.Reading(200, 900, 0, 0, null), 0, waitOnly, t).orElseThrow()
                    .vacuumCures());
        }

        @Test
        void anotherVacuumComesFirstAndReplicationLagLast() {
            Throttle.Reading all = new Throttle.Reading(500, 500, 1, 1L << 30, "replica@10.0.0.2");
            assertEquals("a vacuum is running on orders", Throttle.assess(all, 0, settings, t).orElseThrow().reason());
            assertEquals(BackfillPaused.Cause.VACUUM_RUNNING, Throttle.assess(all, 0, settings, t).orElseThrow().cause());
            Throttle.Reading lagging = new Throttle.Reading(0, 500, 0, 100L << 20, "replica@10.0.0.2");
            assertEquals("standby replica@10.0.0.2 is 100 MB of WAL behind, above the 64 MB limit",
                    Throttle.assess(lagging, 0, settings, t).orElseThrow().reason());
            assertEquals(BackfillPaused.Cause.REPLICATION_LAG, Throttle.assess(lagging, 0, settings, t).orElseThrow().cause());
            BackfillSettings noLagCheck = BackfillSettings.from(settings).maxReplicationLagBytes(0).build();
            assertTrue(Throttle.assess(lagging, 0, noLagCheck, t).isEmpty());
        }
    }
}
