package io.querk.review.internal.sql;

import io.querk.review.RewriteKind;
import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.shape.QueryShape;
import io.querk.review.internal.shape.RelationUse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites of the query's text that return the same rows: keyset pagination for {@code OFFSET},
 * {@code UNION ALL} for a cross-column {@code OR}, {@code NOT EXISTS} for {@code NOT IN
 * (subquery)}, and a sargable condition for a wrapped column. Each applies only where the text
 * has the plain shape it knows and the catalog shows the result cannot differ (keys NOT NULL and
 * unique); otherwise the review proposes none rather than a wrong one. The review then plans
 * every rewrite; one that does not plan is dropped.
 */
public final class Rewrites {

    /**
     * A rewrite before it is planned.
     *
     * @param kind          what it changes
     * @param sql           the rewritten statement
     * @param reason        why it is faster and what it needs
     * @param newParameters descriptions of parameters it adds, in order after the query's own
     */
    public record Draft(RewriteKind kind, String sql, String reason, List<String> newParameters) {
        /** Copies the list. */
        public Draft {
            newParameters = List.copyOf(newParameters);
        }
    }

    private Rewrites() {
    }

    /**
     * @param text      the query
     * @param shape     its shape, from the plan with values
     * @param tables    facts per alias
     * @param orAcross  whether the plan filters one table by an OR across its columns
     * @return the rewrites that apply
     */
    public static List<Draft> of(SqlText text, QueryShape shape, Map<String, TableInfo> tables, boolean orAcross) {
        List<Draft> out = new ArrayList<>();
        if (shape.writes()) {
            return out;
        }
        Clauses c = Clauses.of(text);
        if (c != null) {
            keyset(text, c, shape, tables).ifPresent(out::add);
            if (orAcross) {
                unionAll(text, c, shape).ifPresent(out::add);
            }
        }
        notExists(text, shape, tables).ifPresent(out::add);
        Optional<Draft> sargable = sargable(text, shape, tables);
        if (sargable.isEmpty()) {
            sargable = implicitCast(text, shape, tables);
        }
        sargable.ifPresent(out::add);
        return out;
    }

    // ---- keyset pagination ---------------------------------------------------------------

    private record OrderItem(String qualifier, String column, boolean desc) {
        String sql() {
            return (qualifier == null ? "" : qualifier + ".") + column;
        }
    }

    static Optional<Draft> keyset(SqlText text, Clauses c, QueryShape shape, Map<String, TableInfo> tables) {
        if (!c.has("offset") || !c.has("order") || c.has("group") || c.has("having") || c.has("for") || c.has("window")
                || distinct(text, c)) {
            return Optional.empty();
        }
        List<SqlText.Token> t = text.tokens();
        int[] order = c.span("order");
        List<OrderItem> items = new ArrayList<>();
        for (int[] part : c.split(c.bodyStart("order"), order[1], 0, ",")) {
            OrderItem it = orderItem(t.subList(part[0], part[1]));
            if (it == null) {
                return Optional.empty();
            }
            items.add(it);
        }
        if (items.stream().map(OrderItem::desc).distinct().count() != 1) {
            return Optional.empty();
        }
        boolean desc = items.get(0).desc();
        RelationUse u = relationOf(shape, items.get(0).qualifier());
        TableInfo table = u == null ? null : tables.get(u.alias());
        if (table == null) {
            return Optional.empty();
        }
        for (OrderItem it : items) {
            TableInfo.ColumnInfo col = table.column(it.column()).orElse(null);
            if (col == null || !col.notNull() || (it.qualifier() != null && !it.qualifier().equals(u.alias())
                    && !it.qualifier().equals(u.table()))) {
                return Optional.empty();
            }
        }
        // The order must be total for pages not to skip or repeat rows: end with a unique key.
        List<String> cols = items.stream().map(OrderItem::column).toList();
        Optional<List<String>> key = uniqueKey(table);
        List<OrderItem> keys = new ArrayList<>(items);
        boolean appended = false;
        if (!uniqueWithin(table, cols)) {
            if (key.isEmpty()) {
                return Optional.empty();
            }
            for (String k : key.get()) {
                if (!cols.contains(k)) {
                    keys.add(new OrderItem(items.get(0).qualifier(), k, desc));
                    appended = true;
                }
            }
        }
        int base = text.maxParameter();
        List<String> params = new ArrayList<>();
        List<String> placeholders = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            placeholders.add("$" + (base + i + 1));
            params.add("$" + (base + i + 1) + ": " + keys.get(i).column() + " of the previous page's last row");
        }
        String lhs = keys.size() == 1 ? keys.get(0).sql() : "(" + String.join(", ", keys.stream().map(OrderItem::sql).toList()) + ")";
        String rhs = keys.size() == 1 ? placeholders.get(0) : "(" + String.join(", ", placeholders) + ")";
        String condition = lhs + (desc ? " < " : " > ") + rhs;

