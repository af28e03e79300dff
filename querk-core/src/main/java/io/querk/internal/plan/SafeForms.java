package io.querk.internal.plan;

import io.querk.internal.sql.SqlFragments;
import io.querk.internal.sql.SqlStatements;
import io.querk.internal.sql.Token;
import io.querk.internal.step.AddCheck;
import io.querk.internal.step.AddForeignKey;
import io.querk.internal.step.Assignment;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.BackfillTuning;
import io.querk.internal.step.CreateIndex;
import io.querk.internal.step.IndexElement;
import io.querk.internal.step.SetNotNull;
import io.querk.internal.step.StepDefinition;
import io.querk.migration.Phase;
import io.querk.plan.TableFacts;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a raw statement of a SQL file as the typed step that means exactly the same, where its
 * plain form would block the application and the typed step's does not:
 *
 * <ul>
 *   <li>{@code CREATE [UNIQUE] INDEX name ON t ...} on an existing table: {@code createIndex},
 *       built {@code CONCURRENTLY} (an INVALID leftover of an interrupted build is rebuilt);</li>
 *   <li>{@code ALTER TABLE t ADD CONSTRAINT name CHECK (...)} and {@code ... FOREIGN KEY ...}:
 *       {@code addCheck} / {@code addForeignKey}, added {@code NOT VALID} then validated;</li>
 *   <li>{@code ALTER TABLE t ALTER COLUMN c SET NOT NULL} that would scan under ACCESS EXCLUSIVE:
 *       {@code setNotNull}, through a validated check.</li>
 * </ul>
 *
 * <p>The safe SQL itself is written once, by the typed steps' renderer, which also picks the form
 * per server version. A statement is rewritten only when the analyzer finds the hazard the typed
 * step removes (an index on a table the same file creates stays as written, in its transaction),
 * and only when every clause of it has a place in the typed step: anything else (ONLY, TABLESPACE,
 * NULLS NOT DISTINCT, storage parameters, DEFERRABLE, MATCH FULL, an unnamed constraint ...) stays
 * as written, and the planner refuses it with the hazard's advice.
 */
public final class SafeForms {

    /** The hazard each rewrite removes: a statement without it stays as written. */
    private static final Set<String> REWRITTEN = Set.of("index-not-concurrent", "constraint-validates-under-lock",
            "set-not-null-scan", "may-scan");

    private SafeForms() {
    }

    /**
     * Analyses the statements of one phase of a file in order, as the planner will: what an earlier
     * statement creates is new to the later ones.
     *
     * @return one analysis per statement
     */
    public static List<StatementAnalysis> analyze(List<SqlStatements.Statement> statements, Phase phase) {
        Function<String, Optional<TableFacts>> offline = t -> Optional.empty();
        return RawSqlAnalyzer.analyzeScript(statements, RawSqlAnalyzer.NEWEST_KNOWN, phase, offline);
    }

