package io.querk.internal.render;

import java.util.List;

/**
 * A catalog query returning one boolean, with its parameters bound by the engine (never
 * spliced into the text).
 *
 * @param sql    a SELECT returning one boolean column
 * @param params String, Integer or List&lt;String&gt; (bound as text[]) values
 */
public record Probe(String sql, List<Object> params) {
    public Probe {
        params = List.copyOf(params);
    }

    /** @return a probe with the given parameters */
    public static Probe of(String sql, Object... params) {
        return new Probe(sql, List.of(params));
    }

    /** @return a probe true when both are: {@code SELECT (a) AND (b)} */
    public Probe and(Probe other) {
        List<Object> all = new java.util.ArrayList<>(params);
        all.addAll(other.params);
        return new Probe("SELECT (" + expression() + ") AND (" + other.expression() + ")", all);
    }

    private String expression() {
        if (!sql.startsWith("SELECT ")) {
            throw new IllegalStateException("A probe is a SELECT of one expression: " + sql);
        }
        return sql.substring("SELECT ".length());
    }

    /**
     * @return the probe with its parameters written in as literals, for a person to paste into
     *         psql; the engine itself always binds them
     */
    public String inline() {
        StringBuilder out = new StringBuilder();
        int p = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            // Probe texts are Querk's own and hold no '?' except placeholders.
            if (c == '?' && p < params.size()) {
                out.append(literal(params.get(p++)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String literal(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return v.toString();
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("ARRAY[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(literal(list.get(i)));
            }
            return sb.append("]::text[]").toString();
        }
        return "'" + String.valueOf(v).replace("'", "''") + "'";
    }
}
