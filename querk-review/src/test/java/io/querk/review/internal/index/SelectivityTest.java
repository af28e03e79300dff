package io.querk.review.internal.index;

import io.querk.review.internal.Fixtures;
import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.plan.ExprParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SelectivityTest {

    private static double sel(String cond) {
        return Selectivity.of(Pred.of(ExprParser.parse(cond), "s"), Fixtures.shipments());
    }

    @Test
    void commonValuesTheirFrequencyOthersTheirShareOfTheRest() {
        assertEquals(0.17, sel("(s.status = 'lost'::text)"), 1e-9);
        assertEquals(0.34, sel("(s.status = ANY ('{lost,booked}'::text[]))"), 1e-9);
        assertEquals(1.0 / 10_000, sel("(s.customer_id = '42'::bigint)"), 1e-9);
    }

    @Test
    void rangesFromTheHistogram() {
        assertEquals(0.5, sel("(s.weight_g < 15000)"), 1e-9);
        assertEquals(0.1, sel("(s.weight_g >= 27000)"), 1e-9);
        assertEquals(0.5, sel("(s.created_at > '2024-07-01 00:00:00+00'::timestamp with time zone)"), 1e-9);
        assertEquals(Selectivity.DEFAULT_RANGE, sel("(s.carrier_id > 3)"), 1e-9);
    }

    @Test
    void arraysAreReadLikeThePlannerWritesThem() {
        assertEquals(java.util.Arrays.asList("a", "b c", null), ArrayText.parse("{a,\"b c\",NULL}"));
        assertEquals(List.of("x\"y"), ArrayText.parse("{\"x\\\"y\"}"));
        assertEquals(null, ArrayText.parse("{{1,2},{3,4}}"));
    }

    @Test
    void everyValueCommonAndUnseenIsRare() {
        TableInfo.ColumnStats st = new TableInfo.ColumnStats(0, 2, 1, 1, List.of("t", "f"), List.of(0.9, 0.1), List.of());
        assertEquals(0.25, Selectivity.eqValue(st, "x", 100), 1e-9);
    }
}
