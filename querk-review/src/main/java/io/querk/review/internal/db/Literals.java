package io.querk.review.internal.db;

import java.math.BigDecimal;
import java.util.List;

/** Parameter values as the text PostgreSQL reads for their type. */
public final class Literals {

    private Literals() {
    }

    /**
     * @param values the values as given (String, Number, Boolean, java.time, UUID, byte[], enum, or null)
     * @return their texts, null for SQL NULL
     */
    public static List<String> texts(List<Object> values) {
        return values.stream().map(Literals::text).toList();
    }

    /**
     * @param v a value
     * @return its text, or null
     */
    public static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            StringBuilder s = new StringBuilder("\\x");
            for (byte x : b) {
                s.append(String.format("%02x", x));
            }
            return s.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        // Numbers, booleans, UUIDs, text and java.time values print as PostgreSQL reads them (ISO 8601).
        return v.toString();
    }
}