        StringBuilder b = new StringBuilder();
        int[] where = c.span("where");
        int[] offset = c.span("offset");
        if (where != null) {
            b.append(text.text(0, where[0])).append(" WHERE (").append(c.body("where")).append(") AND ").append(condition)
                    .append(' ');
            b.append(text.text(where[1], order[0]));
        } else {
            b.append(text.text(0, order[0])).append(" WHERE ").append(condition).append(' ');
        }
        b.append(" ORDER BY ").append(String.join(", ", keys.stream().map(k -> k.sql() + (desc ? " DESC" : "")).toList()));
        // Everything after ORDER BY except OFFSET (LIMIT, FETCH).
        for (String clause : List.of("limit", "fetch")) {
            if (c.has(clause)) {
                int[] s = c.span(clause);
                b.append(' ').append(text.text(s[0], s[1]));
            }
        }
        String sql = tidy(b.toString());
        String offsetValue = text.text(offset[0] + 1, offset[1]).replaceAll("(?i)\\s*rows?\\s*$", "").strip();
        return Optional.of(new Draft(RewriteKind.KEYSET_PAGINATION, sql, "OFFSET " + offsetValue + " makes the server read"
                + " and throw away that many rows on every page. Keyset pagination passes the previous page's last "
                + String.join(", ", keys.stream().map(OrderItem::column).toList()) + " and seeks straight past it: the same"
                + " rows, at the same cost on every page. The first page omits the condition." + (appended
                ? " " + String.join(", ", key.orElse(List.of())) + " is added to ORDER BY so that rows with equal "
                + String.join(", ", cols) + " cannot fall between pages." : ""), params));
    }

    private static OrderItem orderItem(List<SqlText.Token> t) {
        boolean desc = false;
        List<SqlText.Token> ts = new ArrayList<>(t);
        if (!ts.isEmpty() && (ts.get(ts.size() - 1).is("asc") || ts.get(ts.size() - 1).is("desc"))) {
            desc = ts.get(ts.size() - 1).is("desc");
            ts.remove(ts.size() - 1);
        }
        if (ts.size() == 1 && name(ts.get(0)) != null) {
            return new OrderItem(null, name(ts.get(0)), desc);
        }
        if (ts.size() == 3 && name(ts.get(0)) != null && ts.get(1).isPunct(".") && name(ts.get(2)) != null) {
            return new OrderItem(ts.get(0).text(), name(ts.get(2)), desc);
        }
        return null;
    }

    private static String name(SqlText.Token t) {
        if (t.kind() == SqlText.Kind.WORD) {
            return t.text().toLowerCase(Locale.ROOT);
        }
        if (t.kind() == SqlText.Kind.QUOTED_NAME) {
            return t.text().substring(1, t.text().length() - 1).replace("\"\"", "\"");
        }
        return null;
    }

    private static boolean distinct(SqlText text, Clauses c) {
        List<SqlText.Token> t = text.tokens();
        return t.size() > 1 && t.get(1).is("distinct");
    }

    private static RelationUse relationOf(QueryShape shape, String qualifier) {
        if (qualifier != null) {
            for (RelationUse u : shape.relations().values()) {
                if (u.alias().equals(qualifier) || u.table().equals(qualifier)) {
                    return u;
                }
            }
            return null;
        }
        return shape.relations().size() == 1 ? shape.relations().values().iterator().next() : null;
    }

    private static Optional<List<String>> uniqueKey(TableInfo t) {
        return t.indexes().stream()
                .filter(i -> i.unique() && i.valid() && i.predicate() == null
                        && i.keys().stream().allMatch(k -> io.querk.review.internal.catalog.Keys.columnOf(k.expression()) != null))
                .map(i -> i.keys().stream().map(k -> io.querk.review.internal.catalog.Keys.columnOf(k.expression())).toList())
                .filter(cols -> cols.stream().allMatch(col -> t.column(col).map(TableInfo.ColumnInfo::notNull).orElse(false)))
                .min((a, b) -> Integer.compare(a.size(), b.size()));
    }

    private static boolean uniqueWithin(TableInfo t, List<String> cols) {
        return t.indexes().stream().anyMatch(i -> i.unique() && i.valid() && i.predicate() == null
                && i.keys().stream().allMatch(k -> cols.contains(io.querk.review.internal.catalog.Keys.columnOf(k.expression()))));
    }

    // ---- UNION ALL for OR ------------------------------------------------------------------

    static Optional<Draft> unionAll(SqlText text, Clauses c, QueryShape shape) {
        if (!c.has("where") || c.has("group") || c.has("having") || c.has("for") || c.has("window") || c.has("offset")
                || distinct(text, c) || shape.relations().size() != 1
                || shape.root().stream().anyMatch(n -> n.nodeType().contains("Aggregate") || n.nodeType().equals("WindowAgg"))) {
            return Optional.empty();
        }
        List<SqlText.Token> t = text.tokens();
        int[] from = c.span("from");
        for (int i = from[0] + 1; i < from[1]; i++) {
            if (t.get(i).depth() == 0 && (t.get(i).isPunct(",") || t.get(i).is("join"))) {
                return Optional.empty();
            }
        }
        int[] where = c.span("where");
        int bodyStart = c.bodyStart("where");
        List<String> rest = new ArrayList<>();
        List<int[]> ors = c.split(bodyStart, where[1], 0, "or");
        if (ors.size() < 2) {
            // WHERE x AND (a OR b): the one bracketed conjunct holding a top-level OR.
            ors = null;
            for (int[] conj : c.split(bodyStart, where[1], 0, "and")) {
                int a = conj[0];
                int b = conj[1];
                if (ors == null && b - a >= 3 && t.get(a).isPunct("(") && text.closing(a) == b - 1) {
                    List<int[]> inner = c.split(a + 1, b - 1, 1, "or");
                    if (inner.size() >= 2) {
                        ors = inner;
                        continue;
                    }
                }
                rest.add(text.text(a, b));
            }
            if (ors == null) {
                return Optional.empty();
            }
        }
        List<String> branches = new ArrayList<>();
        List<String> previous = new ArrayList<>();
        String head = text.text(0, where[0]);
        for (int[] d : ors) {
            String dis = text.text(d[0], d[1]).strip();
            List<String> conds = new ArrayList<>(rest);
            conds.add("(" + dis + ")");
            for (String p : previous) {
                // IS NOT TRUE: a row matching an earlier branch is not returned twice, and NULL behaves as in OR.
                conds.add("(" + p + ") IS NOT TRUE");
            }
            previous.add(dis);
            branches.add(head + " WHERE " + String.join(" AND ", conds));
        }
        String tail = "";
        if (c.has("order") || c.has("limit") || c.has("fetch")) {
            List<String> names = new ArrayList<>();
            if (c.has("order")) {
                int[] order = c.span("order");
                for (int[] part : c.split(c.bodyStart("order"), order[1], 0, ",")) {
                    OrderItem it = orderItem(t.subList(part[0], part[1]));
                    if (it == null || !selects(text, c, it.column())) {
                        return Optional.empty();
                    }
                    names.add(it.column() + (it.desc() ? " DESC" : ""));
                }
            }
            String orderBy = names.isEmpty() ? "" : " ORDER BY " + String.join(", ", names);
            String limit = c.has("limit") ? " " + text.text(c.span("limit")[0], c.span("limit")[1])
                    : c.has("fetch") ? " " + text.text(c.span("fetch")[0], c.span("fetch")[1]) : "";
            String branchTail = (c.has("order") ? " " + text.text(c.span("order")[0], c.span("order")[1]) : "") + limit;
            List<String> wrapped = new ArrayList<>();
            for (String br : branches) {
                wrapped.add("(" + br + branchTail + ")");
            }
            branches = wrapped;
            tail = orderBy + limit;
        }
        String sql = tidy(String.join("\nUNION ALL\n", branches) + tail);
        return Optional.of(new Draft(RewriteKind.UNION_ALL_FOR_OR, sql, "No single index serves an OR across columns."
                + " As UNION ALL, each branch is planned alone and can use its own column's index; \"IS NOT TRUE\" of the"
                + " earlier branches keeps a row that matches several from coming back twice, so the rows are the same."
                + " It pays once each branch's column is indexed.", List.of()));
    }

    /** Whether the select list is {@code *} or names the column. */
    private static boolean selects(SqlText text, Clauses c, String column) {
        int[] sel = c.span("select");
        List<SqlText.Token> t = text.tokens();
        for (int i = sel[0] + 1; i < sel[1]; i++) {
            SqlText.Token k = t.get(i);
            if (k.depth() == 0 && (k.isPunct("*") || (k.kind() == SqlText.Kind.WORD && k.text().equalsIgnoreCase(column)))) {
                return true;
            }
        }
        return false;
    }

    // ---- NOT EXISTS for NOT IN -------------------------------------------------------------

    static Optional<Draft> notExists(SqlText text, QueryShape shape, Map<String, TableInfo> tables) {
        List<SqlText.Token> t = text.tokens();
        for (int i = 1; i + 3 < t.size(); i++) {
            if (!(t.get(i).is("not") && t.get(i + 1).is("in") && t.get(i + 2).isPunct("(") && t.get(i + 3).is("select"))) {
                continue;
            }
            int lhsStart = i - 1;
            String lhsQualifier = null;
            String lhsColumn = name(t.get(i - 1));
            if (lhsColumn == null) {
                return Optional.empty();
            }
            if (i >= 3 && t.get(i - 2).isPunct(".") && name(t.get(i - 3)) != null) {
                lhsQualifier = t.get(i - 3).text();
                lhsStart = i - 3;
            }
            int open = i + 2;
            int close = text.closing(open);
            if (close < 0) {
                return Optional.empty();
            }
            int d = t.get(i + 3).depth();
            // SELECT col FROM table [alias] [WHERE ...], nothing else at the subquery's level.
            int fromAt = -1;
            int whereAt = -1;
            for (int k = i + 4; k < close; k++) {
                SqlText.Token x = t.get(k);
                if (x.depth() != d) {
                    continue;
                }
                if (x.is("from") && fromAt < 0) {
                    fromAt = k;
                } else if (x.is("where") && whereAt < 0) {
                    whereAt = k;
                } else if (x.is("group") || x.is("having") || x.is("order") || x.is("limit") || x.is("union")
                        || x.is("join") || x.isPunct(",") || x.is("offset") || x.is("distinct")) {
                    return Optional.empty();
                }
            }
            if (fromAt < 0) {
                return Optional.empty();
            }
            List<SqlText.Token> selectList = t.subList(i + 4, fromAt);
            String innerColumn;
            if (selectList.size() == 1 && name(selectList.get(0)) != null) {
                innerColumn = name(selectList.get(0));
            } else if (selectList.size() == 3 && selectList.get(1).isPunct(".") && name(selectList.get(2)) != null) {
                innerColumn = name(selectList.get(2));
            } else {
                return Optional.empty();
            }
            int fromEnd = whereAt < 0 ? close : whereAt;
            List<SqlText.Token> from = t.subList(fromAt + 1, fromEnd);
            String innerTable;
            String innerAlias = null;
            if (from.isEmpty() || name(from.get(0)) == null) {
                return Optional.empty();
            }
            int at = 0;
            innerTable = name(from.get(0));
            String innerSql = from.get(0).text();
            if (from.size() >= 3 && from.get(1).isPunct(".")) {
                innerTable = name(from.get(2));
                innerSql = text.text(fromAt + 1, fromAt + 4);
                at = 3;
            } else {
                at = 1;
            }
            if (at < from.size() && from.get(at).is("as")) {
                at++;
            }
            if (at < from.size()) {
                if (at + 1 != from.size() || name(from.get(at)) == null) {
                    return Optional.empty();
                }
                innerAlias = from.get(at).text();
            }
            String innerName = innerTable;
            TableInfo inner = tables.values().stream().filter(x -> x.name().equals(innerName)).findFirst().orElse(null);
            if (inner == null || inner.column(innerColumn).isEmpty()) {
                return Optional.empty();
            }
            boolean innerNullable = !inner.column(innerColumn).get().notNull();
            // The outer side: the relation, other than the subquery's, that has the column.
            String outerAlias = lhsQualifier;
            TableInfo outer = null;
            for (RelationUse u : shape.relations().values()) {
                TableInfo ti = tables.get(u.alias());
                if (ti == null || (u.table().equals(innerTable) && (innerAlias == null ? u.alias().equals(innerTable)
                        : u.alias().equals(innerAlias)) && lhsQualifier == null && shape.relations().size() > 1)) {
                    continue;
                }
                if (lhsQualifier != null ? (u.alias().equals(lhsQualifier) || u.table().equals(lhsQualifier))
                        : ti.column(lhsColumn).isPresent()) {
                    outer = ti;
                    if (outerAlias == null) {
                        outerAlias = u.alias();
                    }
                    break;
                }
            }
            if (outer == null || outerAlias == null) {
                return Optional.empty();
            }
            String alias = innerAlias;
            String fromSql = text.text(fromAt + 1, fromEnd);
            if (alias == null) {
                if (innerTable.equals(outerAlias)) {
                    alias = "sub";
                    fromSql = innerSql + " AS sub";
                    if (whereAt >= 0 && text.text(whereAt + 1, close).contains(innerTable + ".")) {
                        return Optional.empty();
                    }
                } else {
                    alias = innerTable;
                }
            }
            String lhs = outerAlias + "." + lhsColumn;
            String match = alias + "." + innerColumn + " = " + lhs;
            String innerWhere = whereAt < 0 ? "" : "(" + text.text(whereAt + 1, close).strip() + ") AND ";
            String exists = "NOT EXISTS (SELECT 1 FROM " + fromSql.strip() + " WHERE " + innerWhere + match + ")";
            boolean lhsNullable = outer.column(lhsColumn).map(ci -> !ci.notNull()).orElse(true);
            if (lhsNullable) {
                // NOT IN is unknown for a NULL on the left when the subquery has rows, true when it has none.
                String empty = "NOT EXISTS (SELECT 1 FROM " + fromSql.strip() + (whereAt < 0 ? "" : " WHERE "
                        + text.text(whereAt + 1, close).strip()) + ")";
                exists = "(" + lhs + " IS NOT NULL OR " + empty + ") AND " + exists;
            }
            if (innerNullable) {
                // One NULL in the subquery makes NOT IN true for no row at all: so must the rewrite.
                exists = exists + " AND NOT EXISTS (SELECT 1 FROM " + fromSql.strip() + " WHERE " + innerWhere
                        + alias + "." + innerColumn + " IS NULL)";
            }
            String sql = tidy(text.text(0, lhsStart) + " " + exists + " " + text.text(close + 1, t.size()));
            String col = innerTable + "." + innerColumn;
            return Optional.of(new Draft(RewriteKind.NOT_EXISTS_FOR_NOT_IN, sql, "NOT IN (SELECT ...) runs its subquery"
                    + " as a SubPlan; NOT EXISTS is planned as an anti-join, which can hash or use an index on " + col + "."
                    + (innerNullable ? " " + col + " may be NULL, and one NULL makes NOT IN return no row at all: the"
                    + " last NOT EXISTS keeps that answer (drop it if " + innerColumn + " can never be NULL)."
                    : " " + col + " is NOT NULL, so the rows are the same.")
                    + (lhsNullable ? " The first condition keeps NOT IN's answer for a NULL " + lhsColumn + "." : ""),
                    List.of()));
        }
        return Optional.empty();
    }

    // ---- sargable conditions ---------------------------------------------------------------

    private static final Pattern YEAR = Pattern.compile("'?(\\d{4})'?");

    static Optional<Draft> sargable(SqlText text, QueryShape shape, Map<String, TableInfo> tables) {
        List<SqlText.Token> t = text.tokens();
        for (int i = 0; i < t.size(); i++) {
            Match m = dateOf(t, i);
            if (m == null) {
                m = yearOf(t, i);
            }
            if (m == null) {
                m = coalesceOf(t, i);
            }
            if (m == null) {
                continue;
            }
            if (!columnKnown(shape, tables, m.column)) {
                continue;
            }
            String sql = tidy(text.text(0, m.from) + " " + m.replacement + " " + text.text(m.to, t.size()));
            return Optional.of(new Draft(RewriteKind.SARGABLE_PREDICATE, sql, m.reason, List.of()));
        }
        return Optional.empty();
    }

    private record Match(int from, int to, String column, String replacement, String reason) {
    }

    private static final java.util.Set<String> INTEGER_TYPES = java.util.Set.of("smallint", "integer", "bigint");

    /**
     * An integer column compared with a decimal literal ({@code weight_g = 1500.0}) is cast to
     * numeric row by row, which no index on it can serve; the same integral value written as an
     * integer compares the column itself.
     */
    static Optional<Draft> implicitCast(SqlText text, QueryShape shape, Map<String, TableInfo> tables) {
        java.util.Map<String, String> cast = new java.util.HashMap<>();
        for (RelationUse u : shape.relations().values()) {
            TableInfo t = tables.get(u.alias());
            if (t == null) {
                continue;
            }
            for (String col : io.querk.review.internal.analysis.Findings.implicitCasts(u, text)) {
                t.column(col).map(TableInfo.ColumnInfo::type).filter(INTEGER_TYPES::contains).ifPresent(ty -> cast.put(col, ty));
            }
        }
        if (cast.isEmpty()) {
            return Optional.empty();
        }
        List<SqlText.Token> t = text.tokens();
        for (int i = 0; i + 2 < t.size(); i++) {
            String col = name(t.get(i));
            if (col == null || !cast.containsKey(col) || !(t.get(i + 1).kind() == SqlText.Kind.OPERATOR)
                    || t.get(i + 2).kind() != SqlText.Kind.NUMBER || (i + 3 < t.size() && t.get(i + 3).isPunct("::"))) {
                continue;
            }
            java.math.BigDecimal v;
            try {
                v = new java.math.BigDecimal(t.get(i + 2).text());
            } catch (NumberFormatException e) {
                continue;
            }
            if (v.stripTrailingZeros().scale() > 0 || !t.get(i + 2).text().matches(".*[.eE].*")) {
                continue;
            }
            String integral = v.toBigIntegerExact().toString();
            String sql = tidy(text.text(0, i + 2) + " " + integral + " " + text.text(i + 3, t.size()));
            return Optional.of(new Draft(RewriteKind.SARGABLE_PREDICATE, sql, col + " is " + cast.get(col) + ", but "
                    + t.get(i + 2).text() + " is numeric, so every row's " + col + " is cast to numeric to compare it and"
                    + " no index on " + col + " can be searched. The same value as an integer compares the column itself.",
                    List.of()));
        }
        return Optional.empty();
    }

    /** The forms of a day taken from a column, {@code ?} standing for the column. */
    private static final List<String[]> DAY_FORMS = List.of(new String[] {"date", "(", "?", ")"},
            new String[] {"?", "::", "date"}, new String[] {"cast", "(", "?", "as", "date", ")"},
            new String[] {"date_trunc", "(", "'day'", ",", "?", ")"});
    /** The forms of a year taken from a column. */
    private static final List<String[]> YEAR_FORMS = List.of(new String[] {"extract", "(", "year", "from", "?", ")"},
            new String[] {"date_part", "(", "'year'", ",", "?", ")"});

    /**
     * Matches tokens from {@code i} against a pattern: a word, punctuation or quoted literal stands
     * for itself (case-insensitive), {@code ?} captures a name, {@code #} a constant.
     *
     * @return the captured texts, or null if the tokens do not match
     */
    static List<String> match(List<SqlText.Token> t, int i, String... pattern) {
        if (i + pattern.length > t.size()) {
            return null;
        }
        List<String> captured = new ArrayList<>();
        for (int k = 0; k < pattern.length; k++) {
            SqlText.Token x = t.get(i + k);
            String p = pattern[k];
            boolean ok = switch (p) {
                case "?" -> name(x) != null;
                case "#" -> constant(x);
                default -> p.startsWith("'") ? x.kind() == SqlText.Kind.STRING && x.text().equalsIgnoreCase(p)
                        : x.is(p) || x.isPunct(p);
            };
            if (!ok) {
                return null;
            }
            if (p.equals("?") || p.equals("#")) {
                captured.add(x.text());
            }
        }
        return captured;
    }

    /** The first of the forms that matches at {@code i} and is followed by {@code =}: its column and where it ends. */
    private static int[] formAt(List<SqlText.Token> t, int i, List<String[]> forms, String[] column) {
        for (String[] f : forms) {
            List<String> m = match(t, i, f);
            // A bare col::date must not be the tail of a qualified name or another cast.
            boolean tail = f[0].equals("?") && i > 0 && (t.get(i - 1).isPunct(".") || t.get(i - 1).isPunct("::"));
            int end = i + f.length;
            if (m != null && !tail && end + 1 < t.size() && t.get(end).isPunct("=")) {
                column[0] = m.get(0);
                return new int[] {end};
            }
        }
        return null;
    }

    /** {@code date(col) = v}, {@code col::date = v}, {@code CAST(col AS date) = v}, {@code date_trunc('day', col) = v}. */
    private static Match dateOf(List<SqlText.Token> t, int i) {
        String[] col = new String[1];
        int[] at = formAt(t, i, DAY_FORMS, col);
        if (at == null) {
            return null;
        }
        int vEnd = valueEnd(t, at[0] + 1);
        if (vEnd < 0) {
            return null;
        }
        String day = "(" + join(t, at[0] + 1, vEnd) + ")::date";
        return new Match(i, vEnd, col[0].toLowerCase(Locale.ROOT), col[0] + " >= " + day + " AND " + col[0] + " < " + day
                + " + 1", "A function of " + col[0] + " hides the column from its index. The same day as a range on "
                + col[0] + " itself: midnight to midnight, in the session's time zone as date() uses it.");
    }

    /** {@code extract(year from col) = N}, {@code date_part('year', col) = N} with a literal year. */
    private static Match yearOf(List<SqlText.Token> t, int i) {
        String[] col = new String[1];
        int[] at = formAt(t, i, YEAR_FORMS, col);
        if (at == null) {
            return null;
        }
        int end = at[0];
        Matcher y = YEAR.matcher(t.get(end + 1).text());
        if (!y.matches() || (end + 2 < t.size() && t.get(end + 2).isPunct("::"))) {
            return null;
        }
        int year = Integer.parseInt(y.group(1));
        return new Match(i, end + 2, col[0].toLowerCase(Locale.ROOT), col[0] + " >= '" + year + "-01-01' AND " + col[0]
                + " < '" + (year + 1) + "-01-01'", "EXTRACT of " + col[0] + " hides the column from its index; the same"
                + " year as a range on " + col[0] + " itself.");
    }

    /** {@code coalesce(col, x) = v} with constants x and v. */
    private static Match coalesceOf(List<SqlText.Token> t, int i) {
        List<String> m = match(t, i, "coalesce", "(", "?", ",", "#", ")", "=", "#");
        if (m == null || (i + 8 < t.size() && t.get(i + 8).isPunct("::"))) {
            return null;
        }
        String col = m.get(0);
        String dflt = m.get(1);
        String v = m.get(2);
        String replacement = dflt.equals(v) ? "(" + col + " = " + v + " OR " + col + " IS NULL)" : col + " = " + v;
        return new Match(i, i + 8, col.toLowerCase(Locale.ROOT), replacement, "coalesce() hides " + col + " from its index;"
                + (dflt.equals(v) ? " the same rows are those equal to " + v + " or NULL." : " NULL never equals " + v
                + ", so the same rows are those where " + col + " = " + v + "."));
    }

    private static boolean constant(SqlText.Token t) {
        return t.kind() == SqlText.Kind.NUMBER || t.kind() == SqlText.Kind.STRING;
    }

    /** A value after {@code =}: a literal or parameter, with casts. */
    private static int valueEnd(List<SqlText.Token> t, int i) {
        if (i >= t.size()) {
            return -1;
        }
        int k = i;
        if (t.get(k).is("date") && k + 1 < t.size() && t.get(k + 1).kind() == SqlText.Kind.STRING) {
            k++;
        }
        SqlText.Token v = t.get(k);
        if (!(v.kind() == SqlText.Kind.STRING || v.kind() == SqlText.Kind.PARAM || v.is("current_date"))) {
            return -1;
        }
        k++;
        while (k + 1 < t.size() && t.get(k).isPunct("::") && t.get(k + 1).kind() == SqlText.Kind.WORD) {
            k += 2;
        }
        return k;
    }

    private static String join(List<SqlText.Token> t, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            SqlText.Token k = t.get(i);
            if (b.length() > 0 && !k.isPunct("::") && !t.get(i - 1).isPunct("::")) {
                b.append(' ');
            }
            b.append(k.text());
        }
        return b.toString();
    }

    private static boolean columnKnown(QueryShape shape, Map<String, TableInfo> tables, String column) {
        return shape.relations().values().stream().anyMatch(u -> tables.containsKey(u.alias())
                && tables.get(u.alias()).column(column).isPresent());
    }

    /** Collapses the white space the splicing leaves. */
    static String tidy(String sql) {
        return sql.replaceAll("[ \\t]+", " ").replaceAll(" *\\n *", "\n").strip();
    }
}
