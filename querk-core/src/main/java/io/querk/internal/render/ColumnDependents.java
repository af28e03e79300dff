package io.querk.internal.render;

import io.querk.internal.sql.SqlLexer;
import io.querk.internal.sql.Token;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What depends on a column that a rename or type change replaces with a new one: its indexes,
 * constraints, the foreign keys of other tables that point at it, and anything else the catalog
 * records ({@code pg_depend}: views, triggers with column lists, policies, statistics, generated
 * columns). The first kinds are carried over to the new column; the rest cannot be, safely, and
 * are refused before anything runs, by name.
 *
 * <p>One query answers for both the planner (through its live facts) and the engine (just before
 * the step), so the plan and the run never see different lists.
 */
public final class ColumnDependents {

    /** What a dependent is. */
    public enum Kind {
        /** An index that is not a constraint's, plain or unique, on the column or an expression of it. */
        INDEX,
        /** A UNIQUE constraint. */
        UNIQUE,
        /** A CHECK constraint. */
        CHECK,
        /** A FOREIGN KEY of this table over the column. */
        FOREIGN_KEY,
        /** The primary key: carried by no rename through a new column. */
        PRIMARY_KEY,
        /** An exclusion constraint. */
        EXCLUSION,
        /** A foreign key of some table that references the column. */
        REFERENCED_BY,
        /** Anything else that depends on the column: a view, a trigger's column list, a policy. */
        OTHER;

        /** @return whether a new column can take it over, without blocking, before the old one goes */
        public boolean carried() {
            return this == INDEX || this == UNIQUE || this == CHECK || this == FOREIGN_KEY;
        }
    }

    /**
     * One dependent.
     *
     * @param kind           what it is
     * @param name           its name (an index's or constraint's), or its description for {@link Kind#OTHER}
     * @param definition     {@code pg_get_indexdef} of an index (also of a unique constraint's
     *                       index), {@code pg_get_constraintdef} of a constraint
     * @param validated      a constraint is validated (an index: true)
     * @param plain          an index keys the column itself with its type's default operator
     *                       class, without expressions or a predicate: it means the same over a
     *                       column of another type
     * @param referencedType a foreign key's referenced column type (regtype oid as text), else null
     */
    public record Dependent(Kind kind, String name, String definition, boolean validated, boolean plain,
                            String referencedType) {
    }

    private ColumnDependents() {
    }

    // The column, found once; every branch below joins it.
    private static final String COLUMN = "WITH col AS (SELECT attrelid AS t, attnum AS n FROM pg_attribute"
            + " WHERE attrelid = to_regclass(?) AND attname = ? AND attnum > 0 AND NOT attisdropped)";

