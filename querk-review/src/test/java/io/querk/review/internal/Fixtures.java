package io.querk.review.internal;

import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.plan.PlanNode;
import io.querk.review.internal.plan.PlanReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans captured from PostgreSQL 15 ({@code EXPLAIN (FORMAT JSON, VERBOSE)} on a 200,000-row
 * shipments table and 10,000 customers) and catalog facts to go with them, for the pure tests.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** @return the plan in {@code plans/<name>.json} */
    public static PlanNode plan(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/io/querk/review/plans/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("No plan fixture " + name);
            }
            return PlanReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8)).root();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds a {@link TableInfo}. */
    public static final class Table {
        private final String name;
        private double rows = 200_000;
        private long pages = 2_200;
        private long allVisible = 2_200;
        private final Map<String, TableInfo.ColumnInfo> columns = new LinkedHashMap<>();
        private final List<TableInfo.ExistingIndex> indexes = new ArrayList<>();
        private final List<TableInfo.ForeignKey> fks = new ArrayList<>();

        public Table(String name) {
            this.name = name;
        }

        public Table rows(double rows, long pages) {
            this.rows = rows;
            this.pages = pages;
            this.allVisible = pages;
            return this;
        }

        /** A column with statistics: n distinct (negative: fraction), most common values with frequencies, a histogram. */
        public Table column(String col, String type, boolean notNull, double nDistinct, List<String> mcv, List<Double> mcf,
                            List<String> histogram) {
            columns.put(col, new TableInfo.ColumnInfo(col, type, notNull, type.equals("text") ? "C.UTF-8" : null,
                    new TableInfo.ColumnStats(0, nDistinct, 8, 0.1, mcv, mcf, histogram)));
            return this;
        }

        public Table column(String col, String type) {
            return column(col, type, false, -1, List.of(), List.of(), List.of());
        }

        public Table index(String indexName, boolean unique, String... keys) {
            List<TableInfo.Key> ks = new ArrayList<>();
            for (String k : keys) {
                ks.add(new TableInfo.Key(k, null, false));
            }
            indexes.add(new TableInfo.ExistingIndex(indexName, "btree", ks, List.of(), null, unique, true, 8192 * 100,
                    "CREATE INDEX " + indexName));
            return this;
        }

        public Table foreignKey(String fk, String col, String referenced) {
            fks.add(new TableInfo.ForeignKey(fk, List.of(col), referenced, List.of("id")));
            return this;
        }

        public TableInfo build() {
            return new TableInfo("public", name, rows, pages, allVisible, pages * 8192, columns, indexes, fks,
                    new TableInfo.WriteStats(1_000, 500, 450, 10, 3_600));
        }
    }

    /** shipments as in the fixtures: 200,000 rows, a primary key, the columns the plans use. */
    public static TableInfo shipments() {
        return new Table("shipments")
                .column("id", "bigint", true, -1, List.of(), List.of(), range(1, 200_000))
                .column("customer_id", "bigint", false, 10_000, List.of(), List.of(), range(1, 10_000))
                .column("status", "text", false, 5, List.of("delivered", "booked", "in transit", "lost", "returned"),
                        List.of(0.5, 0.17, 0.16, 0.17, 0.0001), List.of())
                .column("created_at", "timestamp with time zone", true, -1, List.of(), List.of(),
                        List.of("2024-01-01 00:00:00+00", "2024-04-01 00:00:00+00", "2024-07-01 00:00:00+00",
                                "2024-10-01 00:00:00+00", "2025-01-01 00:00:00+00"))
                .column("dest_city", "text", false, 500, List.of(), List.of(), List.of("city1", "city3", "city5", "city7"))
                .column("weight_g", "integer", false, 30_000, List.of(), List.of(), range(0, 30_000))
                .column("tracking_no", "text", false, -1, List.of(), List.of(), List.of("TR1", "TR5", "TR9"))
                .column("carrier_id", "integer")
                .column("delivered", "boolean", false, 2, List.of("t", "f"), List.of(0.9, 0.1), List.of())
                .index("shipments_pkey", true, "id")
                .foreignKey("shipments_customer_id_fkey", "customer_id", "customers")
                .build();
    }

    /** customers: 10,000 rows. */
    public static TableInfo customers() {
        return new Table("customers").rows(10_000, 110)
                .column("id", "bigint", true, -1, List.of(), List.of(), range(1, 10_000))
                .column("name", "text")
                .column("email", "text", false, -1, List.of(), List.of(), List.of("a", "m", "z"))
                .column("country", "text", false, 4, List.of("DE", "FR", "UK", "US"), List.of(0.25, 0.25, 0.25, 0.25), List.of())
                .index("customers_pkey", true, "id")
                .build();
    }

    /** @return eleven histogram bounds from lo to hi */
    public static List<String> range(long lo, long hi) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            out.add(Long.toString(lo + (hi - lo) * i / 10));
        }
        return out;
    }
}
