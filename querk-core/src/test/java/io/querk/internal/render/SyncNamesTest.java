package io.querk.internal.render;

import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncNamesTest {

    private static int bytes(Identifier id) {
        return id.name().getBytes(StandardCharsets.UTF_8).length;
    }

    private static final QualifiedName LONG_TABLE = QualifiedName.of("logistics", "t".repeat(63));
    private static final Identifier LONG_COLUMN = Identifier.of("c".repeat(63));

    @Test
    void shortNamesAreKeptAsIs() {
        QualifiedName t = QualifiedName.unqualified("shipments");
        Identifier c = Identifier.of("dest_city");
        assertEquals("querk_sync_dest_city", SyncNames.trigger(c).name());
        // Function names end with a hash of the exact table/column pair, so that order_items.sku and
        // order.items_sku cannot share one.
        assertEquals(QualifiedName.unqualified("querk_sync_shipments_dest_city_fd39522c"), SyncNames.function(t, c));
        assertEquals("dest_city_querk_new", SyncNames.shadowColumn(c).name());
        assertEquals("dest_city_querk_old", SyncNames.retiredColumn(c).name());
        assertEquals("querk_nn_shipments_dest_city", SyncNames.notNullCheck(t, c).name());
    }

    @Test
    void longNamesAreBoundedTo63Bytes() {
        List<Identifier> names = List.of(
                SyncNames.trigger(LONG_COLUMN),
                SyncNames.function(LONG_TABLE, LONG_COLUMN).name(),
                SyncNames.shadowColumn(LONG_COLUMN),
                SyncNames.retiredColumn(LONG_COLUMN),
                SyncNames.notNullCheck(LONG_TABLE, LONG_COLUMN));
        for (Identifier id : names) {
            assertTrue(bytes(id) <= Identifier.MAX_BYTES, id.name() + " is " + bytes(id) + " bytes");
        }
        assertEquals(QualifiedName.of("logistics", "x").schema(), SyncNames.function(LONG_TABLE, LONG_COLUMN).schema());
    }

    @Test
    void longMultiByteNamesAreCutOnCharacterBoundaries() {
        Identifier column = Identifier.of("€".repeat(21)); // 63 bytes
        Identifier shadow = SyncNames.shadowColumn(column);
        assertTrue(bytes(shadow) <= Identifier.MAX_BYTES, shadow.name());
        // A cut through a multi-byte character would not survive the UTF-8 round trip.
        assertEquals(shadow.name(), new String(shadow.name().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertTrue(shadow.name().startsWith("€€€"), shadow.name());

        Identifier emoji = Identifier.of("\uD83D\uDE00".repeat(15)); // 60 bytes, surrogate pairs
        Identifier emojiShadow = SyncNames.shadowColumn(emoji);
        assertTrue(bytes(emojiShadow) <= Identifier.MAX_BYTES, emojiShadow.name());
        assertEquals(emojiShadow.name(),
                new String(emojiShadow.name().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Test
    void boundedNamesAreDeterministic() {
        assertEquals(SyncNames.trigger(LONG_COLUMN), SyncNames.trigger(Identifier.of("c".repeat(63))));
        assertEquals(SyncNames.function(LONG_TABLE, LONG_COLUMN),
                SyncNames.function(QualifiedName.of("logistics", "t".repeat(63)), Identifier.of("c".repeat(63))));
        assertEquals(SyncNames.shadowColumn(LONG_COLUMN), SyncNames.shadowColumn(Identifier.of("c".repeat(63))));
    }

    @Test
    void longNamesSharingAPrefixStayDistinct() {
        String prefix = "p".repeat(60);
        Identifier a = Identifier.of(prefix + "_aa");
        Identifier b = Identifier.of(prefix + "_bb");
        assertNotEquals(SyncNames.trigger(a), SyncNames.trigger(b));
        assertNotEquals(SyncNames.shadowColumn(a), SyncNames.shadowColumn(b));
        assertNotEquals(SyncNames.retiredColumn(a), SyncNames.retiredColumn(b));
        QualifiedName t = QualifiedName.unqualified("shipments");
        assertNotEquals(SyncNames.function(t, a), SyncNames.function(t, b));
        assertNotEquals(SyncNames.notNullCheck(t, a), SyncNames.notNullCheck(t, b));
        assertTrue(bytes(SyncNames.trigger(a)) <= Identifier.MAX_BYTES);
    }

    @Test
    void syncFunctionsOfDifferentTableColumnPairsDoNotCollide() {
        // Functions share the schema's namespace: one per (table, column) pair is needed, or
        // CREATE OR REPLACE FUNCTION for one pair silently rewrites the trigger body of the other.
        QualifiedName orderItems = QualifiedName.unqualified("order_items");
        QualifiedName order = QualifiedName.unqualified("order");
        assertNotEquals(SyncNames.function(orderItems, Identifier.of("sku")),
                SyncNames.function(order, Identifier.of("items_sku")));
    }
}
