package io.querk.internal.render;

import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColumnDependentsTest {

    private static final Identifier CODE = Identifier.of("code");

    @Test
    void replacesTheColumnButNotStringsFunctionsTypesOrQualifiedParts() {
        assertEquals("CHECK ((length(ref) < 40) AND (ref <> 'code'::text))",
                ColumnDependents.replaceColumn("CHECK ((length(code) < 40) AND (code <> 'code'::text))", CODE, "ref"));
        // A function and a type that share the column's name stay what they are.
        assertEquals("CHECK ((code(ref) > (0)::code))",
                ColumnDependents.replaceColumn("CHECK ((code(code) > (0)::code))", CODE, "ref"));
        assertEquals("(x.code, ref)", ColumnDependents.replaceColumn("(x.code, code)", CODE, "ref"));
    }

    @Test
    void quotedNamesMatchExactly() {
        Identifier mixed = Identifier.of("Code");
        assertEquals("(ref, code)", ColumnDependents.replaceColumn("(\"Code\", code)", mixed, "ref"));
    }

    @Test
    void aCarriedIndexIsBuiltConcurrentlyUnderItsTemporaryNameOnTheTableAsTheMigrationNamesIt() {
        String def = "CREATE UNIQUE INDEX shipments_code_key ON public.shipments USING btree (code) WHERE (code <> ''::text)";
        assertEquals("CREATE UNIQUE INDEX CONCURRENTLY querk_carry_shipments_code_key ON shipments USING btree (ref)"
                        + " WHERE (ref <> ''::text)",
                ColumnDependents.carriedIndex(def, QualifiedName.parse("shipments"), SyncNames.carried("shipments_code_key"),
                        CODE, "ref"));
    }

    @Test
    void aForeignKeyChangesOnlyItsOwnColumnsAndLosesNotValid() {
        ColumnDependents.Dependent fk = new ColumnDependents.Dependent(ColumnDependents.Kind.FOREIGN_KEY, "f",
                "FOREIGN KEY (code) REFERENCES codes(code) ON DELETE CASCADE NOT VALID", false, false, "25");
        assertEquals("FOREIGN KEY (ref) REFERENCES codes(code) ON DELETE CASCADE",
                ColumnDependents.carriedConstraint(fk, CODE, "ref"));
    }

    @Test
    void onlyIndexesUniqueChecksAndForeignKeysAreCarriedAndATypeChangeNeedsPlainIndexes() {
        List<ColumnDependents.Dependent> deps = ColumnDependents.parse(List.of(
                List.of("INDEX", "a_idx", "CREATE INDEX a_idx ON t USING btree (lower(code))", "t", "f", ""),
                List.of("PRIMARY_KEY", "t_pkey", "PRIMARY KEY (code)", "t", "t", ""),
                List.of("OTHER", "view v", "", "t", "f", "")));
        assertEquals(List.of("primary key t_pkey", "view v"), ColumnDependents.uncarried(deps, null));
        List<String> retype = ColumnDependents.uncarried(deps, "bigint");
        assertEquals(3, retype.size(), retype.toString());
        assertTrue(retype.get(0).startsWith("index a_idx (an expression"), retype.get(0));
    }
}
