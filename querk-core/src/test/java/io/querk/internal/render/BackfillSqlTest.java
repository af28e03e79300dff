package io.querk.internal.render;

import io.querk.internal.step.Assignment;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.BackfillTuning;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackfillSqlTest {

    private static final Backfill FILL = new Backfill(QualifiedName.parse("orders"),
            List.of(new Assignment(Identifier.of("amount_cents"), "(amount * 100)::bigint")), "amount_cents IS NULL",
            BackfillTuning.DEFAULTS, null);
    private static final BackfillSql.Key ID = new BackfillSql.Key(List.of(Identifier.of("id")), List.of("bigint"));
    private static final BackfillSql.Key COMPOSITE = new BackfillSql.Key(
            List.of(Identifier.of("account"), Identifier.of("Seq")), List.of("text", "integer"));
    private static final QualifiedName RANGES = QualifiedName.parse("querk_history_range");

    private static long parameters(String sql) {
        return sql.chars().filter(c -> c == '?').count();
    }

    @Test
    void theFirstBatchOfAnOpenRangeHasNoBounds() {
        String sql = BackfillSql.batch(FILL, ID, RANGES, false, false);
        assertTrue(sql.contains("SELECT id FROM orders WHERE EXISTS (SELECT 1 FROM cur) ORDER BY id LIMIT ?"), sql);
        assertTrue(sql.contains("UPDATE orders SET amount_cents = (amount * 100)::bigint WHERE id <= (SELECT id FROM last)"
                + " AND (amount_cents IS NULL) RETURNING 1"), sql);
        assertEquals(13, parameters(sql), "range row, expected cursor, runner lock holder, limit, range row");
    }

    @Test
    void laterBatchesStartAfterTheCursorAndStopAtTheUpperBound() {
        String sql = BackfillSql.batch(FILL, ID, RANGES, true, true);
        assertTrue(sql.contains("WHERE id > (SELECT from_key[1] FROM cur)::bigint AND id <= (SELECT upper_key[1] FROM cur)::bigint"
                + " AND EXISTS (SELECT 1 FROM cur)"), sql);
        assertTrue(sql.contains("UPDATE orders SET amount_cents = (amount * 100)::bigint WHERE id > (SELECT from_key[1] FROM cur)::bigint"
                + " AND id <= (SELECT id FROM last)"), sql);
        assertTrue(sql.contains("cursor IS NOT DISTINCT FROM CAST(? AS text[]) AND " + BackfillSql.RUNNER_LOCK_HELD
                + " FOR UPDATE"), "the cursor guard and the runner lock's, in the range row's lock: " + sql);
        assertEquals(13, parameters(sql));
    }

    @Test
    void compositeKeysCompareAsRowsCastBackFromText() {
        String sql = BackfillSql.batch(FILL, COMPOSITE, RANGES, true, false);
        assertTrue(sql.contains("(account, \"Seq\") > ((SELECT from_key[1] FROM cur)::text, (SELECT from_key[2] FROM cur)::integer)"),
                sql);
        assertTrue(sql.contains("ORDER BY account DESC, \"Seq\" DESC LIMIT 1"), sql);
        assertTrue(sql.contains("cursor = (SELECT ARRAY[account::text, \"Seq\"::text] FROM last)"), sql);
        assertFalse(sql.contains("upper_key["), sql);
    }

    @Test
    void theProbeThePlanAndTheSplitQueryShareTheSetList() {
        assertEquals("EXPLAIN UPDATE orders SET amount_cents = (amount * 100)::bigint WHERE (amount_cents IS NULL)",
                BackfillSql.probe(FILL));
        assertEquals("UPDATE orders SET amount_cents = (amount * 100)::bigint WHERE <key range of one batch>"
                + " AND (amount_cents IS NULL)", BackfillSql.planned(FILL));
        assertEquals("SELECT ARRAY[account::text, \"Seq\"::text] FROM orders ORDER BY account, \"Seq\" OFFSET ? LIMIT 1",
                BackfillSql.keyAtOffset(FILL.target(), COMPOSITE));
    }
}
