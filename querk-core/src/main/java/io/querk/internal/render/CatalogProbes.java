package io.querk.internal.render;

import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;

/**
 * The catalog questions steps ask to find out whether their effect is already there. Names
 * are always bound as parameters; tables are resolved with {@code to_regclass}, so an
 * unqualified name follows {@code search_path} exactly as the DDL will.
 */
final class CatalogProbes {

    private CatalogProbes() {
    }

    private static final String COLUMN = "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(?) AND attname = ?"
            + " AND attnum > 0 AND NOT attisdropped";
    private static final String INDEX = "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            + " WHERE i.indrelid = to_regclass(?) AND c.relname = ?";
    private static final String CONSTRAINT = "SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(?) AND conname = ?";
    private static final String TRIGGER = "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ?"
            + " AND NOT tgisinternal";

    static Probe tableExists(QualifiedName t) {
        return Probe.of("SELECT to_regclass(?) IS NOT NULL", t.regclassText());
    }

    static Probe relationMissing(QualifiedName t) {
        return Probe.of("SELECT to_regclass(?) IS NULL", t.regclassText());
    }

    static Probe columnExists(QualifiedName t, Identifier c) {
        return Probe.of("SELECT EXISTS (" + COLUMN + ")", t.regclassText(), c.name());
    }

    static Probe columnMissing(QualifiedName t, Identifier c) {
        return Probe.of("SELECT NOT EXISTS (" + COLUMN + ")", t.regclassText(), c.name());
    }

    static Probe columnNotNull(QualifiedName t, Identifier c) {
        return Probe.of("SELECT EXISTS (" + COLUMN + " AND attnotnull)", t.regclassText(), c.name());
    }

    static Probe validIndexExists(QualifiedName t, Identifier index) {
        return Probe.of("SELECT EXISTS (" + INDEX + " AND i.indisvalid)", t.regclassText(), index.name());
    }

    static Probe noInvalidIndex(QualifiedName t, Identifier index) {
        return Probe.of("SELECT NOT EXISTS (" + INDEX + " AND NOT i.indisvalid)", t.regclassText(), index.name());
    }

    static Probe constraintExists(QualifiedName t, Identifier name) {
        return Probe.of("SELECT EXISTS (" + CONSTRAINT + ")", t.regclassText(), name.name());
    }

    static Probe constraintMissing(QualifiedName t, Identifier name) {
        return Probe.of("SELECT NOT EXISTS (" + CONSTRAINT + ")", t.regclassText(), name.name());
    }

    static Probe constraintValidated(QualifiedName t, Identifier name) {
        return Probe.of("SELECT EXISTS (" + CONSTRAINT + " AND convalidated)", t.regclassText(), name.name());
    }

    static Probe triggerExists(QualifiedName t, Identifier trigger) {
        return Probe.of("SELECT EXISTS (" + TRIGGER + ")", t.regclassText(), trigger.name());
    }

    static Probe functionMissing(QualifiedName function) {
        return Probe.of("SELECT to_regprocedure(?) IS NULL", function.regclassText() + "()");
    }

    /** True when the step is finished: the column is NOT NULL and the helper check is gone. */
    static Probe notNullFinished(QualifiedName t, Identifier c, Identifier check) {
        return Probe.of("SELECT EXISTS (" + COLUMN + " AND attnotnull) AND NOT EXISTS (" + CONSTRAINT + ")",
                t.regclassText(), c.name(), t.regclassText(), check.name());
    }

    static Probe notNullOrConstraint(QualifiedName t, Identifier c, Identifier check, boolean validated) {
        return Probe.of("SELECT EXISTS (" + COLUMN + " AND attnotnull) OR EXISTS (" + CONSTRAINT
                        + (validated ? " AND convalidated" : "") + ")",
                t.regclassText(), c.name(), t.regclassText(), check.name());
    }

    static Probe indexOrConstraintExists(QualifiedName t, Identifier name) {
        return Probe.of("SELECT EXISTS (" + INDEX + " AND i.indisvalid) OR EXISTS (" + CONSTRAINT + ")",
                t.regclassText(), name.name(), t.regclassText(), name.name());
    }

    static Probe columnMissingOrConstraint(QualifiedName t, Identifier c, Identifier check, boolean validated) {
        return Probe.of("SELECT NOT EXISTS (" + COLUMN + ") OR EXISTS (" + CONSTRAINT
                        + (validated ? " AND convalidated" : "") + ")",
                t.regclassText(), c.name(), t.regclassText(), check.name());
    }

    static Probe columnAndTriggerGone(QualifiedName t, Identifier c, Identifier trigger) {
        return Probe.of("SELECT NOT EXISTS (" + COLUMN + ") AND NOT EXISTS (" + TRIGGER + ")",
                t.regclassText(), c.name(), t.regclassText(), trigger.name());
    }

    static Probe triggerMissing(QualifiedName t, Identifier trigger) {
        return Probe.of("SELECT NOT EXISTS (" + TRIGGER + ")", t.regclassText(), trigger.name());
    }

    static Probe noVolatileFunction(List<String> functionNames) {
        return Probe.of("SELECT NOT EXISTS (SELECT 1 FROM pg_proc WHERE proname = ANY (?) AND provolatile = 'v')",
                functionNames);
    }

    /** No constraint other than NOT NULL involves the column, on this table or from another. */
    /** The column is neither an identity, a generated column, nor fed by a sequence. */
    static Probe columnIsPlain(QualifiedName t, Identifier c) {
        return Probe.of("SELECT NOT EXISTS (SELECT 1 FROM pg_attribute a LEFT JOIN pg_attrdef d"
                        + " ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                        + " WHERE a.attrelid = to_regclass(?) AND a.attname = ?"
                        + " AND (a.attidentity <> '' OR a.attgenerated <> ''"
                        + " OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%'))",
                t.regclassText(), c.name());
    }
}
