package io.querk.review.internal.index;

import java.util.ArrayList;
import java.util.List;

/** Reads a one-dimensional PostgreSQL array literal, {@code {a,"b c",NULL}}. */
public final class ArrayText {

    private ArrayText() {
    }

    /**
     * @param literal the array's text form
     * @return its elements (NULL as null), or null if it is not a one-dimensional array
     */
    public static List<String> parse(String literal) {
        String s = literal.strip();
        if (!s.startsWith("{") || !s.endsWith("}")) {
            return null;
        }
        List<String> out = new ArrayList<>();
        String body = s.substring(1, s.length() - 1);
        if (body.isEmpty()) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < body.length()) {
                    cur.append(body.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(element(cur, wasQuoted));
                cur.setLength(0);
                wasQuoted = false;
            } else if (c == '{') {
                return null;
            } else {
                cur.append(c);
            }
        }
        out.add(element(cur, wasQuoted));
        return out;
    }

    private static String element(StringBuilder cur, boolean wasQuoted) {
        String v = wasQuoted ? cur.toString() : cur.toString().strip();
        return !wasQuoted && v.equalsIgnoreCase("NULL") ? null : v;
    }
}
