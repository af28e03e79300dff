package io.querk.internal.render;

import io.querk.internal.step.AddCheck;
import io.querk.internal.step.AddColumn;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.ChangeColumnType;
import io.querk.internal.step.CreateIndex;
import io.querk.internal.step.IndexElement;
import io.querk.internal.step.StepDefinition;
import io.querk.sql.QualifiedName;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL a step's fragments must compile to against the live table, each as an {@code EXPLAIN}
 * that parses, resolves and plans without touching a row: a derivation and its column's type, a
 * default, a backfill's values and predicate, a CHECK, an index's expressions and predicate, a
 * type change's conversion and new type. The engine runs them in a transaction it rolls back,
 * when it plans and again just before the step, so a typo ({@code lower(nmae)}) is refused with
 * the server's own message before anything changes, and never reaches a trigger on the table.
 */
public final class StepChecks {

    /**
     * One check.
     *
     * @param what     what the fragment is, for the message: "the derivation of column name_lower"
     * @param fragment the user's SQL, as written
     * @param table    the table it is checked against, or null when it needs none
     * @param sql      the EXPLAIN that compiles it
     */
    public record Check(String what, String fragment, QualifiedName table, String sql) {
    }

    private StepChecks() {
    }

    /** @return the checks of a step, for the checks a type change carries knowing none */
    public static List<Check> of(StepDefinition step) {
        return of(step, Catalog.OFFLINE);
    }

    /**
     * @param catalog what depends on a column a type change retypes: each CHECK it carries must
     *                compile over the new type before anything runs
     * @return the checks of a step; none for steps without user expressions
     */
    public static List<Check> of(StepDefinition step, Catalog catalog) {
        List<Check> out = new ArrayList<>();
        if (step instanceof AddColumn a) {
            String type = a.column().type();
            out.add(new Check("the type of column " + a.column().name().sql(), type, null,
                    "EXPLAIN SELECT CAST(NULL AS " + type + ")"));
            if (a.derivedFrom() != null) {
                out.add(new Check("the derivation of column " + a.column().name().sql(), a.derivedFrom(), a.target(),
                        "EXPLAIN SELECT CAST((" + a.derivedFrom() + ") AS " + type + ") FROM " + a.target().sql()));
            }
            if (a.column().defaultSql() != null) {
                out.add(new Check("the default of column " + a.column().name().sql(), a.column().defaultSql(), null,
                        "EXPLAIN SELECT CAST((" + a.column().defaultSql() + ") AS " + type + ")"));
            }
        } else if (step instanceof Backfill b) {
            out.add(new Check("the backfill of " + b.target().sql(), BackfillSql.setList(b)
                    + (b.where() == null ? "" : " WHERE " + b.where()), b.target(), BackfillSql.probe(b)));
        } else if (step instanceof AddCheck c) {
            out.add(new Check("check " + c.name().sql(), c.expression(), c.target(),
                    "EXPLAIN SELECT 1 FROM " + c.target().sql() + " WHERE (" + c.expression() + ")"));
        } else if (step instanceof CreateIndex i) {
            List<String> exprs = i.elements().stream().filter(e -> e.expression() != null).map(IndexElement::expression)
                    .toList();
            if (!exprs.isEmpty() || i.where() != null) {
                String select = exprs.isEmpty() ? "1" : exprs.stream().map(e -> "(" + e + ")").collect(Collectors.joining(", "));
                out.add(new Check("index " + i.name().sql(), String.join(", ", exprs)
                        + (i.where() == null ? "" : " WHERE " + i.where()), i.target(), "EXPLAIN SELECT " + select
                        + " FROM " + i.target().sql() + (i.where() == null ? "" : " WHERE (" + i.where() + ")")));
            }
        } else if (step instanceof ChangeColumnType c) {
            out.add(new Check("the new type of column " + c.column().sql(), c.newType(), null,
                    "EXPLAIN SELECT CAST(NULL AS " + c.newType() + ")"));
            out.add(new Check("the conversion of column " + c.column().sql(), c.conversion(), c.target(),
                    "EXPLAIN SELECT CAST((" + c.conversion() + ") AS " + c.newType() + ") FROM " + c.target().sql()));
            for (ColumnDependents.Dependent d : catalog.dependents(c.target(), c.column())) {
                if (d.kind() == ColumnDependents.Kind.CHECK) {
                    // The carried check reads the new column: compiled with a value of the new type in its place.
                    String body = ColumnDependents.carriedConstraint(d, c.column(), "CAST(NULL AS " + c.newType() + ")");
                    out.add(new Check("check " + d.name() + " over the column's new type " + c.newType(), d.definition(),
                            c.target(), "EXPLAIN SELECT 1 FROM " + c.target().sql() + " WHERE "
                            + body.substring("CHECK ".length())));
                }
            }
        }
        return out;
    }
}
