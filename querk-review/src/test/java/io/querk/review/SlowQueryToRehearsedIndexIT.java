package io.querk.review;

import io.querk.migration.Migration;
import io.querk.testkit.Rehearsal;
import io.querk.testkit.RehearsalReport;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Locale;

import static io.querk.testkit.RehearsalAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16's "done when", end to end on the PostgreSQL 15 service with HypoPG: a slow query on a
 * 1 M-row table is reviewed; the review returns an index whose hypothetical cost beats the
 * current plan, its write-path impact, a verification command and a Migration; the migration,
 * run by Querk under traffic in a testkit rehearsal, blocks nothing longer than 100 ms; and then
 * the verification shows the new plan. The review's time is printed, not asserted (timing
 * belongs to the benchmark).
 */
class SlowQueryToRehearsedIndexIT {

    static final int ROWS = 1_000_000;
    static final String SLOW = "SELECT id, status, created_at FROM shipments WHERE customer_id = $1"
            + " ORDER BY created_at DESC LIMIT 20";

    @Test
    void aSlowQueryBecomesAProvenIndexShippedAsARehearsedMigration() throws Exception {
        try (HypoPgService db = HypoPgService.create("done_when")) {
            DataSource ds = db.dataSource();
            long t0 = System.nanoTime();
            Schemas.logistics(ds, ROWS);
            System.out.printf(Locale.ROOT, "[review] built %,d shipments in %.1f s%n", ROWS, (System.nanoTime() - t0) / 1e9);

            // A first review warms the JVM, as in a running service or CLI session; the second is timed.
            QueryReview.of("SELECT id FROM shipments WHERE tracking_no = 'TRK00000042'").on(ds).run();
            long r0 = System.nanoTime();
            QueryReviewReport report = QueryReview.of(SLOW).parameters(4711L).on(ds).run();
            double ms = (System.nanoTime() - r0) / 1e6;
            System.out.printf(Locale.ROOT, "[review] reviewed in %.0f ms (the report says %d ms)%n%s%n", ms,
                    report.reviewTime().toMillis(), report.toText());

            // An index whose hypothetical cost beats the current plan.
            IndexProposal best = report.bestProposal().orElseThrow(() -> new AssertionError(report.toText()));
            assertEquals(CostBasis.PROVEN, best.basis());
            assertTrue(best.costAfter() < best.costBefore() / 100, best.toString());
            assertEquals("customer_id", best.index().keys().get(0).column(), report.toText());
            assertTrue(report.findings().stream().anyMatch(f -> f.kind() == FindingKind.SEQ_SCAN_SELECTIVE_FILTER
                    || f.kind() == FindingKind.SORT_FEEDS_LIMIT), report.toText());

            // Its write-path impact.
            WriteImpact impact = best.index().writeImpact();
            assertEquals("shipments", impact.table());
            assertTrue(impact.existingIndexes().contains("shipments_pkey"), impact.toString());
            assertTrue(impact.inserts() >= 0 && impact.window().toSeconds() >= 0);
            assertTrue(impact.estimatedSizeBytes() > ROWS * 8L, "about " + impact.estimatedSizeBytes() + " bytes");
            assertTrue(impact.estimatedBuildTime().toMillis() > 0);
            assertTrue(impact.newlyIndexedColumns().contains("customer_id"), impact.toString());
            assertEquals(4, impact.describe().size());

            // A verification command.
            Verification v = best.verification();
            assertTrue(v.command().startsWith("EXPLAIN (ANALYZE, BUFFERS) SELECT id, status, created_at FROM shipments"
                    + " WHERE customer_id = '4711'::bigint"), v.command());
            assertTrue(v.expectedPlan().contains(best.index().name()), v.expectedPlan());
            assertEquals(1, v.catalogChecks().size());
            VerificationResult before = v.check(ds);
            assertFalse(before.indexesValid() || before.planUsesIndexes(), "nothing built yet: " + before);

            // The Migration, rehearsed under traffic: nothing blocked longer than 100 ms.
            Migration m = best.toMigration("2026-11-24.shipments-customer-recent");
            RehearsalReport rehearsal = Rehearsal.of(m).on(ds)
                    .traffic(t -> t.reads("shipments").writes("shipments").threads(2))
                    .engine(e -> e.lockTimeout(Duration.ofMillis(50)))
                    .run();
            System.out.println(rehearsal.toText());
            assertThat(rehearsal)
                    .succeeded()
                    .noStepBlocksReadsOf("shipments").longerThan(Duration.ofMillis(100))
                    .noStepBlocksWritesOf("shipments").longerThan(Duration.ofMillis(100))
                    .traffic().hasNoErrors();

            // After which the verification command shows the new plan.
            VerificationResult after = v.check(ds);
            System.out.println("[review] after the migration:\n" + after.plan());
            assertTrue(after.passed(), after.plan());
            assertTrue(after.plan().contains(best.index().name()), after.plan());
            assertTrue(after.cost() < report.plan().totalCost() / 100, after.cost() + " vs " + report.plan().totalCost());
        }
    }
}
