package io.querk.review;

import io.querk.Api;
import io.querk.migration.ExpandSteps;
import io.querk.migration.IndexSpec;
import io.querk.migration.Migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An index (or a few that only help together, such as one per branch of an {@code OR}) that
 * makes the reviewed query cheaper, with what it costs and how to ship and verify it.
 *
 * <pre>{@code
 * IndexProposal best = report.bestProposal().orElseThrow();
 * Migration m = best.toMigration("2026-11-24.shipments-customer-status-idx");
 * // a typed createIndex step: CONCURRENTLY, planned, guarded, rehearsable like any other
 * }</pre>
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public final class IndexProposal {

    private final int rank;
    private final List<ProposedIndex> indexes;
    private final double costBefore;
    private final double costAfter;
    private final CostBasis basis;
    private final String expectedPlan;
    private final String planText;
    private final String reason;
    private final List<FindingKind> addresses;
    private final Verification verification;
    private final String suggestedMigrationId;

    /**
     * Made by the review.
     *
     * @param rank                 1 for the cheapest query plan
     * @param indexes              the indexes, at least one
     * @param costBefore           the query's planned cost now
     * @param costAfter            its cost with the indexes in place
     * @param basis                whether that cost is the planner's (HypoPG) or Querk's estimate
     * @param expectedPlan         the plan node that uses the index, e.g. {@code Index Scan using x on shipments}
     * @param planText             the whole plan with the indexes in place, as an indented tree; empty when estimated
     * @param reason               why this shape
     * @param addresses            the findings it answers
     * @param verification         how to prove it worked
     * @param suggestedMigrationId an id for its migration, today's date and the index's name
     */
    public IndexProposal(int rank, List<ProposedIndex> indexes, double costBefore, double costAfter, CostBasis basis,
                         String expectedPlan, String planText, String reason, List<FindingKind> addresses,
                         Verification verification, String suggestedMigrationId) {
        if (indexes.isEmpty()) {
            throw new IllegalArgumentException("A proposal has at least one index");
        }
        this.rank = rank;
        this.indexes = List.copyOf(indexes);
        this.costBefore = costBefore;
        this.costAfter = costAfter;
        this.basis = Objects.requireNonNull(basis, "basis");
        this.expectedPlan = Objects.requireNonNull(expectedPlan, "expectedPlan");
        this.planText = Objects.requireNonNull(planText, "planText");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.addresses = List.copyOf(addresses);
        this.verification = Objects.requireNonNull(verification, "verification");
        this.suggestedMigrationId = Objects.requireNonNull(suggestedMigrationId, "suggestedMigrationId");
    }

    /** @return 1 for the proposal whose plan is cheapest */
    public int rank() {
        return rank;
    }

    /** @return the indexes, usually one */
    public List<ProposedIndex> indexes() {
        return indexes;
    }

    /** @return the first (usually the only) index */
    public ProposedIndex index() {
        return indexes.get(0);
    }

    /** @return the query's planned cost without the proposal */
    public double costBefore() {
        return costBefore;
    }

    /** @return the query's planned cost with the indexes in place */
    public double costAfter() {
        return costAfter;
    }

    /** @return how many times cheaper the query plans with the indexes */
    public double improvement() {
        return costAfter <= 0 ? Double.POSITIVE_INFINITY : costBefore / costAfter;
    }

    /** @return whether {@link #costAfter()} is the planner's own (HypoPG) or Querk's estimate */
    public CostBasis basis() {
        return basis;
    }

    /** @return the plan node expected to use the index */
    public String expectedPlan() {
        return expectedPlan;
    }

    /** @return the plan with the indexes in place, as an indented tree; empty for an estimate */
    public String planText() {
        return planText;
    }

    /** @return why this shape, in a sentence */
    public String reason() {
        return reason;
    }

    /** @return the findings this proposal answers */
    public List<FindingKind> addresses() {
        return addresses;
    }

    /** @return how to prove it worked, once built */
    public Verification verification() {
        return verification;
    }

    /** @return an id for the migration: the review's date and the index's name, e.g. {@code 2026-11-24.shipments-customer-id-idx} */
    public String suggestedMigrationId() {
        return suggestedMigrationId;
    }

    /** @return {@link #toMigration(String)} with the {@linkplain #suggestedMigrationId() suggested id} */
    public Migration toMigration() {
        return toMigration(suggestedMigrationId);
    }

    /**
     * The proposal as a Querk migration: one expand phase that creates the extension an operator
     * class needs (if the database lacks it) and each index with a typed {@code createIndex} step,
     * which Querk builds {@code CONCURRENTLY}, plans, guards and can rehearse like any other.
     *
     * @param migrationId the migration's id, ordered among your others
     * @return the migration
     * @throws io.querk.migration.MigrationDefinitionException if the id is not a valid migration id
     */
    public Migration toMigration(String migrationId) {
        return Migration.define(migrationId)
                .description("Index" + (indexes.size() > 1 ? "es " : " ") + names() + " from a query review: " + reason)
                .expand(this::steps)
                .build();
    }

    private void steps(ExpandSteps e) {
        List<String> extensions = new ArrayList<>();
        for (ProposedIndex ix : indexes) {
            ix.extension().filter(x -> !extensions.contains(x)).ifPresent(x -> {
                extensions.add(x);
                e.sql("CREATE EXTENSION IF NOT EXISTS " + x);
            });
        }
        for (ProposedIndex ix : indexes) {
            e.createIndex(ix.name(), ix.table(), spec -> spec(ix, spec));
        }
    }

    private static void spec(ProposedIndex ix, IndexSpec s) {
        if (!ix.method().equals("btree")) {
            s.using(ix.method());
        }
        for (IndexKey k : ix.keys()) {
            if (k.expression() != null) {
                s.expression(k.expression());
            } else if (k.operatorClass() != null) {
                s.columnWithOperatorClass(k.column(), k.operatorClass());
            } else if (k.descending()) {
                s.columnDescending(k.column());
            } else {
                s.columns(k.column());
            }
        }
        if (!ix.include().isEmpty()) {
            s.include(ix.include().toArray(String[]::new));
        }
        ix.predicate().ifPresent(s::where);
    }

    /**
     * The Java source of {@link #toMigration(String)}, to paste into your migrations.
     *
     * @param migrationId the migration's id
     * @return the source of the {@code Migration.define(...)...build()} expression
     */
    public String migrationSource(String migrationId) {
        StringBuilder b = new StringBuilder("Migration.define(").append(q(migrationId)).append(")\n");
        b.append("        .description(").append(q("Index" + (indexes.size() > 1 ? "es " : " ") + names()
                + " from a query review")).append(")\n");
        b.append("        .expand(e -> e");
        List<String> extensions = new ArrayList<>();
        for (ProposedIndex ix : indexes) {
            Optional<String> x = ix.extension().filter(v -> !extensions.contains(v));
            if (x.isPresent()) {
                extensions.add(x.get());
                b.append("\n                .sql(").append(q("CREATE EXTENSION IF NOT EXISTS " + x.get())).append(')');
            }
        }
        for (ProposedIndex ix : indexes) {
            b.append("\n                .createIndex(").append(q(ix.name())).append(", ").append(q(ix.table())).append(", i -> i");
            if (!ix.method().equals("btree")) {
                b.append("\n                        .using(").append(q(ix.method())).append(')');
            }
            List<String> plain = new ArrayList<>();
            for (IndexKey k : ix.keys()) {
                if (k.column() != null && k.operatorClass() == null && !k.descending()) {
                    plain.add(q(k.column()));
                    continue;
                }
                if (!plain.isEmpty()) {
                    b.append("\n                        .columns(").append(String.join(", ", plain)).append(')');
                    plain.clear();
                }
                if (k.expression() != null) {
                    b.append("\n                        .expression(").append(q(k.expression())).append(')');
                } else if (k.operatorClass() != null) {
                    b.append("\n                        .columnWithOperatorClass(").append(q(k.column())).append(", ")
                            .append(q(k.operatorClass())).append(')');
                } else {
                    b.append("\n                        .columnDescending(").append(q(k.column())).append(')');
                }
            }
            if (!plain.isEmpty()) {
                b.append("\n                        .columns(").append(String.join(", ", plain)).append(')');
            }
            if (!ix.include().isEmpty()) {
                b.append("\n                        .include(").append(String.join(", ", ix.include().stream().map(IndexProposal::q).toList()))
                        .append(')');
            }
            ix.predicate().ifPresent(p -> b.append("\n                        .where(").append(q(p)).append(')'));
            b.append(')');
        }
        b.append(")\n        .build()");
        return b.toString();
    }

    private String names() {
        return String.join(", ", indexes.stream().map(ProposedIndex::name).toList());
    }

    private static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "#%d %s: cost %.2f -> %.2f (%s)", rank, names(), costBefore, costAfter, basis.label());
    }
}
