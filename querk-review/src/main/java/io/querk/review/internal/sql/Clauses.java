package io.querk.review.internal.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the clauses of a plain top-level {@code SELECT} start and end, by token index. Built only
 * for a statement of the shape rewrites handle: {@code SELECT ... FROM ... [WHERE] [GROUP BY]
 * [HAVING] [ORDER BY] [LIMIT] [OFFSET] [FETCH] [FOR]}, without set operations at the top.
 */
public final class Clauses {

    private static final List<String> ORDERED = List.of("select", "from", "where", "group", "having", "window", "order",
            "limit", "offset", "fetch", "for");

    private final SqlText text;
    private final Map<String, int[]> spans;

    private Clauses(SqlText text, Map<String, int[]> spans) {
        this.text = text;
        this.spans = spans;
    }

    /**
     * @param text a statement
     * @return its clauses, or null if it is not a plain SELECT (WITH, set operations, VALUES ...)
     */
    public static Clauses of(SqlText text) {
        List<SqlText.Token> t = text.tokens();
        if (t.isEmpty() || !t.get(0).is("select")) {
            return null;
        }
        Map<String, Integer> starts = new LinkedHashMap<>();
        for (int i = 0; i < t.size(); i++) {
            SqlText.Token k = t.get(i);
            if (k.depth() != 0 || k.kind() != SqlText.Kind.WORD) {
                continue;
            }
            String w = k.folded();
            if (w.equals("union") || w.equals("intersect") || w.equals("except")) {
                return null;
            }
            if (ORDERED.contains(w) && !starts.containsKey(w)) {
                if ((w.equals("group") || w.equals("order")) && !(i + 1 < t.size() && t.get(i + 1).is("by"))) {
                    continue;
                }
                if (w.equals("for") && !(i + 1 < t.size() && (t.get(i + 1).is("update") || t.get(i + 1).is("share")
                        || t.get(i + 1).is("no") || t.get(i + 1).is("key")))) {
                    continue;
                }
                starts.put(w, i);
            }
        }
        if (!starts.containsKey("from")) {
            return null;
        }
        List<Map.Entry<String, Integer>> es = new ArrayList<>(starts.entrySet());
        es.sort(Map.Entry.comparingByValue());
        Map<String, int[]> spans = new LinkedHashMap<>();
        for (int i = 0; i < es.size(); i++) {
            int end = i + 1 < es.size() ? es.get(i + 1).getValue() : t.size();
            spans.put(es.get(i).getKey(), new int[] {es.get(i).getValue(), end});
        }
        return new Clauses(text, spans);
    }

    /** @return true if the statement has the clause ("where", "order", "group" ...) */
    public boolean has(String clause) {
        return spans.containsKey(clause);
    }

    /** @return the clause's first token index (its keyword) and the index after its last token */
    public int[] span(String clause) {
        return spans.get(clause);
    }

    /** @return the clause's body: the text after its keyword(s), e.g. the conditions of WHERE */
    public String body(String clause) {
        int[] s = spans.get(clause);
        if (s == null) {
            return null;
        }
        int from = s[0] + ((clause.equals("order") || clause.equals("group")) ? 2 : 1);
        return text.text(from, s[1]);
    }

    /** @return the index of the body's first token */
    public int bodyStart(String clause) {
        int[] s = spans.get(clause);
        return s[0] + ((clause.equals("order") || clause.equals("group")) ? 2 : 1);
    }

    /**
     * Splits the tokens in [from, to) at a word or punctuation at the given depth.
     *
     * @param from  first token
     * @param to    after the last
     * @param depth the bracket depth of the separators
     * @param sep   the separator, e.g. "," "and" "or"
     * @return the pieces' [start, end) token ranges
     */
    public List<int[]> split(int from, int to, int depth, String sep) {
        List<int[]> out = new ArrayList<>();
        int start = from;
        for (int i = from; i < to; i++) {
            SqlText.Token k = text.tokens().get(i);
            if (k.depth() == depth && (k.is(sep) || k.isPunct(sep))) {
                // BETWEEN x AND y keeps its AND.
                if (sep.equals("and") && betweenOpen(start, i)) {
                    continue;
                }
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        out.add(new int[] {start, to});
        return out;
    }

    private boolean betweenOpen(int from, int at) {
        int betweens = 0;
        int ands = 0;
        for (int i = from; i < at; i++) {
            SqlText.Token k = text.tokens().get(i);
            if (k.depth() == text.tokens().get(at).depth()) {
                if (k.is("between")) {
                    betweens++;
                } else if (k.is("and")) {
                    ands++;
                }
            }
        }
        return betweens > ands;
    }

    /** @return the text this is built on */
    public SqlText text() {
        return text;
    }
}
