package io.querk.internal.step;

import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds the canonical text of a step, the input of a phase's checksum.
 *
 * <p>Fields are written as {@code key=value} and a field left at its default is omitted, so
 * a later Querk version that adds an optional field does not change the checksum of
 * migrations already applied. Values are length-prefixed so that no choice of names can
 * make two different steps read the same.
 */
public final class Canonical {

    private final StringBuilder sb = new StringBuilder();

    private Canonical(String kind) {
        sb.append(kind);
    }

    /** Starts the canonical form of a step of the given kind. */
    public static Canonical of(String kind) {
        return new Canonical(kind);
    }

    /** Adds a field; a null value is omitted. */
    public Canonical with(String key, Object value) {
        if (value == null) {
            return this;
        }
        String text;
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                return this;
            }
            text = list.stream().map(Canonical::text).collect(Collectors.joining(",", "[", "]"));
        } else {
            text = text(value);
        }
        sb.append('|').append(key).append('=').append(text.length()).append(':').append(text);
        return this;
    }

    /** Adds a boolean field that is omitted when false. */
    public Canonical flag(String key, boolean value) {
        return value ? with(key, "true") : this;
    }

    private static String text(Object v) {
        if (v instanceof Identifier id) {
            return id.quoted();
        }
        if (v instanceof QualifiedName qn) {
            return qn.regclassText();
        }
        if (v instanceof CanonicalForm c) {
            return "{" + c.canonical() + "}";
        }
        String s = String.valueOf(v);
        return s.length() + ":" + s;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
