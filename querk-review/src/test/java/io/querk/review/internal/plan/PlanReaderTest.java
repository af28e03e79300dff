package io.querk.review.internal.plan;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanReaderTest {

    static final String LIMIT_SORT_SEQ = """
            [
              {
                "Plan": {
                  "Node Type": "Limit", "Parallel Aware": false, "Startup Cost": 4962.73, "Total Cost": 4962.96,
                  "Plan Rows": 2, "Plan Width": 16, "Output": ["id", "created_at"],
                  "Plans": [
                    { "Node Type": "Gather Merge", "Parent Relationship": "Outer", "Startup Cost": 4962.73,
                      "Total Cost": 4962.96, "Plan Rows": 2, "Plan Width": 16, "Output": ["id", "created_at"],
                      "Workers Planned": 1,
                      "Plans": [
                        { "Node Type": "Sort", "Parent Relationship": "Outer", "Startup Cost": 3962.72,
                          "Total Cost": 3962.72, "Plan Rows": 2, "Plan Width": 16, "Output": ["id", "created_at"],
                          "Sort Key": ["shipments.created_at DESC"],
                          "Plans": [
                            { "Node Type": "Seq Scan", "Parent Relationship": "Outer", "Parallel Aware": true,
                              "Relation Name": "shipments", "Schema": "public", "Alias": "shipments",
                              "Startup Cost": 0.00, "Total Cost": 3962.71, "Plan Rows": 2, "Plan Width": 16,
                              "Output": ["id", "created_at"],
                              "Filter": "((shipments.customer_id = 42) AND (shipments.status = 'lost'::text))" }
                          ] }
                      ] }
                  ]
                },
                "Planning Time": 0.25,
                "Execution Time": 12.5
              }
            ]""";

    @Test
    void readsTheTreeConditionsAndTimings() {
        PlanReader.Explained ex = PlanReader.read(LIMIT_SORT_SEQ);
        PlanNode root = ex.root();
        assertEquals("Limit", root.nodeType());
        assertEquals(4962.96, root.totalCost());
        assertEquals(0.25, ex.planningMs());
        assertEquals(12.5, ex.executionMs());
        List<PlanNode> all = root.stream().toList();
        assertEquals(4, all.size());
        PlanNode scan = all.get(3);
        assertTrue(scan.isSeqScan() && scan.scansTable());
        assertEquals("public.shipments", scan.qualifiedRelation());
        assertEquals("((shipments.customer_id = 42) AND (shipments.status = 'lost'::text))", scan.condition("Filter").orElseThrow());
        assertEquals(List.of("shipments.created_at DESC"), all.get(2).sortKey());
        assertEquals(1, all.get(1).workersPlanned());
        assertEquals(4, root.pathTo(scan).size());
        assertNull(root.actual());
    }

    @Test
    void jsonEscapesNumbersAndErrors() {
        Object v = JsonReader.parse("{\"a\": \"x\\\"y\\u00e9\", \"b\": [1, -2.5e1, true, null], \"c\": {}}");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals("x\"y\u00e9", m.get("a"));
        assertEquals(List.of(1.0, -25.0, true), ((List<?>) m.get("b")).subList(0, 3));
        assertNull(((List<?>) m.get("b")).get(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\": }"));
        assertTrue(e.getMessage().contains("offset 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PlanReader.read("[{\"x\": 1}]"));
    }
}
