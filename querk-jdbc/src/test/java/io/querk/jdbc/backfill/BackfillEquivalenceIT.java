package io.querk.jdbc.backfill;

import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.support.Db;
import io.querk.migration.Migration;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.random.SeededRandomExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static io.querk.jdbc.support.Db.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Property: on random tables (key types, composite keys, a unique NOT NULL key instead of a
 * primary key, NULLs, gaps, predicates, batch sizes), a Querk backfill leaves exactly what one
 * plain UPDATE leaves. The seed is printed on failure.
 */
@ExtendWith({PostgresExtension.class, SeededRandomExtension.class})
class BackfillEquivalenceIT {

    /** A key column type and a generator of distinct values for it. */
    private record KeyType(String sql, Function<SeededRandom, Object> value) {
    }

    private static final List<KeyType> KEY_TYPES = List.of(
            new KeyType("int", r -> r.nextInt(1_000_000) - 500_000),
            new KeyType("bigint", r -> r.nextLong()),
            new KeyType("text", r -> r.string("abcXYZ -_é'\"0123", r.between(0, 12))),
            new KeyType("uuid", r -> new UUID(r.nextLong(), r.nextLong())),
            new KeyType("timestamptz", r -> Timestamp.from(Instant.parse("2020-01-01T00:00:00Z")
                    .plusMillis(r.nextInt(1_000_000_000) * 7L + r.nextInt(1000)))),
            new KeyType("numeric(12,3)", r -> BigDecimal.valueOf(r.nextInt(100_000_000) - 50_000_000L, 3)),
            new KeyType("date", r -> java.sql.Date.valueOf(LocalDate.of(1990, 1, 1).plusDays(r.nextInt(20_000)))));

    private static final List<String[]> ASSIGNMENTS = List.of(
            new String[] {"a", "coalesce(a, 0) + n + 1"},
            new String[] {"b", "upper(coalesce(b, 'x')) || length(coalesce(b, ''))"},
            new String[] {"n", "n + 1"},
            new String[] {"a", "CASE WHEN a IS NULL THEN 7 ELSE a * 2 END"});

    private static final List<String> PREDICATES = List.of("", "a IS NULL", "a % 3 = 1", "b LIKE 'k%'", "n = 0");

    @Test
    void backfillEqualsOneUpdate(TestDatabase db, SeededRandom random) throws SQLException {
        for (int trial = 0; trial < 12; trial++) {
            runTrial(db, random, trial);
        }
    }

    private void runTrial(TestDatabase db, SeededRandom random, int trial) throws SQLException {
        int keyColumns = random.chance(0.4) ? random.between(2, 3) : 1;
        List<KeyType> key = new ArrayList<>();
        for (int i = 0; i < keyColumns; i++) {
            key.add(random.pick(KEY_TYPES));
        }
        boolean primary = random.chance(0.75);
        StringBuilder cols = new StringBuilder();
        List<String> keyNames = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            keyNames.add("k" + i);
            cols.append("k").append(i).append(' ').append(key.get(i).sql()).append(" NOT NULL, ");
        }
        String keyDecl = (primary ? "PRIMARY KEY (" : "UNIQUE (") + String.join(", ", keyNames) + ")";
        String ddl = "(" + cols + "a int, b text, n int NOT NULL DEFAULT 0, " + keyDecl + ")";
        String q = "t" + trial + "_q";
        String u = "t" + trial + "_u";
        exec(db, "CREATE TABLE " + q + " " + ddl, "CREATE TABLE " + u + " " + ddl);

        int rows = random.between(0, 2_500);
        Set<List<Object>> seen = new HashSet<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + q + " VALUES ("
                + "?, ".repeat(key.size()) + "?, ?, ?)")) {
            for (int r = 0; r < rows; r++) {
                List<Object> k = new ArrayList<>();
                for (KeyType t : key) {
                    k.add(t.value().apply(random));
                }
                if (!seen.add(k)) {
                    continue;
                }
                int i = 1;
                for (Object v : k) {
                    ps.setObject(i++, v);
                }
                if (random.chance(0.3)) {
                    ps.setNull(i++, java.sql.Types.INTEGER);
                } else {
                    ps.setInt(i++, random.nextInt(100));
                }
                ps.setString(i++, random.chance(0.3) ? null : random.string("kxyz", random.between(0, 5)));
                ps.setInt(i, random.chance(0.8) ? 0 : random.nextInt(5));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        exec(db, "INSERT INTO " + u + " SELECT * FROM " + q);

        List<String[]> sets = new ArrayList<>();
        Set<String> setColumns = new HashSet<>();
        for (int i = random.between(1, 2); i > 0; i--) {
            String[] a = random.pick(ASSIGNMENTS);
            if (setColumns.add(a[0])) {
                sets.add(a);
            }
        }
        String where = random.pick(PREDICATES);
        int batch = random.between(1, 97);
        int workers = random.between(1, 3);
        Migration m = Migration.define("trial-" + trial).backfill(b -> {
            b.table(q).batchSize(batch).pause(Duration.ZERO).workers(workers);
            sets.forEach(a -> b.set(a[0], a[1]));
            if (!where.isEmpty()) {
                b.where(where);
            }
        }).build();
        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).build()).migrate();

        exec(db, "UPDATE " + u + " SET " + String.join(", ", sets.stream().map(a -> a[0] + " = " + a[1]).toList())
                + (where.isEmpty() ? "" : " WHERE " + where));
        String context = "trial " + trial + ": key " + key.stream().map(KeyType::sql).toList() + (primary ? " pk" : " unique")
                + ", " + seen.size() + " rows, batch " + batch + ", workers " + workers + ", set " + sets.stream().map(a -> a[0] + "=" + a[1]).toList()
                + ", where '" + where + "'";
        assertEquals("0", Db.one(db, "SELECT count(*) FROM ((SELECT * FROM " + q + " EXCEPT ALL SELECT * FROM " + u + ")"
                + " UNION ALL (SELECT * FROM " + u + " EXCEPT ALL SELECT * FROM " + q + ")) d"), context);
        assertEquals(String.valueOf(seen.size()), Db.one(db, "SELECT rows_scanned FROM querk_history_step"
                + " WHERE migration_id = 'trial-" + trial + "'"), context);
    }
}
