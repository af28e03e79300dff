package io.querk.review;

import io.querk.review.internal.plan.JsonReader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three renderings of one report: text for a person, JSON for tools, Markdown for a pull request. */
class ReportRenderingTest {

    private final QueryReviewReport report = SampleReport.report();

    @Test
    void textHasEverySectionInOrder() {
        String t = report.toText();
        int header = t.indexOf("Query review on PostgreSQL 15.20, costs proven with HypoPG 1.3.1, in 142 ms");
        int params = t.indexOf("$1 = '4711' (bigint, sampled from shipments.customer_id)");
        int plan = t.indexOf("Plan now: cost 21,784");
        int findings = t.indexOf("1. sequential scan under a selective filter: Seq Scan on shipments");
        int proposal = t.indexOf("#1 shipments_customer_id_created_at_idx: cost 21,784 -> 8.52 (2,557x cheaper, proven with HypoPG)");
        int impact = t.indexOf("shipments takes 22 rows written/s (120,000 inserted, 40,000 updated, 90% of them HOT");
        int verify = t.indexOf("EXPLAIN (ANALYZE, BUFFERS) SELECT id FROM shipments WHERE customer_id = '4711'::bigint");
        int ship = t.indexOf("ship it: proposal.toMigration(\"2026-11-24.shipments-customer-id-created-at-idx\")");
        int rewrite = t.indexOf("1. keyset pagination instead of OFFSET: cost 21,784 -> 9,000");
        int notes = t.indexOf("- Parameters were sampled.");
        List<Integer> order = List.of(header, params, plan, findings, proposal, impact, verify, ship, rewrite, notes);
        assertTrue(order.stream().allMatch(i -> i >= 0), order + "\n" + t);
        assertEquals(order.stream().sorted().toList(), order, t);
        assertTrue(t.contains("HOT updates: customer_id, created_at are not indexed yet"), t);
    }

    @Test
    void jsonIsVersionedAndCarriesEveryPart() {
        Map<?, ?> j = (Map<?, ?>) JsonReader.parse(report.toJson());
        assertEquals(QueryReviewReport.JSON_FORMAT, j.get("format"));
        assertEquals("PROVEN", j.get("basis"));
        assertEquals(142.0, j.get("reviewMs"));
        Map<?, ?> p = (Map<?, ?>) ((List<?>) j.get("proposals")).get(0);
        assertEquals(8.52, p.get("costAfter"));
        Map<?, ?> ix = (Map<?, ?>) ((List<?>) p.get("indexes")).get(0);
        assertEquals("shipments_customer_id_created_at_idx", ix.get("name"));
        Map<?, ?> impact = (Map<?, ?>) ix.get("writeImpact");
        assertEquals(List.of("customer_id", "created_at"), impact.get("newlyIndexedColumns"));
        assertEquals(Boolean.TRUE, impact.get("sizeFromHypoPg"));
        Map<?, ?> v = (Map<?, ?>) p.get("verification");
        assertTrue(((String) v.get("command")).startsWith("EXPLAIN (ANALYZE, BUFFERS) SELECT"));
        assertTrue(((String) p.get("migrationSource")).contains(".createIndex(\"shipments_customer_id_created_at_idx\""));
        Map<?, ?> w = (Map<?, ?>) ((List<?>) j.get("rewrites")).get(0);
        assertEquals("KEYSET_PAGINATION", w.get("kind"));
        assertEquals(null, w.get("index"));
        assertEquals(null, j.get("execution"));
    }

    @Test
    void markdownLeadsWithTheVerdictAndKeepsCodeInFences() {
        String md = report.toMarkdown();
        assertTrue(md.startsWith("### Query review\n\n**2,557x cheaper** with `shipments_customer_id_created_at_idx` (cost 21,784"
                + " → 8.52, proven with HypoPG). PostgreSQL 15.20, reviewed in 142 ms."), md);
        assertTrue(md.contains("| 1 | `shipments_customer_id_created_at_idx (customer_id, created_at)` | 21,784 → 8.52 | 2,557x"
                + " | HypoPG |"), md);
        assertTrue(md.contains("```java\nMigration.define(\"2026-11-24.shipments-customer-id-created-at-idx\")"), md);
        assertTrue(md.contains("```sql\nEXPLAIN (ANALYZE, BUFFERS) SELECT"), md);
        assertTrue(md.contains("<details><summary>Plan now (cost 21,784)</summary>"), md);
        assertEquals(0, md.split("```", -1).length % 2 == 1 ? 0 : 1, "fences pair up");
        assertTrue(md.contains("keep ~120 (0.012%) matching (shipments.customer\\_id"), "prose is escaped: " + md);
    }
}
