package io.querk.review;

import io.querk.migration.Migration;
import io.querk.migration.Phase;
import io.querk.plan.MigrationPlan;
import io.querk.plan.Planner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input is refused before anything touches a database; a proposal ships as a planned migration. */
class QueryReviewTest {

    @Test
    void blankSqlSaysWhatToPass() {
        QueryReviewException e = assertThrows(QueryReviewException.class, () -> QueryReview.of("  \n "));
        assertTrue(e.getMessage().contains("blank") && e.getMessage().contains("QueryReview.of(\"SELECT"), e.getMessage());
        assertThrows(QueryReviewException.class, () -> QueryReview.of(null));
    }

    @Test
    void oneStatementOnly() {
        QueryReviewException e = assertThrows(QueryReviewException.class,
                () -> QueryReview.of("SELECT 1;\nDELETE FROM shipments"));
        assertTrue(e.getMessage().contains("more than one statement") && e.getMessage().contains("line 2, column 1"),
                e.getMessage());
        assertEquals("SELECT 1", QueryReview.of("SELECT 1;").build().sql());
    }

    @Test
    void unterminatedStringsAreNamed() {
        QueryReviewException e = assertThrows(QueryReviewException.class, () -> QueryReview.of("SELECT 'x FROM t"));
        assertTrue(e.getMessage().contains("unterminated string"), e.getMessage());
    }

    @Test
    void settingsAreValidatedAndDefaulted() {
        QueryReview r = QueryReview.of("SELECT 1").build();
        assertEquals(QueryReview.DEFAULT_STATEMENT_TIMEOUT, r.statementTimeout());
        assertEquals(HypotheticalIndexes.AUTO, r.hypotheticalIndexes());
        assertTrue(r.parameters().isEmpty(), "absent: sampled");
        assertEquals(List.of(), QueryReview.of("SELECT 1").parameters().build().parameters().orElseThrow());
        assertThrows(QueryReviewException.class, () -> QueryReview.of("SELECT 1").statementTimeout(Duration.ZERO));
        QueryReviewException bad = assertThrows(QueryReviewException.class,
                () -> QueryReview.of("SELECT $1").parameters(new Object()));
        assertTrue(bad.getMessage().contains("$1") && bad.getMessage().contains("java.lang.Object"), bad.getMessage());
        QueryReviewException noDb = assertThrows(QueryReviewException.class, () -> QueryReview.of("SELECT 1").run());
        assertTrue(noDb.getMessage().contains("on(dataSource)"), noDb.getMessage());
        assertTrue(QueryReview.of("SELECT $1").parameters((Object) null).build().parameters().orElseThrow().contains(null));
    }

    @Test
    void aProposalIsATypedCreateIndexStepThatPlansConcurrently() {
        IndexProposal p = SampleReport.proposal();
        Migration m = p.toMigration();
        assertEquals("2026-11-24.shipments-customer-id-created-at-idx", m.id());
        assertEquals(1, m.steps(Phase.EXPAND).size());
        MigrationPlan plan = Planner.forServer(15).plan(m).requireAccepted();
        assertTrue(plan.steps().get(0).actions().stream().flatMap(a -> a.statements().stream())
                .anyMatch(s -> s.equals(SampleReport.proposal().index().definition())), plan.toText());
        String source = p.migrationSource("2026-11-24.x");
        assertTrue(source.contains(".createIndex(\"shipments_customer_id_created_at_idx\", \"shipments\", i -> i\n"
                + "                        .columns(\"customer_id\", \"created_at\"))"), source);
    }

    @Test
    void trigramsAndDescendingKeysAndPredicatesShipToo() {
        WriteImpact w = SampleReport.proposal().index().writeImpact();
        ProposedIndex trgm = new ProposedIndex("shipments_notes_trgm_idx", "shipments", "gin",
                List.of(new IndexKey("notes", null, false, "gin_trgm_ops")), List.of(), java.util.Optional.empty(),
                java.util.Optional.of("pg_trgm"), "", w);
        ProposedIndex part = new ProposedIndex("shipments_created_at_part_idx", "shipments", "btree",
                List.of(new IndexKey("created_at", null, true, null), new IndexKey(null, "lower(dest_city)", false, null)),
                List.of("id"), java.util.Optional.of("delivered_at IS NULL"), java.util.Optional.empty(), "", w);
        IndexProposal p = new IndexProposal(1, List.of(trgm, part), 100, 10, CostBasis.ESTIMATED, "", "", "r", List.of(),
                SampleReport.proposal().verification(), LocalDate.of(2026, 11, 24) + ".x");
        List<String> statements = Planner.forServer(16).plan(p.toMigration()).requireAccepted().steps().stream()
                .flatMap(s -> s.actions().stream()).flatMap(a -> a.statements().stream()).toList();
        assertTrue(statements.contains("CREATE EXTENSION IF NOT EXISTS pg_trgm"), statements.toString());
        assertTrue(statements.contains("CREATE INDEX CONCURRENTLY shipments_notes_trgm_idx ON shipments USING gin"
                + " (notes gin_trgm_ops)"), statements.toString());
        assertTrue(statements.contains("CREATE INDEX CONCURRENTLY shipments_created_at_part_idx ON shipments"
                + " (created_at DESC, (lower(dest_city))) INCLUDE (id) WHERE delivered_at IS NULL"), statements.toString());
    }
}
