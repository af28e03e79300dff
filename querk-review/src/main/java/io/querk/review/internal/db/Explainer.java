package io.querk.review.internal.db;

import io.querk.review.internal.plan.PlanReader;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Plans one statement with its parameter values, as often as the review asks (once per
 * hypothetical index). With values, each EXPLAIN replans ({@code plan_cache_mode =
 * force_custom_plan}), so it sees the hypothetical indexes of the moment; without, it plans the
 * generic plan afresh each time, since a cached generic plan would not see them.
 */
public final class Explainer {

    private final Session s;
    private final String sql;
    private final List<String> values;
    private final boolean generic;
    private String name;
    private String lastJson;

    /**
     * @param s       the review's session
     * @param sql     the statement, with $n parameters
     * @param values  one text value (or null for NULL) per parameter
     * @param generic plan the generic plan, ignoring the values
     */
    public Explainer(Session s, String sql, List<String> values, boolean generic) {
        this.s = s;
        this.sql = sql;
        this.values = new ArrayList<>(values);
        this.generic = generic;
    }

    /**
     * Prepares the statement, which parses and analyzes it.
     *
     * @throws SQLException as the server reports it, with the position in the statement it ran
     */
    public void prepare() throws SQLException {
        if (name == null) {
            name = s.prepareName();
            s.prepare(name, sql);
        }
    }

    /** @return the length of {@code PREPARE name AS }: subtract it from an error position to point into the SQL */
    public int prefixLength() {
        return ("PREPARE " + (name == null ? s.prepareName() : name) + " AS ").length();
    }

    /**
     * @param verbose VERBOSE (qualified expressions, output columns)
     * @return the plan
     * @throws SQLException as reported
     */
    public PlanReader.Explained explain(boolean verbose) throws SQLException {
        return run(verbose ? "FORMAT JSON, VERBOSE" : "FORMAT JSON");
    }

    /**
     * EXPLAIN ANALYZE: runs the statement. Only for read-only statements, in the read-only transaction.
     *
     * @return the plan with what was measured
     * @throws SQLException as reported, e.g. the statement timeout
     */
    public PlanReader.Explained analyze() throws SQLException {
        return run("ANALYZE, BUFFERS, FORMAT JSON, VERBOSE");
    }

    /**
     * @return the parameters' types as the server inferred them, in order
     * @throws SQLException as reported
     */
    public List<String> parameterTypes() throws SQLException {
        prepare();
        List<String> out = new ArrayList<>();
        for (Object[] r : s.rows("SELECT u.t::text FROM pg_prepared_statements p,"
                + " unnest(p.parameter_types) WITH ORDINALITY u(t, n) WHERE p.name = ? ORDER BY u.n", name)) {
            out.add((String) r[0]);
        }
        return out;
    }

    /** @return the JSON of the last EXPLAIN */
    public String lastJson() {
        return lastJson;
    }

    private PlanReader.Explained run(String options) throws SQLException {
        if (values.isEmpty()) {
            // A prepared statement without parameters always reuses its cached plan, which would not see
            // hypothetical indexes made since: plan the text itself.
            lastJson = s.text("EXPLAIN (" + options + ") " + sql);
            return PlanReader.read(lastJson);
        }
        if (generic && name != null) {
            // A cached generic plan would not see hypothetical indexes made since: plan afresh.
            s.deallocate(name);
            name = null;
        }
        prepare();
        s.execute("SET LOCAL plan_cache_mode = " + (generic ? "force_generic_plan" : "force_custom_plan"));
        String args = values.isEmpty() ? "" : values.stream().map(Explainer::literal).collect(Collectors.joining(", ", "(", ")"));
        lastJson = s.text("EXPLAIN (" + options + ") EXECUTE " + name + args);
        return PlanReader.read(lastJson);
    }

    /**
     * @param value a value's text, or null
     * @return an untyped SQL literal, which the parameter's type reads: {@code 'it''s'}, {@code NULL}
     */
    public static String literal(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }
}
