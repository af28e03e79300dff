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
}
