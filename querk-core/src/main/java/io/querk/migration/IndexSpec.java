package io.querk.migration;

import io.querk.Api;
import io.querk.internal.step.CreateIndex;
import io.querk.internal.step.IndexElement;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shape of an index in {@link PhaseSteps#createIndex(String, String, java.util.function.Consumer)}.
 * Querk always builds it {@code CONCURRENTLY}, outside a transaction.
 *
 * <pre>{@code
 * e.createIndex("shipments_open_by_city_idx", "shipments", i -> i
 *         .columns("dest_city", "created_at")
 *         .where("delivered_at IS NULL"));
 * e.createIndex("customers_email_lower_idx", "customers", i -> i.unique().expression("lower(email)"));
 * e.createIndex("shipments_tags_idx", "shipments", i -> i.using("gin").columns("tags"));
 * e.createIndex("shipments_tracking_trgm_idx", "shipments", i -> i.using("gin")
 *         .columnWithOperatorClass("tracking_no", "gin_trgm_ops"));      // LIKE '%x%', with pg_trgm
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class IndexSpec {

    private static final Pattern METHOD = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern OPERATOR_CLASS = Pattern.compile("([a-z_][a-z0-9_]*\\.)?[a-z_][a-z0-9_]*");

    private final List<IndexElement> elements = new ArrayList<>();
    private final List<Identifier> include = new ArrayList<>();
    private boolean unique;
    private String method;
    private String where;

    IndexSpec() {
    }

    /**
     * Adds columns, ascending, in order.
     *
     * @param columns the column names
     * @return this spec
     */
    public IndexSpec columns(String... columns) {
        for (Identifier c : Dsl.columns("An index", columns)) {
            elements.add(new IndexElement(c, null, false));
        }
        return this;
    }

    /**
     * Adds one column, descending.
     *
     * @param column the column name
     * @return this spec
     */
    public IndexSpec columnDescending(String column) {
        elements.add(new IndexElement(Identifier.of(column), null, true));
        return this;
    }

    /**
     * Adds one column, ascending, with an operator class other than its type's default: for
     * example {@code gin_trgm_ops} (pg_trgm) so that a GIN index searches {@code LIKE '%x%'}, or
     * {@code text_pattern_ops} so that a b-tree searches {@code LIKE 'abc%'} under any collation.
     *
     * @param column        the column name
     * @param operatorClass the operator class, lower case, optionally schema-qualified
     * @return this spec
     * @throws MigrationDefinitionException if the operator class is not a name
     */
    public IndexSpec columnWithOperatorClass(String column, String operatorClass) {
        if (operatorClass == null || !OPERATOR_CLASS.matcher(operatorClass).matches()) {
            throw new MigrationDefinitionException("Operator class '" + operatorClass + "' is not a name; write one such as"
                    + " gin_trgm_ops or text_pattern_ops, optionally schema-qualified.");
        }
        elements.add(new IndexElement(Identifier.of(column), null, false, operatorClass));
        return this;
    }

    /**
     * Adds an expression, such as {@code lower(email)}.
     *
     * @param sqlExpression the SQL expression, without the extra parentheses PostgreSQL asks for
     * @return this spec
     */
    public IndexSpec expression(String sqlExpression) {
        elements.add(new IndexElement(null, Dsl.requireExpression("an index expression", sqlExpression), false));
        return this;
    }

    /**
     * Makes the index unique.
     *
     * @return this spec
     */
    public IndexSpec unique() {
        this.unique = true;
        return this;
    }

    /**
     * Picks the access method: {@code btree} (the default), {@code hash}, {@code gin}, {@code gist}, {@code brin} ...
     *
     * @param accessMethod the method's name, lower case
     * @return this spec
     * @throws MigrationDefinitionException if the name is not a method name
     */
    public IndexSpec using(String accessMethod) {
        if (accessMethod == null || !METHOD.matcher(accessMethod).matches()) {
            throw new MigrationDefinitionException("Index method '" + accessMethod
                    + "' is not a method name; use btree, hash, gin, gist, spgist or brin.");
        }
        this.method = accessMethod;
        return this;
    }

    /**
     * Adds non-key columns carried in the index ({@code INCLUDE}), for index-only scans.
     *
     * @param columns the column names
     * @return this spec
     */
    public IndexSpec include(String... columns) {
        include.addAll(Dsl.columns("INCLUDE", columns));
        return this;
    }

    /**
     * Makes the index partial, over the rows matching {@code predicate}.
     *
     * @param predicate a boolean SQL expression, without {@code WHERE}
     * @return this spec
     */
    public IndexSpec where(String predicate) {
        this.where = Dsl.requirePredicate("an index predicate", predicate);
        return this;
    }

    CreateIndex build(QualifiedName table, Identifier name) {
        if (elements.isEmpty()) {
            throw new MigrationDefinitionException("Index " + name.sql() + " has no columns or expressions;"
                    + " add some with columns(...) or expression(...).");
        }
        return new CreateIndex(table, name, unique, elements, method, include, where);
    }
}
