package io.querk.internal.plan;

import io.querk.internal.sql.Token;
import io.querk.plan.TableEffect;
import io.querk.plan.TableFacts;

import java.util.List;
import java.util.Optional;

import static io.querk.plan.LockMode.ACCESS_EXCLUSIVE;
import static io.querk.plan.LockMode.SHARE_ROW_EXCLUSIVE;

/**
 * {@code ALTER TABLE ... ADD [CONSTRAINT name] ...} and the cost of making a column NOT NULL.
 * A constraint added without NOT VALID is checked against every row while the statement's
 * lock is held; NOT VALID defers that to VALIDATE CONSTRAINT, which needs only SHARE UPDATE
 * EXCLUSIVE. UNIQUE, PRIMARY KEY and EXCLUDE build an index under ACCESS EXCLUSIVE unless
 * they adopt an existing one with USING INDEX.
 */
final class ConstraintRules {

    private final Verdict v;
    private final AnalysisContext ctx;
    private final SqlName table;
    private final boolean isNew;
    private final boolean dropsConstraintToo;
    private String named = "";

    /**
     * @param dropsConstraintToo true if the same ALTER TABLE also drops a constraint: PostgreSQL
     *                           runs the drops first, so a CHECK that would spare SET NOT NULL
     *                           its scan may be gone by the time the scan is decided
     */
    ConstraintRules(Verdict v, AnalysisContext ctx, SqlName table, boolean dropsConstraintToo) {
        this.v = v;
        this.ctx = ctx;
        this.table = table;
        this.isNew = ctx.isNew(table);
        this.dropsConstraintToo = dropsConstraintToo;
    }

    /** Reads a table constraint at the cursor ({@code CONSTRAINT name CHECK (...) NOT VALID}). */
    void add(Cursor c) {
        SqlName constraint = c.accept("constraint") ? c.name() : null;
        String name = constraint == null ? "(unnamed)" : constraint.written();
        String catalogName = constraint == null ? null : constraint.normalized();
        String added = constraint == null ? "ADD " : "ADD CONSTRAINT " + name + " ";
        this.named = constraint == null ? "" : " " + name;
        List<Token> rest = c.rest();
        boolean notValid = hasWords(rest, "not", "valid");
        boolean notEnforced = hasWords(rest, "not", "enforced");
        if (notEnforced && ctx.serverMajor() < 18) {
            v.hazard(Hazards.unsupported("NOT ENFORCED", 18, ctx.serverMajor()));
        }
        boolean deferred = notValid || notEnforced || isNew;
        if (c.accept("check")) {
            String column = c.atSymbol("(") ? notNullCheckColumn(c.group()) : null;
            if (column != null) {
                ctx.script().notNullCheck(table, catalogName, column, !notValid);
            }
            v.lock(table, ACCESS_EXCLUSIVE);
            action("adds CHECK constraint " + name, deferred);
            if (!deferred) {
                v.effect(TableEffect.SCAN);
                v.hazard(Hazards.checkUnderLock(table, added + "CHECK", catalogName));
            }
        } else if (c.accept("foreign", "key")) {
            foreignKey(c, constraint, added + "FOREIGN KEY", deferred);
        } else if (c.at("unique") || c.at("primary", "key")) {
            index(c, added);
        } else if (c.accept("exclude")) {
            v.lock(table, ACCESS_EXCLUSIVE);
            v.action("adds exclusion constraint " + name + ", building its index under the lock");
            if (!isNew) {
                v.effect(TableEffect.SCAN);
                v.hazard(Hazards.excludeUnderLock(table));
            }
        } else if (c.accept("not", "null")) {
            notNullConstraint(c, name, notValid);
        } else {
            v.lock(table, ACCESS_EXCLUSIVE);
            RawSqlAnalyzer.notUnderstood(v, "the constraint '" + Cursor.text(rest) + "' is not one Querk knows");
        }
    }

    private void foreignKey(Cursor c, SqlName constraint, String added, boolean deferred) {
        c.skipGroup();
        c.accept("references");
        SqlName referenced = c.name();
        v.lock(table, SHARE_ROW_EXCLUSIVE);
        v.lock(referenced, SHARE_ROW_EXCLUSIVE);
        if (referenced != null && constraint != null) {
            ctx.script().foreignKey(table, constraint.normalized(), referenced);
        }
        action("adds foreign key " + (constraint == null ? "" : constraint + " ") + "referencing " + referenced,
                deferred);
        if (!deferred) {
            v.effect(TableEffect.SCAN);
            v.hazard(Hazards.foreignKeyUnderLock(table, referenced, added,
                    constraint == null ? null : constraint.normalized()));
        }
    }

