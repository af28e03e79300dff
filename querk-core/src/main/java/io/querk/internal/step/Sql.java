package io.querk.internal.step;

import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;
import java.util.stream.Collectors;

/** Small helpers for writing SQL text from names. */
public final class Sql {

    private Sql() {
    }

    /** @return the names quoted where needed, separated by ", " */
    public static String list(List<Identifier> names) {
        return names.stream().map(Identifier::sql).collect(Collectors.joining(", "));
    }

    /** @return {@code FOREIGN KEY (...) REFERENCES t (...) [ON DELETE ...] [ON UPDATE ...]} */
    public static String foreignKeyClause(List<Identifier> columns, QualifiedName refTable,
                                          List<Identifier> refColumns, String onDelete, String onUpdate) {
        StringBuilder sb = new StringBuilder("FOREIGN KEY (").append(list(columns)).append(") REFERENCES ")
                .append(refTable.sql());
        if (!refColumns.isEmpty()) {
            sb.append(" (").append(list(refColumns)).append(')');
        }
        if (onDelete != null) {
            sb.append(" ON DELETE ").append(onDelete);
        }
        if (onUpdate != null) {
            sb.append(" ON UPDATE ").append(onUpdate);
        }
        return sb.toString();
    }
}
