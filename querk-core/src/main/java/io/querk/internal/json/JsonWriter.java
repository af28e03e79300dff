package io.querk.internal.json;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes JSON, indented two spaces, for plans and reports that tools read. Core depends on the
 * JDK alone, and writing is all it needs (never parsing), so this small writer takes the place of
 * a JSON library.
 *
 * <pre>{@code
 * String json = new JsonWriter().beginObject().name("step").value("add column").name("rows").value(42)
 *         .endObject().toString();
 * }</pre>
 */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    // Per open container: has it written an element yet?
    private final Deque<boolean[]> stack = new ArrayDeque<>();
    private boolean afterName;

    /** Opens an object. */
    public JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        stack.push(new boolean[] {false});
        return this;
    }

    /** Closes an object. */
    public JsonWriter endObject() {
        return close('}');
    }

    /** Opens an array. */
    public JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        stack.push(new boolean[] {false});
        return this;
    }

    /** Closes an array. */
    public JsonWriter endArray() {
        return close(']');
    }

    /** Writes a member name; the next call writes its value. */
    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    /** Writes a string, or null. */
    public JsonWriter value(String s) {
        beforeValue();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    /** Writes a number. */
    public JsonWriter value(long n) {
        beforeValue();
        out.append(n);
        return this;
    }

    /** Writes a number; NaN and infinities, which JSON cannot hold, become null. */
    public JsonWriter value(double d) {
        beforeValue();
        out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        return this;
    }

    /** Writes a boolean. */
    public JsonWriter value(boolean b) {
        beforeValue();
        out.append(b);
        return this;
    }

    /** Writes a null. */
    public JsonWriter nullValue() {
        beforeValue();
        out.append("null");
        return this;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        separate();
    }

    private void separate() {
        boolean[] top = stack.peek();
        if (top != null) {
            if (top[0]) {
                out.append(',');
            }
            top[0] = true;
            newline(stack.size());
        }
    }

    private JsonWriter close(char c) {
        boolean[] top = stack.pop();
        if (top[0]) {
            newline(stack.size());
        }
        out.append(c);
        return this;
    }

    private void newline(int depth) {
        out.append('\n');
        out.append("  ".repeat(depth));
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** @return the JSON written so far */
    @Override
    public String toString() {
        return out.toString();
    }
}