    private static final String ROWS = COLUMN + "\n"
            // Indexes of the table over the column (as a key, in an expression or in a predicate), not a constraint's.
            + "SELECT 'INDEX' AS kind, ic.relname::text AS name, pg_get_indexdef(i.indexrelid) AS def, true AS validated,"
            + " (i.indexprs IS NULL AND i.indpred IS NULL AND NOT EXISTS (SELECT 1 FROM unnest(i.indclass::oid[]) oc"
            + " JOIN pg_opclass o ON o.oid = oc WHERE NOT o.opcdefault)) AS plain, NULL::text AS reftype"
            + " FROM col JOIN pg_index i ON i.indrelid = col.t JOIN pg_class ic ON ic.oid = i.indexrelid"
            + " WHERE (col.n = ANY (i.indkey::int2[]) OR EXISTS (SELECT 1 FROM pg_depend d"
            + " WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid AND d.refclassid = 'pg_class'::regclass"
            + " AND d.refobjid = col.t AND d.refobjsubid = col.n))"
            + " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = col.t)\n"
            // Constraints of the table over the column; NOT NULL ones (PostgreSQL 18 records them) are carried apart.
            + "UNION ALL SELECT CASE k.contype WHEN 'u' THEN 'UNIQUE' WHEN 'c' THEN 'CHECK' WHEN 'f' THEN 'FOREIGN_KEY'"
            + " WHEN 'p' THEN 'PRIMARY_KEY' ELSE 'EXCLUSION' END, k.conname::text,"
            + " CASE WHEN k.contype = 'u' THEN pg_get_indexdef(k.conindid) ELSE pg_get_constraintdef(k.oid) END,"
            + " k.convalidated, (k.contype <> 'u' OR NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indexrelid = k.conindid"
            + " AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL))),"
            + " (SELECT ra.atttypid::text FROM pg_attribute ra WHERE k.contype = 'f' AND ra.attrelid = k.confrelid"
            + " AND ra.attnum = k.confkey[array_position(k.conkey, col.n)])"
            + " FROM col JOIN pg_constraint k ON k.conrelid = col.t AND col.n = ANY (k.conkey)"
            + " WHERE k.contype IN ('u', 'c', 'f', 'p', 'x')\n"
            // Foreign keys elsewhere that point at the column.
            + "UNION ALL SELECT 'REFERENCED_BY', k.conname::text || ' of ' || k.conrelid::regclass::text, '', true, false, NULL"
            + " FROM col JOIN pg_constraint k ON k.confrelid = col.t AND col.n = ANY (k.confkey) WHERE k.contype = 'f'\n"
            // Everything else the catalog says depends on the column.
            + "UNION ALL SELECT DISTINCT 'OTHER', CASE WHEN d.classid = 'pg_rewrite'::regclass THEN (SELECT CASE c.relkind"
            + " WHEN 'm' THEN 'materialized view ' ELSE 'view ' END || c.oid::regclass::text FROM pg_rewrite r"
            + " JOIN pg_class c ON c.oid = r.ev_class WHERE r.oid = d.objid)"
            + " ELSE pg_describe_object(d.classid, d.objid, d.objsubid) END, '', true, false, NULL"
            + " FROM col JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = col.t"
            + " AND d.refobjsubid = col.n AND d.deptype IN ('n', 'a')"
            + " WHERE d.classid <> 'pg_constraint'::regclass"
            + " AND NOT (d.classid = 'pg_class'::regclass AND d.objid IN (SELECT indexrelid FROM pg_index WHERE indrelid = col.t))"
            + " AND NOT (d.classid = 'pg_class'::regclass AND d.objid IN (SELECT oid FROM pg_class WHERE relkind = 'S'))"
            + " AND NOT (d.classid = 'pg_attrdef'::regclass AND d.objid IN (SELECT oid FROM pg_attrdef"
            + " WHERE adrelid = col.t AND adnum = col.n))";

    /** @return the rows (kind, name, def, validated, plain, reftype) of the column's dependents, in a stable order */
    public static Probe query(QualifiedName table, Identifier column) {
        return Probe.of("SELECT kind, name, def, validated, plain, reftype FROM (" + ROWS + ") q ORDER BY kind, name",
                table.regclassText(), column.name());
    }

    /** @return the dependents, from the rows of {@link #query} (each a list of six strings) */
    public static List<Dependent> parse(List<List<String>> rows) {
        List<Dependent> out = new ArrayList<>();
        for (List<String> r : rows) {
            out.add(new Dependent(Kind.valueOf(r.get(0)), r.get(1), r.get(2), bool(r.get(3)), bool(r.get(4)), r.get(5)));
        }
        return out;
    }

    private static boolean bool(String s) {
        return s != null && (s.equals("t") || s.equalsIgnoreCase("true"));
    }

    /**
     * True when a rename through a new column can carry everything that depends on the column:
     * nothing of a kind that is not carried. For a type change ({@code newType} not null) also:
     * every index and unique constraint is plain, and every foreign key's referenced column has
     * the new type.
     */
    public static Probe carriable(QualifiedName table, Identifier column, String newType) {
        String retype = newType == null ? "" : " OR (kind IN ('INDEX', 'UNIQUE') AND NOT plain)"
                + " OR (kind = 'FOREIGN_KEY' AND reftype IS DISTINCT FROM to_regtype(?)::oid::text)";
        List<Object> params = new ArrayList<>(List.of(table.regclassText(), column.name()));
        if (newType != null) {
            params.add(newType);
        }
        return new Probe("SELECT NOT EXISTS (SELECT 1 FROM (" + ROWS + ") q WHERE kind IN ('PRIMARY_KEY', 'EXCLUSION',"
                + " 'REFERENCED_BY', 'OTHER')" + retype + ")", params);
    }

