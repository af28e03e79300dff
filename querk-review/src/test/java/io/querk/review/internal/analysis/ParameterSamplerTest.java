package io.querk.review.internal.analysis;

import io.querk.review.internal.Fixtures;
import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.shape.QueryShape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ParameterSamplerTest {

    @Test
    void rangesGetABoundThatKeepsAFewRowsEqualitiesATypicalValue() {
        QueryShape generic = QueryShape.of(Fixtures.plan("keyset"));
        Map<Integer, ParameterSampler.Sample> s = ParameterSampler.sample(generic,
                Map.of("shipments", Fixtures.shipments()), List.of("timestamp with time zone", "bigint"));
        // created_at < $1: near the low end of the histogram; id < $2 likewise.
        assertEquals("2024-01-01 00:00:00+00", s.get(1).value());
        assertEquals("shipments.created_at", s.get(1).column());
        assertEquals("1", s.get(2).value());
    }

    @Test
    void typicalValuesComeFromTheMiddle() {
        TableInfo.ColumnStats hist = Fixtures.shipments().column("customer_id").orElseThrow().stats();
        assertEquals("5000", ParameterSampler.typical(hist));
        TableInfo.ColumnStats mcv = Fixtures.shipments().column("status").orElseThrow().stats();
        assertEquals("booked", ParameterSampler.typical(mcv), "median frequency of the common values");
        assertNull(ParameterSampler.typical(new TableInfo.ColumnStats(0, 0, 0, 0, List.of(), List.of(), List.of())));
    }
}