    /**
     * @param statement a statement of an expand or contract section
     * @param analysis  its analysis in the file's context ({@link #analyze})
     * @return the typed step that runs the same change without the hazard, or empty to keep it as written
     */
    public static Optional<StepDefinition> rewrite(SqlStatements.Statement statement, StatementAnalysis analysis) {
        if (analysis.hazards().stream().noneMatch(h -> REWRITTEN.contains(h.code()))) {
            return Optional.empty();
        }
        Cursor c = new Cursor(statement.tokens());
        try {
            if (c.at("create", "index") || c.at("create", "unique", "index")) {
                return Optional.ofNullable(createIndex(c, statement));
            }
            if (c.at("alter", "table")) {
                return Optional.ofNullable(alterTable(c, statement));
            }
        } catch (Unconvertible e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Reads a statement of a file's backfill section: {@code UPDATE t SET c = expr [, ...] [WHERE ...]},
     * which Querk runs as a backfill, in keyset batches.
     *
     * @param tuning the section's pacing
     * @return the backfill
     * @throws IllegalArgumentException saying what the statement has that a backfill cannot take
     */
    public static Backfill backfill(SqlStatements.Statement statement, BackfillTuning tuning) {
        Cursor c = new Cursor(statement.tokens());
        if (c.at("with")) {
            throw new IllegalArgumentException("a WITH query before UPDATE has no place in a batched backfill");
        }
        if (!c.accept("update")) {
            throw new IllegalArgumentException("only UPDATE ... SET ... [WHERE ...] statements go in the backfill"
                    + " section, which Querk runs in keyset batches; put other statements in expand or contract");
        }
        if (c.at("only")) {
            throw new IllegalArgumentException("UPDATE ONLY is not supported in a backfill; name the table alone");
        }
        SqlName table = c.name();
        if (table == null || table.parts().size() > 2) {
            throw new IllegalArgumentException("the UPDATE names no table Querk can read");
        }
        if (!c.accept("set")) {
            throw new IllegalArgumentException("the UPDATE of " + table + " has an alias or no SET; write"
                    + " UPDATE " + table + " SET column = expression [WHERE ...]");
        }
        List<Token> setList = new ArrayList<>();
        while (!c.atEnd() && !(c.peek().isWord("where") || c.peek().isWord("from") || c.peek().isWord("returning"))) {
            if (c.atSymbol("(") || c.atSymbol("[")) {
                int m = c.mark();
                c.skipGroup();
                int end = c.mark();
                c.reset(m);
                while (c.mark() < end) {
                    setList.add(c.next());
                }
            } else {
                setList.add(c.next());
            }
        }
        if (c.at("from") || c.at("returning")) {
            throw new IllegalArgumentException("UPDATE ... " + c.peek().text().toUpperCase(Locale.ROOT)
                    + " has no place in a batched backfill: each batch updates rows of " + table + " by key");
        }
        String where = null;
        if (c.accept("where")) {
            if (c.at("current", "of")) {
                throw new IllegalArgumentException("WHERE CURRENT OF has no place in a backfill");
            }
            where = text(statement, c.rest());
            String problem = SqlFragments.problem(where, SqlFragments.Role.PREDICATE);
            if (problem != null) {
                throw new IllegalArgumentException("its WHERE is not usable: " + problem);
            }
        }
        List<Assignment> assignments = new ArrayList<>();
        for (Cursor a : new Cursor(setList).splitAtTopLevelCommas()) {
            if (a.atSymbol("(")) {
                throw new IllegalArgumentException("(a, b) = (...) assignments are not supported; set each column on its own");
            }
            SqlName column = a.name();
            if (column == null || column.parts().size() != 1 || !a.acceptSymbol("=")) {
                throw new IllegalArgumentException("each SET item must be column = expression");
            }
            String expression = text(statement, a.rest());
            String problem = expression.isEmpty() ? "it is empty"
                    : SqlFragments.problem(expression, SqlFragments.Role.EXPRESSION);
            if (problem != null) {
                throw new IllegalArgumentException("the value of " + column + " is not usable: " + problem);
            }
            assignments.add(new Assignment(Identifier.of(column.last()), expression));
        }
        return new Backfill(qualified(table), assignments, where, tuning, null);
    }

    // --- CREATE INDEX -----------------------------------------------------------------------------

    private static CreateIndex createIndex(Cursor c, SqlStatements.Statement st) {
        c.accept("create");
        boolean unique = c.accept("unique");
        c.accept("index");
        if (c.at("concurrently")) {
            return null;
        }
        c.accept("if", "not", "exists");
        SqlName index = c.at("on") ? null : c.name();
        if (index == null || index.parts().size() != 1 || !c.accept("on") || c.at("only")) {
            return null;
        }
        SqlName table = c.name();
        if (table == null || table.parts().size() > 2) {
            return null;
        }
        String method = null;
        if (c.accept("using")) {
            Token m = c.next();
            if (m.type() != Token.Type.WORD) {
                return null;
            }
            method = m.folded();
        }
        if (!c.atSymbol("(")) {
            return null;
        }
        List<IndexElement> elements = new ArrayList<>();
        for (Cursor e : new Cursor(c.group()).splitAtTopLevelCommas()) {
            elements.add(element(e, st));
        }
        List<Identifier> include = new ArrayList<>();
        if (c.accept("include")) {
            include = columns(new Cursor(c.group()));
        }
        String where = null;
        if (c.accept("where")) {
            where = text(st, c.rest());
            c.finish();
        }
        if (!c.atEnd()) {
            return null; // NULLS [NOT] DISTINCT, WITH (...), TABLESPACE: no place in the typed step
        }
        return new CreateIndex(qualified(table), Identifier.of(index.last()), unique, elements, method, include, where);
    }

    private static IndexElement element(Cursor e, SqlStatements.Statement st) {
        Identifier column = null;
        String expression = null;
        if (e.atSymbol("(")) {
            List<Token> group = e.group();
            if (group.isEmpty()) {
                throw new Unconvertible();
            }
            expression = text(st, group);
        } else if (e.atName() && e.peek(1).is("(")) {
            int start = e.mark();
            List<Token> call = new ArrayList<>();
            call.add(e.next());
            int before = e.mark();
            e.skipGroup();
            int after = e.mark();
            e.reset(before);
            while (e.mark() < after) {
                call.add(e.next());
            }
            expression = text(st, call);
            if (e.mark() == start) {
                throw new Unconvertible();
            }
        } else if (e.atName()) {
            SqlName name = e.name();
            if (name.parts().size() != 1) {
                throw new Unconvertible();
            }
            column = Identifier.of(name.last());
        } else {
            throw new Unconvertible();
        }
        String operatorClass = null;
        if (e.atName() && !e.at("asc") && !e.at("desc") && !e.at("nulls") && !e.at("collate")) {
            operatorClass = e.next().text();
        }
        boolean descending = false;
        if (e.accept("desc")) {
            descending = true;
        } else {
            e.accept("asc");
        }
        if (!e.atEnd()) {
            throw new Unconvertible(); // COLLATE, NULLS FIRST / LAST, operator class parameters
        }
        return new IndexElement(column, expression, descending, operatorClass);
    }

    // --- ALTER TABLE --------------------------------------------------------------------------------

    private static StepDefinition alterTable(Cursor c, SqlStatements.Statement st) {
        c.accept("alter", "table");
        if (c.at("if", "exists") || c.at("only")) {
            return null;
        }
        SqlName table = c.name();
        if (table == null || table.parts().size() > 2 || c.atSymbol("*")) {
            return null;
        }
        List<Cursor> parts = c.splitAtTopLevelCommas();
        if (parts.size() != 1) {
            return null; // several subcommands run in one statement, under one lock: not one typed step
        }
        Cursor p = parts.get(0);
        if (p.accept("add", "constraint")) {
            SqlName name = p.name();
            if (name == null || name.parts().size() != 1) {
                return null;
            }
            if (p.accept("check")) {
                if (!p.atSymbol("(")) {
                    return null;
                }
                String expression = text(st, p.group());
                return p.atEnd() ? new AddCheck(qualified(table), Identifier.of(name.last()), expression) : null;
            }
            if (p.accept("foreign", "key")) {
                return foreignKey(p, table, name);
            }
            return null;
        }
        if (p.accept("alter")) {
            p.accept("column");
            SqlName column = p.name();
            if (column == null || column.parts().size() != 1 || !p.accept("set", "not", "null") || !p.atEnd()) {
                return null;
            }
            return new SetNotNull(qualified(table), Identifier.of(column.last()), false);
        }
        return null;
    }

    private static AddForeignKey foreignKey(Cursor p, SqlName table, SqlName name) {
        if (!p.atSymbol("(")) {
            return null;
        }
        List<Identifier> columns = columns(new Cursor(p.group()));
        if (!p.accept("references")) {
            return null;
        }
        SqlName referenced = p.name();
        if (referenced == null || referenced.parts().size() > 2) {
            return null;
        }
        List<Identifier> referencedColumns = p.atSymbol("(") ? columns(new Cursor(p.group())) : List.of();
        String onDelete = null;
        String onUpdate = null;
        while (!p.atEnd()) {
            if (p.accept("on", "delete")) {
                onDelete = action(p);
            } else if (p.accept("on", "update")) {
                onUpdate = action(p);
            } else {
                return null; // MATCH, DEFERRABLE, INITIALLY, NOT VALID ...: kept as written
            }
        }
        return new AddForeignKey(qualified(table), Identifier.of(name.last()), columns, qualified(referenced),
                referencedColumns, onDelete, onUpdate);
    }

    private static String action(Cursor p) {
        for (String[] a : new String[][] {{"no", "action"}, {"set", "null"}, {"set", "default"}, {"cascade"},
                {"restrict"}}) {
            if (p.accept(a)) {
                if (p.atSymbol("(")) {
                    throw new Unconvertible(); // SET NULL (columns): PostgreSQL 15+, not in the typed step
                }
                return String.join(" ", a).toUpperCase(Locale.ROOT);
            }
        }
        throw new Unconvertible();
    }

    private static List<Identifier> columns(Cursor list) {
        List<Identifier> out = new ArrayList<>();
        for (Cursor col : list.splitAtTopLevelCommas()) {
            SqlName n = col.name();
            if (n == null || n.parts().size() != 1 || !col.atEnd()) {
                throw new Unconvertible();
            }
            out.add(Identifier.of(n.last()));
        }
        if (out.isEmpty()) {
            throw new Unconvertible();
        }
        return out;
    }

    private static QualifiedName qualified(SqlName n) {
        return n.parts().size() == 2 ? QualifiedName.of(n.parts().get(0), n.parts().get(1))
                : QualifiedName.unqualified(n.last());
    }

    /** @return the statement's own text from the first to the last of {@code tokens}, as the user wrote it */
    private static String text(SqlStatements.Statement st, List<Token> tokens) {
        if (tokens.isEmpty()) {
            return "";
        }
        int from = tokens.get(0).offset() - st.offset();
        int to = tokens.get(tokens.size() - 1).end() - st.offset();
        return st.text().substring(from, to).strip();
    }

    /** A clause the typed step has no place for: the statement stays as written. */
    private static final class Unconvertible extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unconvertible() {
            super(null, null, false, false);
        }
    }
}
