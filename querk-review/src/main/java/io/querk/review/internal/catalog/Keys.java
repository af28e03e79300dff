package io.querk.review.internal.catalog;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading index keys as {@code pg_get_indexdef(index, column, true)} writes them. */
public final class Keys {

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"]|\"\")+)\"");

    private Keys() {
    }

    /**
     * @param key a key, e.g. {@code customer_id}, {@code "Order"} or {@code lower(email)}
     * @return the column's name if the key is a plain column, else null
     */
    public static String columnOf(String key) {
        String k = key.strip();
        if (PLAIN.matcher(k).matches()) {
            return k;
        }
        Matcher m = QUOTED.matcher(k);
        if (m.matches()) {
            return m.group(1).replace("\"\"", "\"");
        }
        return null;
    }

    /**
     * Two spellings of one expression compare equal when they differ only in white space,
     * brackets and case, as an index definition and a plan's condition do.
     *
     * @param expression an expression
     * @return its comparison form
     */
    public static String normalize(String expression) {
        return expression.replaceAll("[\\s()]", "").toLowerCase(Locale.ROOT);
    }

    /**
     * @param expression an expression's SQL
     * @param column     a column name
     * @return true if the expression names the column (as a whole word, or quoted)
     */
    public static boolean mentions(String expression, String column) {
        String quoted = "\"" + column.replace("\"", "\"\"") + "\"";
        if (expression.contains(quoted)) {
            return true;
        }
        return PLAIN.matcher(column).matches()
                && Pattern.compile("(?<![A-Za-z0-9_$\"])" + Pattern.quote(column) + "(?![A-Za-z0-9_$\"])").matcher(expression).find();
    }
}
