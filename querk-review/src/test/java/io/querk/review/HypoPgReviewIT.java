package io.querk.review;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proven path, on the PostgreSQL 15 service with HypoPG: costs are the planner's own, the
 * expected plan names the proposed index, and no hypothetical index outlives the review.
 */
class HypoPgReviewIT {

    @Test
    void proposalsAreProvenAndNoHypotheticalIndexIsLeftBehind() throws Exception {
        try (HypoPgService db = HypoPgService.create("proven")) {
            Schemas.logistics(db.dataSource(), 100_000);
            try (Connection c = db.dataSource().getConnection()) {
                DataSource one = Schemas.single(c);
                QueryReviewReport r = QueryReview.of(QueryReviewIT.SLOW).on(one).run();
                assertEquals(CostBasis.PROVEN, r.basis());
                assertTrue(r.hypoPgVersion().isPresent());
                IndexProposal best = r.bestProposal().orElseThrow(() -> new AssertionError(r.toText()));
                assertEquals(CostBasis.PROVEN, best.basis());
                assertTrue(best.expectedPlan().contains("using " + best.index().name()), best.expectedPlan());
                assertTrue(best.planText().contains(best.index().name()), best.planText());
                assertTrue(best.index().writeImpact().sizeFromHypoPg());
                assertTrue(best.index().writeImpact().estimatedSizeBytes() > 100_000 * 8L, best.index().writeImpact().toString());
                assertEquals(0, hypothetical(c), "hypothetical indexes left on the connection");

                // A candidate the server refuses (date() of a timestamptz is not immutable) must not leave any either.
                QueryReviewReport refused = QueryReview.of("SELECT id FROM shipments WHERE date(created_at) = '2025-01-02'")
                        .on(one).run();
                assertTrue(refused.notes().stream().anyMatch(n -> n.contains("IMMUTABLE")), refused.notes().toString());
                assertTrue(refused.rewrites().stream().anyMatch(w -> w.kind() == RewriteKind.SARGABLE_PREDICATE
                        && w.index().isPresent()), refused.toText());
                assertEquals(0, hypothetical(c));
                assertThrows(QueryReviewException.class, () -> QueryReview.of("SELECT * FROM shipments WHERE nope = 1").on(one).run());
                assertEquals(0, hypothetical(c));
            }
        }
    }

    @Test
    void aTrigramIndexIsEstimatedAndSaidSoAndItsExtensionShipsWithIt() throws Exception {
        try (HypoPgService db = HypoPgService.create("trigram")) {
            Schemas.logistics(db.dataSource(), 50_000);
            QueryReviewReport r = QueryReview.of("SELECT id FROM shipments WHERE tracking_no LIKE '%0004242%'")
                    .on(db.dataSource()).run();
            IndexProposal best = r.bestProposal().orElseThrow(() -> new AssertionError(r.toText()));
            assertEquals("gin", best.index().method());
            assertEquals(CostBasis.ESTIMATED, best.basis(), "HypoPG cannot simulate GIN");
            assertTrue(r.notes().stream().anyMatch(n -> n.contains("GIN")), r.notes().toString());
            assertEquals("pg_trgm", best.index().extension().orElseThrow());
            assertTrue(r.findings().stream().anyMatch(f -> f.kind() == FindingKind.LEADING_WILDCARD_LIKE));
        }
    }

    @Test
    void requiringHypoPgWhereItIsMissingSaysHowToInstallIt() throws Exception {
        try (HypoPgService db = HypoPgService.create("missing")) {
            Schemas.exec(db.dataSource(), "DROP EXTENSION hypopg", "CREATE TABLE t (id int)");
            QueryReviewException e = assertThrows(QueryReviewException.class, () -> QueryReview.of("SELECT * FROM t")
                    .hypotheticalIndexes(HypotheticalIndexes.REQUIRE).on(db.dataSource()).run());
            assertTrue(e.getMessage().contains("CREATE EXTENSION hypopg") && e.getMessage().contains("postgresql-15-hypopg"),
                    e.getMessage());
        }
    }

    private static long hypothetical(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM hypopg_list_indexes")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