    private void index(Cursor c, String added) {
        boolean primary = c.at("primary");
        String kind = primary ? "PRIMARY KEY" : "UNIQUE";
        c.accept("unique");
        c.accept("primary", "key");
        v.lock(table, ACCESS_EXCLUSIVE);
        if (c.accept("using", "index")) {
            SqlName index = c.name();
            List<String> columns = index == null ? null : ctx.script().indexColumns(index);
            boolean allNotNull = columns != null && columns.stream().allMatch(col -> ctx.script().isNotNull(table, col));
            if (primary && !isNew && !allNotNull) {
                // Columns of the index not yet NOT NULL are made so, with a scan, under this lock.
                v.effect(TableEffect.SCAN);
                v.hazard(Hazards.mayScanPrimaryKey(table, index));
            }
            v.action("adds " + kind + named + " using the existing index " + index);
            return;
        }
        if (ColumnDefinition.nullsNotDistinct(c.rest()) && ctx.serverMajor() < 15) {
            v.hazard(Hazards.unsupported("UNIQUE NULLS NOT DISTINCT", 15, ctx.serverMajor()));
        }
        v.action("adds " + kind + named + ", building its index under the lock");
        if (!isNew) {
            v.effect(TableEffect.SCAN);
            v.hazard(Hazards.uniqueUnderLock(table, added + kind));
        }
    }

    /** PostgreSQL 18's {@code ADD CONSTRAINT name NOT NULL column [NOT VALID]}. */
    private void notNullConstraint(Cursor c, String name, boolean notValid) {
        SqlName column = c.name();
        v.lock(table, ACCESS_EXCLUSIVE);
        if (ctx.serverMajor() < 18) {
            v.hazard(Hazards.unsupported("ADD CONSTRAINT ... NOT NULL" + (notValid ? " ... NOT VALID" : ""), 18,
                    ctx.serverMajor()));
        }
        if (notValid) {
            v.action("adds NOT NULL constraint " + name + " on " + column + " NOT VALID (catalog only)");
            return;
        }
        v.action("adds NOT NULL constraint " + name + " on " + column);
        if (column != null) {
            notNullCost(column);
        }
    }

    /**
     * Decides whether making {@code column} NOT NULL scans the table: it does not when a
     * validated {@code CHECK (column IS NOT NULL)} already proves it, which only a live
     * database can tell.
     */
    void notNullCost(SqlName column) {
        if (isNew) {
            return;
        }
        if (ctx.script().isNotNull(table, column.last()) && !dropsConstraintToo) {
            v.action("no scan: an earlier statement proves " + column.written() + " has no NULL");
            return;
        }
        Optional<TableFacts> facts = ctx.factsFor(table);
        String col = column.written();
        if (facts.isEmpty()) {
            v.effect(TableEffect.SCAN);
            v.hazard(Hazards.mayScan(table, col, "offline, Querk cannot see whether a validated CHECK (" + col
                    + " IS NOT NULL) spares the scan"));
        } else if (!facts.get().provenNotNull().contains(column.last())) {
            v.effect(TableEffect.SCAN);
            v.hazard(Hazards.setNotNullScan(table, col));
        } else if (dropsConstraintToo) {
            v.effect(TableEffect.SCAN);
            v.hazard(Hazards.setNotNullScan(table, col, " The same ALTER TABLE drops a constraint, and PostgreSQL"
                    + " runs drops first: the CHECK that would spare the scan may be gone by then."));
        } else {
            v.action("no scan: a validated CHECK proves " + col + " has no NULL");
        }
    }

    /** @return the column of a {@code CHECK (column IS NOT NULL)} body (brackets around it allowed), or null */
    static String notNullCheckColumn(List<Token> body) {
        List<Token> b = body;
        while (b.size() >= 2 && b.get(0).is("(") && b.get(b.size() - 1).is(")")) {
            b = b.subList(1, b.size() - 1);
        }
        if (b.size() == 4 && SqlName.isNamePart(b.get(0)) && b.get(1).isWord("is") && b.get(2).isWord("not")
                && b.get(3).isWord("null")) {
            return SqlName.normalize(b.get(0));
        }
        return null;
    }

    private void action(String what, boolean deferred) {
        v.action(what + (deferred ? " without checking existing rows" : ", checking every existing row"));
    }

    private static boolean hasWords(List<Token> tokens, String first, String second) {
        int depth = 0;
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(")) {
                depth++;
            } else if (t.is(")")) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && t.isWord(first) && tokens.get(i + 1).isWord(second)) {
                return true;
            }
        }
        return false;
    }
}