    /**
     * @return the dependents a change cannot carry, described for a message ("primary key
     *         items_pkey, view items_v"), given what the catalog said; empty if all can be
     */
    public static List<String> uncarried(List<Dependent> dependents, String newType) {
        List<String> out = new ArrayList<>();
        for (Dependent d : dependents) {
            if (!d.kind().carried()) {
                out.add(describe(d));
            } else if (newType != null && (d.kind() == Kind.INDEX || d.kind() == Kind.UNIQUE) && !d.plain()) {
                out.add(describe(d) + " (an expression, predicate or operator class over the column, whose meaning"
                        + " under " + newType + " Querk cannot know)");
            }
        }
        return out;
    }

    /** @return e.g. "check items_qty_check" */
    public static String describe(Dependent d) {
        return switch (d.kind()) {
            case OTHER -> d.name();
            case REFERENCED_BY -> "foreign key " + d.name();
            default -> d.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + d.name();
        };
    }

    /**
     * Replaces every reference to column {@code from} in a catalog-written definition with
     * {@code replacement}. Only names in the token stream are replaced: never inside a string
     * literal, never a function's name (a word followed by an opening parenthesis), never a
     * type or collation name, never a qualified name's later part.
     */
    public static String replaceColumn(String definition, Identifier from, String replacement) {
        List<Token> tokens = SqlLexer.tokenize(definition);
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!t.isNamePart() || !from.name().equals(t.catalogName())) {
                continue;
            }
            Token before = previous(tokens, i);
            Token after = next(tokens, i);
            boolean call = after != null && after.is("(");
            boolean typeOrQualified = before != null && (before.is("::") || before.is(".") || before.isWord("COLLATE"));
            if (call || typeOrQualified) {
                continue;
            }
            out.append(definition, at, t.offset()).append(replacement);
            at = t.end();
        }
        return out.append(definition.substring(at)).toString();
    }

    private static Token previous(List<Token> tokens, int i) {
        for (int j = i - 1; j >= 0; j--) {
            if (tokens.get(j).type() != Token.Type.COMMENT) {
                return tokens.get(j);
            }
        }
        return null;
    }

    private static Token next(List<Token> tokens, int i) {
        for (int j = i + 1; j < tokens.size(); j++) {
            if (tokens.get(j).type() != Token.Type.COMMENT) {
                return tokens.get(j);
            }
        }
        return null;
    }

    /**
     * An index definition as {@code pg_get_indexdef} writes it, turned into its concurrent build
     * under another name over another column: {@code CREATE [UNIQUE] INDEX CONCURRENTLY name ON
     * table USING method (...)}, the table named as the migration names it (as every other
     * statement of the step does), the column replaced in everything after the method.
     */
    public static String carriedIndex(String indexDef, QualifiedName table, Identifier newName, Identifier from,
                                      String replacement) {
        // CREATE [UNIQUE] INDEX <name> ON [ONLY] <table> USING <method> (<rest>
        int on = indexDef.indexOf(" ON ");
        int using = indexDef.indexOf(" USING ", on);
        if (!indexDef.startsWith("CREATE ") || on < 0 || using < 0) {
            throw new IllegalArgumentException("Not an index definition: " + indexDef);
        }
        String head = indexDef.substring(0, on);
        boolean unique = head.startsWith("CREATE UNIQUE INDEX ");
        String rest = indexDef.substring(using);
        int open = rest.indexOf('(');
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + newName.sql() + " ON " + table.sql()
                + rest.substring(0, open) + replaceColumn(rest.substring(open), from, replacement);
    }

    /**
     * A constraint definition as {@code pg_get_constraintdef} writes it, over the new column: for a
     * foreign key only its own column list changes (the referenced columns are another table's),
     * for a check its expression; a trailing {@code NOT VALID} is left off, since the carried one is
     * always added NOT VALID and then validated.
     */
    public static String carriedConstraint(Dependent d, Identifier from, String replacement) {
        String def = d.definition().endsWith(" NOT VALID")
                ? d.definition().substring(0, d.definition().length() - " NOT VALID".length()) : d.definition();
        if (d.kind() == Kind.FOREIGN_KEY) {
            int references = def.indexOf(" REFERENCES ");
            return replaceColumn(def.substring(0, references), from, replacement) + def.substring(references);
        }
        return replaceColumn(def, from, replacement);
    }

    /** @return the names of the dependents, for the plan's text */
    static String names(List<Dependent> dependents) {
        return dependents.stream().map(ColumnDependents::describe).collect(Collectors.joining(", "));
    }
}
