package io.querk.internal.plan;

import io.querk.internal.sql.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A column definition as {@code CREATE TABLE} and {@code ALTER TABLE ... ADD COLUMN} write it,
 * reduced to what decides its cost: its type, default, generation and constraints.
 *
 * @param name        the column
 * @param typeTokens  its type as written
 * @param type        its type in canonical form
 * @param defaultExpr the DEFAULT expression's tokens, or null if none
 * @param notNull     declared NOT NULL (or PRIMARY KEY)
 * @param identity    GENERATED ... AS IDENTITY
 * @param generated   how a GENERATED ALWAYS AS (expr) column is kept, or {@link Generated#NONE}
 * @param references  the table a REFERENCES constraint names, or null
 * @param unique      UNIQUE or PRIMARY KEY: builds an index
 * @param check       has a CHECK constraint
 */
record ColumnDefinition(SqlName name, List<Token> typeTokens, ColumnTypes.Type type, List<Token> defaultExpr,
                        boolean notNull, boolean identity, Generated generated, SqlName references,
                        boolean unique, boolean check) {

    /** How a generated column stores its value. */
    enum Generated {
        NONE,
        /** Computed on write and stored: adding one computes it for every row. */
        STORED,
        /** Computed on read (PostgreSQL 18+; the default there when neither keyword is written). */
        VIRTUAL
    }

    /** Words that end a column's type and start one of its constraints. */
    private static final Set<String> CONSTRAINT_START = Set.of("constraint", "not", "null", "check", "default",
            "generated", "unique", "primary", "references", "collate", "compression", "storage", "deferrable",
            "initially");

    /**
     * Reads a column definition at the cursor (its name first) to the end of the cursor.
     *
     * @return the definition, or null if no column name starts here
     */
    static ColumnDefinition parse(Cursor c) {
        SqlName name = c.name();
        if (name == null) {
            return null;
        }
        List<Token> typeTokens = new ArrayList<>();
        while (!c.atEnd() && !startsConstraint(c)) {
            if (c.atSymbol("(") || c.atSymbol("[")) {
                int from = typeTokens.size();
                typeTokens.add(c.peek());
                typeTokens.addAll(c.group());
                typeTokens.add(new Token(Token.Type.PUNCTUATION, typeTokens.get(from).is("(") ? ")" : "]", -1));
            } else {
                typeTokens.add(c.next());
            }
        }
        Builder b = new Builder();
        while (!c.atEnd()) {
            constraint(c, b);
        }
        return new ColumnDefinition(name, typeTokens, ColumnTypes.parse(typeTokens), b.defaultExpr, b.notNull,
                b.identity, b.generated, b.references, b.unique, b.check);
    }

    private static boolean startsConstraint(Cursor c) {
        Token t = c.peek();
        return t.type() == Token.Type.WORD && CONSTRAINT_START.contains(t.folded());
    }

    private static void constraint(Cursor c, Builder b) {
        if (c.accept("constraint")) {
            c.name();
        } else if (c.accept("not", "null")) {
            b.notNull = true;
        } else if (c.accept("null")) {
            b.notNull = false;
        } else if (c.accept("default")) {
            b.defaultExpr = expression(c);
        } else if (c.accept("check")) {
            b.check = true;
            c.skipGroup();
        } else if (c.accept("generated")) {
            generated(c, b);
        } else if (c.accept("unique")) {
            b.unique = true;
            skipIndexOptions(c);
        } else if (c.accept("primary", "key")) {
            b.unique = true;
            b.notNull = true;
            skipIndexOptions(c);
        } else if (c.accept("references")) {
            b.references = c.name();
            c.skipGroup();
        } else if (c.accept("collate") || c.accept("compression") || c.accept("storage")) {
            c.name();
        } else {
            c.next(); // DEFERRABLE, ON DELETE CASCADE, MATCH FULL, NO INHERIT, ENFORCED ...: no cost of their own
        }
    }

    private static void generated(Cursor c, Builder b) {
        if (c.accept("always") || c.accept("by", "default")) {
            c.accept("as");
            if (c.accept("identity")) {
                b.identity = true;
                b.notNull = true;
                c.skipGroup();
                return;
            }
            c.skipGroup();
            b.generated = c.accept("stored") ? Generated.STORED : Generated.VIRTUAL;
            c.accept("virtual");
        }
    }

    /** Reads an expression up to the next column constraint outside brackets. */
    private static List<Token> expression(Cursor c) {
        List<Token> expr = new ArrayList<>();
        while (!c.atEnd() && (expr.isEmpty() || !startsConstraintAfterExpression(c))) {
            if (c.atSymbol("(") || c.atSymbol("[")) {
                Token open = c.peek();
                expr.add(open);
                expr.addAll(c.group());
                expr.add(new Token(Token.Type.PUNCTUATION, open.is("(") ? ")" : "]", -1));
            } else {
                expr.add(c.next());
            }
        }
        return expr;
    }

    private static boolean startsConstraintAfterExpression(Cursor c) {
        if (c.at("not") && !(c.at("not", "null") || c.at("not", "deferrable"))) {
            return false; // DEFAULT a IS NOT true ... keeps going; only NOT NULL / NOT DEFERRABLE end it
        }
        return startsConstraint(c);
    }

    private static void skipIndexOptions(Cursor c) {
        if (c.accept("nulls")) {
            c.accept("not");
            c.accept("distinct");
        }
        while (c.at("include") || c.at("with") || c.at("using")) {
            c.next();
            c.accept("index");
            c.accept("tablespace");
            if (c.atSymbol("(")) {
                c.skipGroup();
            } else {
                c.name();
            }
        }
    }

    /** @return true if the definition writes UNIQUE NULLS NOT DISTINCT (PostgreSQL 15+) */
    static boolean nullsNotDistinct(List<Token> tokens) {
        for (int i = 0; i + 2 < tokens.size(); i++) {
            if (tokens.get(i).isWord("nulls") && tokens.get(i + 1).isWord("not")
                    && tokens.get(i + 2).isWord("distinct")) {
                return true;
            }
        }
        return false;
    }

    private static final class Builder {
        List<Token> defaultExpr;
        boolean notNull;
        boolean identity;
        Generated generated = Generated.NONE;
        SqlName references;
        boolean unique;
        boolean check;
    }
}
