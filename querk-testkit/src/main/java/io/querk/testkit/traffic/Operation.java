package io.querk.testkit.traffic;

import io.querk.testkit.TestkitException;
import io.querk.Api;
import io.querk.sql.QualifiedName;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One kind of request the application makes: a SQL statement with {@code ?} parameters drawn for
 * every execution, whether it reads or writes, and the tables it touches (which the assertions use
 * to tell what a stall cost it). Immutable: each method returns a new operation.
 *
 * <pre>{@code
 * Operation lookup = Operation.read("lookup", "SELECT * FROM shipments WHERE id = ?")
 *         .on("shipments").param(Param.keyOf("shipments"));
 * Operation book = Operation.write("book", "UPDATE shipments SET status = ? WHERE id = ?")
 *         .on("shipments").param(Param.oneOf("booked", "in transit")).param(Param.keyOf("shipments"));
 * }</pre>
 *
 * @param name   its name in reports, e.g. "lookup"
 * @param kind   read or write
 * @param sql    the statement, with {@code ?} placeholders
 * @param params one per placeholder, in order
 * @param tables the tables it touches, schema-qualified as SQL names them
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Operation(String name, TrafficOp.Kind kind, String sql, List<Param> params, List<String> tables) {

    /**
     * Checks the operation and copies its lists.
     *
     * @param name   its name in reports
     * @param kind   read or write
     * @param sql    the statement
     * @param params one per placeholder
     * @param tables the tables it touches
     */
    public Operation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sql, "sql");
        if (kind == TrafficOp.Kind.TRANSACTION) {
            throw new TestkitException("An operation reads or writes; long transactions are participants"
                    + " of their own: Traffic.Builder.longTransaction(...)");
        }
        params = List.copyOf(params);
        tables = List.copyOf(tables);
    }

    /**
     * @param name its name in reports
     * @param sql  a SELECT (or any statement that only reads)
     * @return a read operation without parameters or tables yet
     */
    public static Operation read(String name, String sql) {
        return new Operation(name, TrafficOp.Kind.READ, sql, List.of(), List.of());
    }

    /**
     * @param name its name in reports
     * @param sql  an INSERT, UPDATE or DELETE
     * @return a write operation without parameters or tables yet
     */
    public static Operation write(String name, String sql) {
        return new Operation(name, TrafficOp.Kind.WRITE, sql, List.of(), List.of());
    }

    /**
     * @param param the next placeholder's values
     * @return this operation with one more parameter
     */
    public Operation param(Param param) {
        List<Param> p = new ArrayList<>(params);
        p.add(Objects.requireNonNull(param, "param"));
        return new Operation(name, kind, sql, p, tables);
    }

    /**
     * @param tables the tables it touches, {@code "name"} or {@code "schema.name"} (an unqualified name
     *               means {@code public})
     * @return this operation, touching these tables too
     */
    public Operation on(String... tables) {
        List<String> t = new ArrayList<>(this.tables);
        for (String table : tables) {
            t.add(qualify(table));
        }
        return new Operation(name, kind, sql, params, t);
    }

    /** @return {@code schema.name} as SQL writes it, {@code public} when no schema is given */
    static String qualify(String table) {
        QualifiedName q = QualifiedName.parse(table);
        return q.schema().isPresent() ? q.sql() : "public." + q.name().sql();
    }
}
