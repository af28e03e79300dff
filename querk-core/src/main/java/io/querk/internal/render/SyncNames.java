package io.querk.internal.render;

import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names Querk gives to the objects it creates on the user's behalf: sync triggers and
 * their functions, shadow columns and helper check constraints. Deterministic, so a resumed
 * run finds what an interrupted one made, and never longer than 63 bytes (a long base is cut
 * and suffixed with a short hash so that two long names cannot collide).
 */
public final class SyncNames {

    private SyncNames() {
    }

    /** @return the sync trigger's name on its table */
    public static Identifier trigger(Identifier column) {
        return bounded("querk_sync_" + column.name());
    }

    /**
     * @return the sync trigger function's name, schema-qualified like the table. Functions share
     *         one namespace per schema, and "_" cannot separate table from column unambiguously
     *         (order_items.sku and order.items_sku), so a short hash of the exact pair ends the name.
     */
    public static QualifiedName function(QualifiedName table, Identifier column) {
        String base = "querk_sync_" + table.name().name() + "_" + column.name();
        String suffix = "_" + hash(table.name().quoted() + "." + column.quoted());
        return table.sibling(bounded(base, suffix));
    }

    /** @return the shadow column a type change fills */
    public static Identifier shadowColumn(Identifier column) {
        return bounded(column.name() + "_querk_new");
    }

    /** @return the name the old column of a type change has briefly, during the swap */
    public static Identifier retiredColumn(Identifier column) {
        return bounded(column.name() + "_querk_old");
    }

    /**
     * @return the helper CHECK (column IS NOT NULL) constraint's name; distinct from the
     *         {@code <table>_<column>_not_null} name PostgreSQL 18 gives NOT NULL constraints
     */
    public static Identifier notNullCheck(QualifiedName table, Identifier column) {
        return bounded("querk_nn_" + table.name().name() + "_" + column.name());
    }

    /**
     * @return the name an index or constraint carried to a renamed or retyped column has until
     *         contract gives it back the original's name
     */
    public static Identifier carried(String original) {
        return bounded("querk_carry_" + original);
    }

    static Identifier bounded(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= Identifier.MAX_BYTES) {
            return Identifier.of(name);
        }
        return bounded(name, "_" + hash(name));
    }

    /** @return {@code base} cut (at a character boundary) so that {@code base + suffix} fits 63 bytes */
    private static Identifier bounded(String name, String suffix) {
        StringBuilder cut = new StringBuilder();
        int budget = Identifier.MAX_BYTES - suffix.getBytes(StandardCharsets.UTF_8).length;
        int used = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + len > budget) {
                break;
            }
            cut.appendCodePoint(cp);
            used += len;
            i += Character.charCount(cp);
        }
        return Identifier.of(cut + suffix);
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
