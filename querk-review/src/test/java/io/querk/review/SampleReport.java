package io.querk.review;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A report as a review of a slow query on shipments would produce it, built by hand for the renderers' tests. */
final class SampleReport {

    private SampleReport() {
    }

    static IndexProposal proposal() {
        WriteImpact impact = new WriteImpact("shipments", 120_000, 40_000, 36_000, 500, Duration.ofHours(2),
                List.of("shipments_pkey"), 22L << 20, 31L << 20, true, Duration.ofMillis(2_400),
                List.of("customer_id", "created_at"), List.of(), false, List.of());
        ProposedIndex ix = new ProposedIndex("shipments_customer_id_created_at_idx", "shipments", "btree",
                List.of(new IndexKey("customer_id", null, false, null), new IndexKey("created_at", null, false, null)),
                List.of(), Optional.empty(), Optional.empty(),
                "CREATE INDEX CONCURRENTLY shipments_customer_id_created_at_idx ON shipments (customer_id, created_at)", impact);
        Verification v = new Verification("SELECT id FROM shipments WHERE customer_id = '4711'::bigint ORDER BY created_at DESC"
                + " LIMIT 20", true, "Index Scan Backward using shipments_customer_id_created_at_idx on shipments", 8.52,
                List.of("shipments_customer_id_created_at_idx"), List.of("SELECT EXISTS (SELECT 1 FROM pg_index WHERE true)"));
        return new IndexProposal(1, List.of(ix), 21_784, 8.52, CostBasis.PROVEN,
                "Index Scan Backward using shipments_customer_id_created_at_idx on shipments",
                "Limit  (cost=0.42..8.52 rows=20)\n  ->  Index Scan Backward using shipments_customer_id_created_at_idx on shipments",
                "equality on customer_id, then the sort created_at DESC", List.of(FindingKind.SEQ_SCAN_SELECTIVE_FILTER,
                FindingKind.SORT_FEEDS_LIMIT), v, "2026-11-24.shipments-customer-id-created-at-idx");
    }

    static QueryReviewReport report() {
        PlanSummary plan = new PlanSummary("Limit", 21_000, 21_784, 20, "Limit  (cost=21000.00..21784.00 rows=20)\n"
                + "  ->  Sort\n        ->  Seq Scan on shipments | pipes", "[{\"Plan\": {}}]");
        Finding f = new Finding(FindingKind.SEQ_SCAN_SELECTIVE_FILTER, "shipments", "Seq Scan on shipments reads all ~1,000,000"
                + " rows to keep ~120 (0.012%) matching (shipments.customer_id = '4711'::bigint).", 0.97);
        Rewrite w = new Rewrite(RewriteKind.KEYSET_PAGINATION, "SELECT id FROM shipments WHERE customer_id = $1 AND"
                + " (created_at, id) < ($2, $3) ORDER BY created_at DESC, id DESC LIMIT 20", "OFFSET reads and throws away rows.",
                21_784, 9_000, Optional.empty(), List.of("$2: created_at of the previous page's last row"));
        return new QueryReviewReport("SELECT id FROM shipments WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20",
                "15.20", CostBasis.PROVEN, Optional.of("1.3.1"), false,
                List.of(new ReviewedParameter(1, "bigint", "4711", ParameterSource.SAMPLED, "shipments.customer_id")), plan,
                Optional.empty(), List.of(f), List.of(proposal()), List.of(w), List.of("Parameters were sampled."),
                Duration.ofMillis(142), Instant.parse("2026-11-24T10:00:00Z"));
    }
}
