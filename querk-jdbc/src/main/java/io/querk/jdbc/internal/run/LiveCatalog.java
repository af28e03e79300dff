package io.querk.jdbc.internal.run;

import io.querk.QuerkException;
import io.querk.internal.render.Catalog;
import io.querk.internal.render.ColumnDependents;
import io.querk.internal.render.Probe;
import io.querk.jdbc.internal.guard.WorkSession;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Answers the renderer's questions from the database, just before a step runs. */
final class LiveCatalog implements Catalog {

    private final WorkSession session;

    LiveCatalog(WorkSession session) {
        this.session = session;
    }

    @Override
    public Optional<ColumnFacts> column(QualifiedName table, Identifier column) {
        try (PreparedStatement ps = session.connection().prepareStatement(
                "SELECT format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),"
                        + " col_description(a.attrelid, a.attnum)"
                        + " FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                        + " WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped")) {
            ps.setString(1, table.regclassText());
            ps.setString(2, column.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ColumnFacts(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4)));
            }
        } catch (SQLException e) {
            throw unreadable(table, column, e);
        }
    }

    @Override
    public List<ColumnDependents.Dependent> dependents(QualifiedName table, Identifier column) {
        Probe q = ColumnDependents.query(table, column);
        try (PreparedStatement ps = session.connection().prepareStatement(q.sql())) {
            session.bind(ps, q.params());
            try (ResultSet rs = ps.executeQuery()) {
                return ColumnDependents.parse(LiveFacts.rows(rs));
            }
        } catch (SQLException e) {
            throw unreadable(table, column, e);
        }
    }

    private static QuerkException unreadable(QualifiedName table, Identifier column, SQLException e) {
        return new QuerkException("Could not read column " + table.sql() + "." + column.sql() + " from the catalog: "
                + e.getMessage() + " [SQLSTATE " + e.getSQLState() + "]. Check the database's availability; running"
                + " again resumes where this run stopped.", e);
    }
}
