package io.querk.review.internal.analysis;

import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.shape.QueryShape;
import io.querk.review.internal.shape.RelationUse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typical values for a query's parameters, from the statistics of the column each is compared
 * with. An equality gets a value of ordinary frequency (the middle histogram bound, or the most
 * common value of median frequency); a range gets a bound that keeps about 1% of the rows, the
 * selective range a query with a parameter usually asks for; a pair of bounds on one column gets
 * a window of about 1%. The report lists every sampled value, so a user can pass better ones.
 */
public final class ParameterSampler {

    /** A range's sampled bound keeps about this share of the rows. */
    static final double RANGE_SHARE = 0.01;

    private ParameterSampler() {
    }

    /**
     * A sampled value.
     *
     * @param value  its text, or null if no statistics gave one
     * @param column where it came from, e.g. {@code shipments.customer_id}
     */
    public record Sample(String value, String column) {
    }

    /**
     * @param generic the shape of the generic plan, where parameters show as $n
     * @param tables  facts per alias
     * @param types   the parameters' types, from 1
     * @return a sample per parameter number; a null value where none could be had
     */
    public static Map<Integer, Sample> sample(QueryShape generic, Map<String, TableInfo> tables, List<String> types) {
        Map<Integer, Sample> out = new LinkedHashMap<>();
        for (int n = 1; n <= types.size(); n++) {
            QueryShape.ParamUse use = generic.parameters().get(n);
            if (use == null) {
                out.put(n, new Sample(null, null));
                continue;
            }
            RelationUse u = generic.relations().get(use.alias());
            TableInfo t = u == null ? null : tables.get(use.alias());
            TableInfo.ColumnStats st = t == null ? null : t.column(use.column()).map(TableInfo.ColumnInfo::stats).orElse(null);
            String column = (u == null ? use.alias() : u.table()) + "." + use.column();
            if (st == null) {
                out.put(n, new Sample(null, column));
                continue;
            }
            boolean pair = hasOpposite(generic, n, use);
            String v = switch (use.op()) {
                case "<", "<=" -> at(st, pair ? 0.5 + RANGE_SHARE : RANGE_SHARE);
                case ">", ">=" -> at(st, pair ? 0.5 : 1 - RANGE_SHARE);
                default -> typical(st);
            };
            if (v != null && use.op().endsWith("ANY") && types.get(n - 1).endsWith("[]")) {
                v = "{" + quoteElement(v) + "}";
            }
            out.put(n, new Sample(v, column));
        }
        return out;
    }

    private static boolean hasOpposite(QueryShape generic, int n, QueryShape.ParamUse use) {
        boolean below = use.op().startsWith("<");
        boolean above = use.op().startsWith(">");
        if (!below && !above) {
            return false;
        }
        for (Map.Entry<Integer, QueryShape.ParamUse> e : generic.parameters().entrySet()) {
            QueryShape.ParamUse o = e.getValue();
            if (e.getKey() != n && o.alias() != null && o.alias().equals(use.alias()) && o.column().equals(use.column())
                    && (below ? o.op().startsWith(">") : o.op().startsWith("<"))) {
                return true;
            }
        }
        return false;
    }

    /** A value of ordinary frequency. */
    static String typical(TableInfo.ColumnStats st) {
        if (!st.histogram().isEmpty()) {
            return st.histogram().get(st.histogram().size() / 2);
        }
        if (!st.mcv().isEmpty()) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < st.mcv().size(); i++) {
                idx.add(i);
            }
            idx.sort((a, b) -> Double.compare(freq(st, a), freq(st, b)));
            return st.mcv().get(idx.get(idx.size() / 2));
        }
        return null;
    }

    private static double freq(TableInfo.ColumnStats st, int i) {
        return i < st.mcf().size() ? st.mcf().get(i) : 0;
    }

    /** The histogram bound at a fraction of the way through the values, else a typical value. */
    static String at(TableInfo.ColumnStats st, double fraction) {
        List<String> h = st.histogram();
        if (h.size() < 2) {
            return typical(st);
        }
        int i = (int) Math.round(fraction * (h.size() - 1));
        return h.get(Math.max(0, Math.min(h.size() - 1, i)));
    }

    private static String quoteElement(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
