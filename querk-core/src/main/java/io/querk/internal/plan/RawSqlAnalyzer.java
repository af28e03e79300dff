package io.querk.internal.plan;

import io.querk.internal.sql.Functions;
import io.querk.internal.sql.Keywords;
import io.querk.internal.sql.SqlStatements;
import io.querk.internal.sql.Token;
import io.querk.migration.Phase;
import io.querk.plan.LockMode;
import io.querk.plan.TableFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Tells what one raw SQL statement will do to a live PostgreSQL database: the table locks it
 * takes (strongest mode per relation), whether it scans or rewrites a table under them,
 * whether it must run outside a transaction block, and which known hazards it carries.
 *
 * <h2>Why a focused parser</h2>
 * The analyzer reads the statement's tokens from Querk's own lexer with a small recursive
 * descent per statement family ({@code QueryRules}, {@code AlterTableRules}, {@code CreateRules} ...),
 * not with a general SQL parser library. {@code querk-core} depends on the JDK alone, and none
 * of the Java SQL parsers follows PostgreSQL's grammar across versions 14 to 18 closely
 * enough (NOT VALID, CONCURRENTLY, DETACH ... CONCURRENTLY, MERGE, NOT NULL ... NOT VALID).
 * More to the point, the hazards depend only on the statement's shape: the command, its
 * target, a handful of keywords (CONCURRENTLY, NOT VALID, USING INDEX, IF [NOT] EXISTS) and
 * the few expressions that matter (a column default, a type). The lexer already gets the hard
 * part right, strings, dollar quotes, quoted identifiers and comments, so a keyword inside
 * {@code COMMENT ON TABLE t IS 'DROP TABLE'} or a function body is never mistaken for a command.
 *
 * <h2>What it knows</h2>
 * Lock levels follow the PostgreSQL documentation ("Explicit Locking" and each command's page)
 * and, for ALTER TABLE, {@code AlterTableGetLockLevel} in tablecmds.c. Decisions that depend on
 * the live table (the current type of a column being retyped, a validated
 * {@code CHECK (c IS NOT NULL)} sparing SET NOT NULL its scan) use {@link TableFacts} when
 * given; offline they assume the costly outcome and say so with a WARNING.
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>Only relations the statement names are reported. Locks PostgreSQL takes on other
 *       relations are not: indexes and TOAST tables, the table an index belongs to when only
 *       the index is named (DROP INDEX, REINDEX INDEX), the table a foreign key references when
 *       {@code VALIDATE CONSTRAINT} or {@code DROP CONSTRAINT} names only the constraint (unless
 *       the same script added it), tables whose foreign keys point at a dropped one, the
 *       DEFAULT partition of ATTACH PARTITION, and the tables behind views and functions.</li>
 *   <li>It does not know which tables are partitioned, which columns already are NOT NULL,
 *       which CHECK constraints a type change revalidates, or whether a domain type has
 *       constraints (adding a column of such a domain rewrites the table).</li>
 *   <li>Volatility is known for built-in functions (and uuid-ossp, pgcrypto); a default calling
 *       any other function is reported as {@code may-rewrite}.</li>
 *   <li>DO blocks, CALL, policies, rules, publications and other statements it does not read
 *       get the conservative verdict: ACCESS EXCLUSIVE on the table they seem to name and a
 *       WARNING {@code unrecognized-statement}. The analyzer never throws for a statement.</li>
 * </ul>
 */
public final class RawSqlAnalyzer {

    /** The newest PostgreSQL major version whose behaviour the analyzer knows: the planner's. */
    public static final int NEWEST_KNOWN = io.querk.plan.Planner.NEWEST_KNOWN;
    /** The oldest PostgreSQL major version whose behaviour the analyzer knows: the planner's. */
    public static final int OLDEST_KNOWN = io.querk.plan.Planner.OLDEST_SUPPORTED;

    private RawSqlAnalyzer() {
    }

    /**
     * Analyses one statement on its own.
     *
     * @param statement   the statement, as {@link SqlStatements#split(String)} returns it
     * @param serverMajor the PostgreSQL major version it will run on (14 to 18)
     * @param phase       the phase of the raw step
     * @param facts       the live facts about a table, by its name as the statement writes it
     *                    (unquoted parts folded to lower case, quotes removed); empty offline
     * @return the verdict; never null, even for a statement it cannot read
     */
    public static StatementAnalysis analyze(SqlStatements.Statement statement, int serverMajor, Phase phase,
                                            Function<String, Optional<TableFacts>> facts) {
        return analyze(statement, new AnalysisContext(serverMajor, phase, facts, ScriptKnowledge.none()));
    }

    /**
     * Analyses the statements of one script in order, so that a statement on a table created
     * earlier in the script is not held to the rules for live tables (an index on an empty new
     * table needs no CONCURRENTLY), and a VALIDATE CONSTRAINT of a foreign key added earlier
     * names the table it references.
     */
    public static List<StatementAnalysis> analyzeScript(List<SqlStatements.Statement> statements, int serverMajor,
                                                        Phase phase, Function<String, Optional<TableFacts>> facts) {
        AnalysisContext ctx = new AnalysisContext(serverMajor, phase, facts, ScriptKnowledge.none());
        List<StatementAnalysis> out = new ArrayList<>();
        for (SqlStatements.Statement s : statements) {
            out.add(analyze(s, ctx));
        }
        return out;
    }

    static StatementAnalysis analyze(SqlStatements.Statement statement, AnalysisContext ctx) {
        Objects.requireNonNull(statement, "statement");
        try {
            return analyzeStrict(statement, ctx);
        } catch (RuntimeException e) {
            // A bug in a rule must not stop a migration's planning; the tests hold analyzeStrict to never throw.
            Verdict v = new Verdict(statement.tokens());
            notUnderstood(v, "Querk's analyzer failed on this statement (" + e.getClass().getSimpleName() + ")");
            return v.build(statement.text());
        }
    }

    /** Like {@link #analyze(SqlStatements.Statement, AnalysisContext)} but lets a rule's bug surface. */
    static StatementAnalysis analyzeStrict(SqlStatements.Statement statement, AnalysisContext ctx) {
        Verdict v = new Verdict(statement.tokens());
        Cursor c = new Cursor(statement.tokens());
        if (c.atEnd()) {
            v.action("empty statement");
        } else {
            dispatch(c, v, ctx);
        }
        return v.build(statement.text());
    }

    private static void dispatch(Cursor c, Verdict v, AnalysisContext ctx) {
        if (QueryRules.handles(c)) {
            QueryRules.analyze(c, v, ctx);
        } else if (OtherRules.isTransactionControl(c)) {
            OtherRules.transactionControl(c, v);
        } else if (c.at("alter", "table")) {
            AlterTableRules.analyze(c, v, ctx);
        } else if (c.at("alter")) {
            OtherRules.alter(c, v, ctx);
        } else if (c.at("create")) {
            CreateRules.analyze(c, v, ctx);
        } else if (c.at("drop")) {
            DropRules.analyze(c, v, ctx);
        } else if (MaintenanceRules.handles(c)) {
            MaintenanceRules.analyze(c, v, ctx);
        } else if (c.at("comment", "on")) {
            OtherRules.comment(c, v);
        } else if (c.at("grant") || c.at("revoke")) {
            OtherRules.privileges(c, v);
        } else if (c.at("set") || c.at("reset") || c.at("show")) {
            OtherRules.setting(c, v);
        } else if (c.at("do")) {
            notUnderstood(v, "a DO block runs procedural code Querk cannot see into");
        } else if (c.at("call")) {
            notUnderstood(v, "CALL runs a procedure Querk cannot see into");
        } else {
            notUnderstood(v, "'" + c.peek().text() + "' does not start a statement Querk knows");
        }
    }

    /** Words that follow ON / TO / TABLE in statements but are not table names. */
    private static final Set<String> NOT_TABLES = Set.of("insert", "update", "delete", "select", "truncate",
            "all", "function", "procedure", "schema", "database", "sequence", "type", "table", "tables",
            "conflict", "commit", "public", "current_user", "session_user", "current_role");

    /**
     * Gives the conservative verdict for a statement, or a part of one, that Querk cannot
     * read: ACCESS EXCLUSIVE on the table the statement seems to name, and a WARNING.
     */
    static void notUnderstood(Verdict v, String why) {
        SqlName table = v.table() != null ? v.table() : guessTable(v.tokens());
        if (table != null) {
            v.lock(table, LockMode.ACCESS_EXCLUSIVE);
            v.table(table);
        }
        v.action("unrecognized statement");
        v.hazard(Hazards.unrecognized(why));
    }

    /** The first name after TABLE, ON or TO outside brackets: {@code CREATE POLICY p ON t}, {@code ... TO t}. */
    private static SqlName guessTable(List<Token> tokens) {
        Cursor c = new Cursor(tokens);
        int depth = 0;
        while (!c.atEnd()) {
            Token t = c.next();
            if (t.is("(") || t.is("[")) {
                depth++;
            } else if (t.is(")") || t.is("]")) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && (t.isWord("table") || t.isWord("on") || t.isWord("to"))) {
                c.accept("only");
                Token n = c.peek();
                boolean keyword = n.type() == Token.Type.WORD
                        && (Keywords.requiresQuoting(n.folded()) || NOT_TABLES.contains(n.folded()));
                if (c.atName() && !keyword) {
                    return c.name();
                }
            }
        }
        return null;
    }

    /** @return "CREATE POLICY" for a command word and what follows it, for messages about what is not understood */
    static String describe(String command, Cursor c) {
        return c.atEnd() ? command + " with nothing after it" : command + " " + c.peek().text().toUpperCase(
                Locale.ROOT);
    }

    /** Flags functions in {@code expression} that {@code ctx}'s server version does not have. */
    static void checkFunctions(List<Token> expression, Verdict v, AnalysisContext ctx) {
        String missing = Functions.missingFunction(Functions.calls(expression), ctx.serverMajor());
        if (missing != null) {
            v.hazard(Hazards.unsupported("The function " + missing + "()", Functions.introducedIn(missing),
                    ctx.serverMajor()));
        }
    }
}
