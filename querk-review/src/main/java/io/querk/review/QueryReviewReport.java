package io.querk.review;

import io.querk.Api;
import io.querk.review.internal.render.ReportJson;
import io.querk.review.internal.render.ReportMarkdown;
import io.querk.review.internal.render.ReportText;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link QueryReview} found: the plan, what makes it slow, the index proposals ranked by
 * the planner's cost with each in place (cheapest first), rewrites, and notes on anything the
 * review could not do. Print it for a person ({@link #toText()}), post it on a pull request
 * ({@link #toMarkdown()}) or hand it to a tool ({@link #toJson()}, format {@value #JSON_FORMAT}).
 *
 * @param sql           the reviewed statement
 * @param serverVersion the server's version, e.g. "15.20"
 * @param basis         {@link CostBasis#PROVEN} when HypoPG proved the proposals' costs, else {@link CostBasis#ESTIMATED}
 * @param hypoPgVersion HypoPG's version when it was used
 * @param writes        the statement writes or locks rows: it was planned, never executed
 * @param parameters    each parameter and the value it was planned with
 * @param plan          the current plan
 * @param execution     what EXPLAIN ANALYZE measured, when asked for and allowed
 * @param findings      what makes it slow, the costliest first
 * @param proposals     indexes that make it cheaper, the cheapest plan first
 * @param rewrites      rewrites returning the same rows
 * @param notes         what the review could not do or assumed, e.g. costs estimated without HypoPG
 * @param reviewTime    how long the review took
 * @param reviewedAt    when it ran
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record QueryReviewReport(String sql, String serverVersion, CostBasis basis, Optional<String> hypoPgVersion,
                                boolean writes, List<ReviewedParameter> parameters, PlanSummary plan,
                                Optional<Execution> execution, List<Finding> findings, List<IndexProposal> proposals,
                                List<Rewrite> rewrites, List<String> notes, Duration reviewTime, Instant reviewedAt) {

    /** The JSON format's name; within {@code querk-review/1} fields are only ever added. */
    public static final String JSON_FORMAT = "querk-review/1";

    /**
     * Copies the lists and rejects nulls.
     *
     * @param sql           the statement
     * @param serverVersion the server's version
     * @param basis         the cost basis
     * @param hypoPgVersion HypoPG's version, or empty
     * @param writes        whether it writes
     * @param parameters    the parameters
     * @param plan          the current plan
     * @param execution     the measured run, or empty
     * @param findings      the findings
     * @param proposals     the proposals
     * @param rewrites      the rewrites
     * @param notes         the notes
     * @param reviewTime    the review's duration
     * @param reviewedAt    when it ran
     */
    public QueryReviewReport {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(basis, "basis");
        Objects.requireNonNull(hypoPgVersion, "hypoPgVersion");
        parameters = List.copyOf(parameters);
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(execution, "execution");
        findings = List.copyOf(findings);
        proposals = List.copyOf(proposals);
        rewrites = List.copyOf(rewrites);
        notes = List.copyOf(notes);
        Objects.requireNonNull(reviewTime, "reviewTime");
        Objects.requireNonNull(reviewedAt, "reviewedAt");
    }

    /** @return the proposal with the cheapest plan, if any index helps */
    public Optional<IndexProposal> bestProposal() {
        return proposals.isEmpty() ? Optional.empty() : Optional.of(proposals.get(0));
    }

    /** @return whether the review found anything to fix */
    public boolean hasFindings() {
        return !findings.isEmpty();
    }

    /** @return the report for a person: plan, findings, proposals with their impact and verification, rewrites */
    public String toText() {
        return ReportText.render(this);
    }

    /** @return the report as JSON, format {@value #JSON_FORMAT} (see docs/review.md) */
    public String toJson() {
        return ReportJson.render(this);
    }

    /** @return the report as Markdown, fit for a pull-request comment */
    public String toMarkdown() {
        return ReportMarkdown.render(this);
    }
}
