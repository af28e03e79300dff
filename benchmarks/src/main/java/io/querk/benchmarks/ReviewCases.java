package io.querk.benchmarks;

import io.querk.review.RewriteKind;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The query-review benchmark's logistics schema and its slow queries, each with the index or
 * rewrite a careful engineer would choose, written down here before the reviewer was run on
 * them (see this file's history). Indexes are written as HypoPG takes them:
 * {@code CREATE INDEX ON table (...)}.
 */
final class ReviewCases {

    private ReviewCases() {
    }

    /**
     * What a careful engineer would do.
     *
     * @param indexes the index or indexes to create, as {@code CREATE INDEX ON ...} statements (none for a
     *                rewrite alone)
     * @param rewrite the rewrite, or null for an index alone
     */
    record Expected(List<String> indexes, RewriteKind rewrite) {
        static Expected index(String... ddl) {
            return new Expected(List.of(ddl), null);
        }

        static Expected rewrite(RewriteKind kind, String... ddl) {
            return new Expected(List.of(ddl), kind);
        }

        String describe() {
            String ix = String.join(" + ", indexes.stream().map(d -> d.replace("CREATE INDEX ON ", "")).toList());
            return rewrite == null ? ix : rewrite.label() + (ix.isEmpty() ? "" : ", then " + ix);
        }
    }

    /**
     * One slow query.
     *
     * @param id       a short id
     * @param sql      the query
     * @param params   values of $1.. (none for literal queries)
     * @param expected the careful engineer's choice
     * @param why      why that choice
     */
    record Case(String id, String sql, List<Object> params, Expected expected, String why) {
    }

    static Case q(String id, String sql, Expected expected, String why) {
        return new Case(id, sql, List.of(), expected, why);
    }

    /** The queries, with the choice a careful engineer would make for each. */
    static final List<Case> CASES = List.of(
            q("Q01", "SELECT id, status, created_at FROM shipments WHERE customer_id = 4711 ORDER BY created_at DESC LIMIT 20",
                    Expected.index("CREATE INDEX ON shipments (customer_id, created_at)"),
                    "equality, then the sort: the newest 20 come straight off the index"),
            q("Q02", "SELECT * FROM shipments WHERE tracking_no = 'TRK00012345'",
                    Expected.index("CREATE INDEX ON shipments (tracking_no)"), "a lookup by a near-unique key"),
            q("Q03", "SELECT id, customer_id, created_at FROM shipments WHERE status = 'lost' ORDER BY created_at DESC LIMIT 50",
                    Expected.index("CREATE INDEX ON shipments (status, created_at)"), "a rare status, newest first"),
            q("Q04", "SELECT id FROM shipments WHERE delivered_at IS NULL AND created_at < now() - interval '30 days'",
                    Expected.index("CREATE INDEX ON shipments (created_at) WHERE delivered_at IS NULL"),
                    "the undelivered are a small, always-asked-for subset"),
            q("Q05", "SELECT s.id, s.status FROM shipments s JOIN customers c ON c.id = s.customer_id"
                            + " WHERE c.email = 'customer4711@example.com'",
                    Expected.index("CREATE INDEX ON shipments (customer_id)"),
                    "the customer is found by its unique email; its shipments need the foreign key indexed"),
            q("Q06", "SELECT event_type, occurred_at FROM tracking_events WHERE shipment_id = 123456 ORDER BY occurred_at",
                    Expected.index("CREATE INDEX ON tracking_events (shipment_id, occurred_at)"),
                    "a shipment's events, in order"),
            q("Q07", "SELECT count(*) FROM shipments WHERE carrier_id = 7 AND created_at >= '2025-06-01'"
                            + " AND created_at < '2025-06-02'",
                    Expected.index("CREATE INDEX ON shipments (carrier_id, created_at)"), "equality, then the range"),
            q("Q08", "SELECT id FROM shipments WHERE notes LIKE '%ACME-77%'",
                    Expected.index("CREATE INDEX ON shipments USING gin (notes gin_trgm_ops)"),
                    "a substring search: trigrams"),
            q("Q09", "SELECT id FROM customers WHERE lower(email) = 'customer99@example.com'",
                    Expected.index("CREATE INDEX ON customers (lower(email))"),
                    "the index on email cannot serve lower(email): index the expression"),
            q("Q10", "SELECT count(*) FROM shipments WHERE date(created_at) = '2025-03-15'",
                    Expected.rewrite(RewriteKind.SARGABLE_PREDICATE, "CREATE INDEX ON shipments (created_at)"),
                    "date(timestamptz) cannot be indexed (not immutable): a range on created_at can"),
            q("Q11", "SELECT id, dest_city FROM shipments ORDER BY created_at DESC OFFSET 10000 LIMIT 50",
                    Expected.rewrite(RewriteKind.KEYSET_PAGINATION, "CREATE INDEX ON shipments (created_at, id)"),
                    "deep OFFSET: keyset pagination on a unique order"),
            q("Q12", "SELECT id FROM shipments WHERE tracking_no = 'TRK00077777' OR reference = 'REF-0042424'",
                    Expected.index("CREATE INDEX ON shipments (tracking_no)"),
                    "reference is indexed already; with tracking_no indexed too the OR becomes a BitmapOr"),
            q("Q13", "SELECT c.id FROM customers c WHERE c.id NOT IN (SELECT customer_id FROM invoices WHERE paid_at IS NULL)",
                    Expected.rewrite(RewriteKind.NOT_EXISTS_FOR_NOT_IN),
                    "NOT IN as NOT EXISTS: an anti-join (invoices.customer_id is NOT NULL and indexed)"),
            q("Q14", "SELECT id FROM shipments WHERE weight_g = 1500.0",
                    Expected.rewrite(RewriteKind.SARGABLE_PREDICATE, "CREATE INDEX ON shipments (weight_g)"),
                    "compare with an integer (the numeric literal casts the column); then index weight_g"),
            q("Q15", "SELECT e.event_type, e.occurred_at FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id"
                            + " WHERE s.tracking_no = 'TRK00031337'",
                    Expected.index("CREATE INDEX ON shipments (tracking_no)", "CREATE INDEX ON tracking_events (shipment_id)"),
                    "find the shipment by tracking number, then its events by the foreign key"),
            q("Q16", "SELECT sum(amount) FROM invoices WHERE issued_at >= '2025-01-01' AND issued_at < '2025-02-01'",
                    Expected.index("CREATE INDEX ON invoices (issued_at)"), "a month of invoices"),
            q("Q17", "SELECT count(*) FROM shipments WHERE dest_country = 'NO' AND status = 'in_transit'",
                    Expected.index("CREATE INDEX ON shipments (dest_country, status)"), "two equalities"),
            q("Q18", "SELECT id FROM shipments WHERE carrier_id = 12 AND status = 'booked' ORDER BY created_at LIMIT 100",
                    Expected.index("CREATE INDEX ON shipments (carrier_id, status, created_at)"),
                    "two equalities, then the sort"),
            q("Q19", "SELECT id, name FROM customers WHERE country = 'IS' ORDER BY created_at DESC LIMIT 10",
                    Expected.index("CREATE INDEX ON customers (country, created_at)"), "equality, then the sort"),
            q("Q20", "SELECT id FROM shipments WHERE weight_g > 29900 ORDER BY weight_g DESC LIMIT 10",
                    Expected.index("CREATE INDEX ON shipments (weight_g)"), "range and sort on one column"),
            q("Q21", "SELECT id, created_at FROM shipments WHERE priority = 9 AND delivered_at IS NULL"
                            + " ORDER BY created_at LIMIT 20",
                    Expected.index("CREATE INDEX ON shipments (priority, created_at) WHERE delivered_at IS NULL"),
                    "open urgent shipments, oldest first, from a small partial index"),
            q("Q22", "SELECT count(*) FROM tracking_events WHERE event_type = 'exception' AND occurred_at > '2025-10-01'",
                    Expected.index("CREATE INDEX ON tracking_events (event_type, occurred_at)"), "equality, then the range"),
            q("Q23", "SELECT s.id FROM shipments s JOIN carriers c ON c.id = s.carrier_id WHERE c.code = 'DHL'"
                            + " AND s.created_at > '2025-12-01'",
                    Expected.index("CREATE INDEX ON shipments (carrier_id, created_at)"),
                    "one carrier's recent shipments: its id found first, then the range"),
            q("Q24", "SELECT id FROM shipments WHERE upper(reference) = 'REF-0012345'",
                    Expected.index("CREATE INDEX ON shipments (upper(reference))"),
                    "the index on reference cannot serve upper(reference): index the expression"),
            q("Q25", "SELECT count(*) FROM invoices WHERE extract(year FROM issued_at) = 2024",
                    Expected.rewrite(RewriteKind.SARGABLE_PREDICATE, "CREATE INDEX ON invoices (issued_at)"),
                    "a year as a range on issued_at, which an index serves"),
            q("Q26", "UPDATE shipments SET status = 'delivered', delivered_at = now() WHERE tracking_no = 'TRK00055555'",
                    Expected.index("CREATE INDEX ON shipments (tracking_no)"), "an UPDATE that finds its row by tracking number"),
            q("Q27", "DELETE FROM tracking_events WHERE occurred_at < '2024-01-15'",
                    Expected.index("CREATE INDEX ON tracking_events (occurred_at)"), "purging the oldest events"),
            q("Q28", "SELECT id FROM customers WHERE name ILIKE '%novak ola%'",
                    Expected.index("CREATE INDEX ON customers USING gin (name gin_trgm_ops)"),
                    "a case-insensitive substring search: trigrams"),
            new Case("Q29", "SELECT id, status FROM shipments WHERE customer_id = $1 AND created_at > $2 ORDER BY created_at",
                    List.of(4711, "2025-01-01"), Expected.index("CREATE INDEX ON shipments (customer_id, created_at)"),
                    "a prepared statement: equality, then the range, which is also the sort"),
            q("Q30", "SELECT id FROM shipments WHERE dest_city IN ('Oslo', 'Bergen', 'Tromsø') AND status = 'in_transit'",
                    Expected.index("CREATE INDEX ON shipments (dest_city, status)"), "an IN list and an equality"),
            q("Q31", "SELECT carrier_id, count(*) FROM shipments WHERE created_at >= '2025-12-01' GROUP BY carrier_id",
                    Expected.index("CREATE INDEX ON shipments (created_at)"), "the last month's shipments, grouped"),
            q("Q32", "SELECT id FROM shipments WHERE tracking_no LIKE 'TRK000123%'",
                    Expected.index("CREATE INDEX ON shipments (tracking_no text_pattern_ops)"),
                    "a prefix search; the database's collation is not C, so pattern operators"));

    /**
     * Creates and fills the schema: {@code shipments} with {@code rows} rows, customers a tenth,
     * invoices half, tracking events twice as many; primary keys, a unique email, an index on
     * shipments.reference and on invoices.customer_id; foreign keys without indexes (as they
     * often are); analyzed and vacuumed.
     */
    static void load(DataSource ds, int rows) throws SQLException {
        int customers = Math.max(100, rows / 10);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS hypopg");
            s.execute("CREATE TABLE carriers (id int PRIMARY KEY, code text NOT NULL UNIQUE, name text NOT NULL,"
                    + " active boolean NOT NULL)");
            s.execute("INSERT INTO carriers SELECT g, (ARRAY['DHL','UPS','FEDEX','DPD','GLS','POSTNORD','BRING','TNT'])"
                    + "[1 + g % 8] || CASE WHEN g > 8 THEN '-' || g ELSE '' END, 'Carrier ' || g, g % 10 <> 0"
                    + " FROM generate_series(1, 60) g");
            s.execute("CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL,"
                    + " country text NOT NULL, segment text NOT NULL, created_at timestamptz NOT NULL, deleted_at timestamptz)");
            s.execute("SELECT setseed(0.42)");
            s.execute("INSERT INTO customers SELECT g,"
                    + " (ARRAY['Smith','Jones','Berg','Hansen','Olsen','Larsen','Novak','Rossi','Dubois','Meyer'])[1 + (g * 7) % 10]"
                    + " || ' ' || (ARRAY['Anna','Ola','Kari','Per','Eva','Lars','Mia','Jon'])[1 + g % 8] || ' ' || g,"
                    + " 'customer' || g || '@example.com',"
                    + " (ARRAY['NO','SE','DK','DE','FR','NL','PL','IT','ES','UK','US','IS','FI','EE','LT','LV','AT','CH','BE','PT'])"
                    + "[1 + floor(power(random(), 2) * 20)::int],"
                    + " CASE WHEN g % 50 = 0 THEN 'enterprise' WHEN g % 10 = 0 THEN 'business' ELSE 'consumer' END,"
                    + " timestamptz '2021-01-01' + g * interval '15 minutes', CASE WHEN g % 40 = 0 THEN timestamptz '2025-01-01' END"
                    + " FROM generate_series(1, " + customers + ") g");
            s.execute("CREATE UNIQUE INDEX customers_email_key ON customers (email)");
            s.execute("CREATE TABLE shipments (id bigint PRIMARY KEY, customer_id bigint NOT NULL, carrier_id int NOT NULL,"
                    + " origin_warehouse int NOT NULL, status text NOT NULL, priority smallint NOT NULL,"
                    + " created_at timestamptz NOT NULL, delivered_at timestamptz, dest_city text NOT NULL,"
                    + " dest_country text NOT NULL, weight_g int NOT NULL, tracking_no text NOT NULL, reference text NOT NULL,"
                    + " notes text)");
            s.execute("INSERT INTO shipments SELECT g, 1 + (g::bigint * 7919) % " + customers + ", 1 + (g * 31) % 60, 1 + g % 200,"
                    + " st, CASE WHEN r2 < 0.01 THEN 9 ELSE floor(r2 * 9)::int END, ts,"
                    + " CASE WHEN st IN ('delivered', 'returned') THEN ts + interval '3 days' END,"
                    + " CASE WHEN g % 1000 < 6 THEN (ARRAY['Oslo','Bergen','Tromsø'])[1 + g % 3] ELSE 'City-' || (g * 13) % 2000 END,"
                    + " (ARRAY['DE','FR','NL','PL','SE','NO','DK','IT','ES','UK','US','CA','AT','CH','BE','PT','FI','IE','CZ','HU',"
                    + "        'RO','BG','GR','HR','SI','SK','EE','LV','LT','IS'])[1 + floor(power(r3, 3) * 30)::int],"
                    + " floor(r3 * 30000)::int, 'TRK' || lpad(g::text, 8, '0'), 'REF-' || lpad(((g::bigint * 7) % " + rows
                    + ")::text, 7, '0'),"
                    + " CASE WHEN g % 100 = 0 THEN 'fragile, call ACME-' || (g % 997) || ' before delivery' END"
                    + " FROM (SELECT g, random() r, random() r2, random() r3,"
                    + "   timestamptz '2024-01-01' + (g::float8 / " + rows + ") * interval '730 days' ts,"
                    + "   CASE WHEN random() < 0.80 THEN 'delivered' ELSE (ARRAY['in_transit','in_transit','booked','returned',"
                    + "     'in_transit','booked','returned','exception','in_transit','returned','in_transit','booked','returned',"
                    + "     'in_transit','booked','returned','in_transit','booked','returned','lost'])[1 + floor(random() * 20)::int] END st"
                    + "   FROM generate_series(1, " + rows + ") g) x");
            s.execute("CREATE INDEX shipments_reference_idx ON shipments (reference)");
            s.execute("ALTER TABLE shipments ADD FOREIGN KEY (customer_id) REFERENCES customers,"
                    + " ADD FOREIGN KEY (carrier_id) REFERENCES carriers");
            s.execute("CREATE TABLE tracking_events (id bigint PRIMARY KEY, shipment_id bigint NOT NULL, event_type text NOT NULL,"
                    + " occurred_at timestamptz NOT NULL, location text)");
            s.execute("INSERT INTO tracking_events SELECT g, 1 + (g::bigint * 104729) % " + rows + ","
                    + " CASE WHEN g % 50 = 0 THEN 'exception' ELSE (ARRAY['created','picked_up','in_transit','out_for_delivery',"
                    + " 'delivered'])[1 + g % 5] END, timestamptz '2024-01-01' + (g::float8 / " + (2L * rows) + ") * interval '730 days',"
                    + " 'Hub-' || g % 100 FROM generate_series(1, " + (2L * rows) + ") g");
            s.execute("ALTER TABLE tracking_events ADD FOREIGN KEY (shipment_id) REFERENCES shipments");
            s.execute("CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers,"
                    + " shipment_id bigint NOT NULL, amount numeric(12,2) NOT NULL, issued_at timestamptz NOT NULL,"
                    + " paid_at timestamptz)");
            s.execute("INSERT INTO invoices SELECT g, 1 + (g * 37) % " + customers + ", g * 2, round((random() * 10000)::numeric, 2),"
                    + " timestamptz '2024-01-01' + (g::float8 / " + Math.max(1, rows / 2) + ") * interval '730 days',"
                    + " CASE WHEN g % 20 <> 0 THEN timestamptz '2024-01-01' + (g::float8 / " + Math.max(1, rows / 2)
                    + ") * interval '730 days' + interval '10 days' END FROM generate_series(1, " + Math.max(1, rows / 2) + ") g");
            s.execute("CREATE INDEX invoices_customer_id_idx ON invoices (customer_id)");
            s.execute("VACUUM ANALYZE");
        }
    }
}
