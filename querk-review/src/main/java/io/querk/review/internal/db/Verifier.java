package io.querk.review.internal.db;

import io.querk.review.QueryReviewException;
import io.querk.review.Verification;
import io.querk.review.VerificationResult;
import io.querk.review.internal.plan.PlanNode;
import io.querk.review.internal.plan.PlanReader;
import io.querk.review.internal.render.PlanText;
import io.querk.review.internal.sql.SqlText;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;

/** Runs a {@link Verification}: the catalog checks, then the query's EXPLAIN, in a read-only transaction. */
public final class Verifier {

    private Verifier() {
    }

    /**
     * @param v       the verification
     * @param ds      the database
     * @param timeout the statement timeout
     * @return what was found
     */
    public static VerificationResult check(Verification v, DataSource ds, Duration timeout) {
        try (Connection c = ds.getConnection(); Session s = new Session(c, timeout)) {
            boolean valid = !v.catalogChecks().isEmpty();
            for (String q : v.catalogChecks()) {
                Object r = s.rows(q).get(0)[0];
                valid &= Boolean.TRUE.equals(r);
            }
            int params = SqlText.of(v.query()).maxParameter();
            PlanReader.Explained ex;
            if (params > 0) {
                // No values to write in: plan the generic plan, as the review did.
                ex = new Explainer(s, v.query(), Collections.nCopies(params, null), true).explain(false);
            } else {
                ex = PlanReader.read(s.text((v.analyze() ? "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " : "EXPLAIN (FORMAT JSON) ")
                        + v.query()));
            }
            PlanNode root = ex.root();
            boolean uses = v.indexNames().stream().allMatch(name -> root.stream().anyMatch(n -> name.equals(n.indexName())));
            return new VerificationResult(valid, uses, root.totalCost(), ex.executionMs(), PlanText.render(root));
        } catch (SQLException e) {
            throw new QueryReviewException("The verification could not run: " + Session.serverMessage(e)
                    + ". Check that the DataSource reaches the database the migration ran on.", v.query(), e);
        }
    }
}
