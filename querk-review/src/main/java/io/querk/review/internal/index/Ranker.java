package io.querk.review.internal.index;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ranks candidate indexes by the query's cost with each in place, as an oracle (HypoPG, or the
 * estimator) reports it. A candidate must make the query at least {@link #MIN_GAIN} cheaper and
 * be used by the plan. Costs within {@link #TIE} of each other rank the smaller index first. For a
 * query over several tables, the best index is combined greedily with the best of the others
 * while each addition cuts the cost by a fifth or more.
 */
public final class Ranker {

    /** A proposal's plan costs at most this share of the current one. */
    public static final double MIN_GAIN = 0.9;
    /** Costs this close count as equal: the smaller index ranks first. */
    public static final double TIE = 0.02;
    /** A further index joins a combination when it cuts the cost to at most this share. */
    static final double COMBINE_GAIN = 0.8;
    static final int MAX_COMBINED = 3;

    /** Evaluates sets of candidates. */
    @FunctionalInterface
    public interface Oracle {
        /**
         * @param indexes the candidates to put in place together
         * @return the query's cost with them
         * @throws SQLException if the database fails
         */
        Evaluation evaluate(List<Candidate> indexes) throws SQLException;
    }

    /**
     * A ranked set of indexes.
     *
     * @param indexes    the candidates
     * @param evaluation the cost with them in place
     */
    public record Ranked(List<Candidate> indexes, Evaluation evaluation) {
        /** Copies the list. */
        public Ranked {
            indexes = List.copyOf(indexes);
        }
    }

    /**
     * The outcome.
     *
     * @param ranked   the proposals, best first
     * @param failures why some candidates could not be tried
     */
    public record Result(List<Ranked> ranked, List<String> failures) {
    }

    private Ranker() {
    }

    /**
     * @param singles  single candidates
     * @param bundles  sets that only help together
     * @param baseline the query's cost now
     * @param oracle   what evaluates them
     * @return the proposals, best first
     * @throws SQLException if the oracle fails
     */
    public static Result rank(List<Candidate> singles, List<List<Candidate>> bundles, double baseline, Oracle oracle)
            throws SQLException {
        List<Ranked> tried = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Candidate c : singles) {
            Evaluation e = oracle.evaluate(List.of(c));
            if (e.failure() != null) {
                failures.add(c.shape() + " on " + c.table() + ": " + e.failure());
            } else {
                tried.add(new Ranked(List.of(c), e));
            }
        }
        for (List<Candidate> b : bundles) {
            Evaluation e = oracle.evaluate(b);
            if (e.failure() == null) {
                tried.add(new Ranked(b, e));
            }
        }
        List<Ranked> good = new ArrayList<>(tried.stream().filter(r -> helps(r, baseline)).toList());
        good.sort(Comparator.comparingDouble(r -> r.evaluation().cost()));
        if (!good.isEmpty() && good.get(0).indexes().size() == 1) {
            Ranked combined = combine(good.get(0), good, oracle);
            if (combined != null) {
                good.add(combined);
            }
        }
        return new Result(order(good), failures);
    }

    private static boolean helps(Ranked r, double baseline) {
        return r.evaluation().used() && r.evaluation().cost() <= baseline * MIN_GAIN;
    }

    /** Adds, while it pays, the best index on a table the combination does not index yet. */
    private static Ranked combine(Ranked start, List<Ranked> good, Oracle oracle) throws SQLException {
        List<Candidate> set = new ArrayList<>(start.indexes());
        Evaluation current = start.evaluation();
        while (set.size() < MAX_COMBINED) {
            Ranked best = null;
            for (Ranked r : good) {
                Candidate c = r.indexes().get(0);
                if (r.indexes().size() != 1 || set.stream().anyMatch(s -> s.alias().equals(c.alias()))) {
                    continue;
                }
                List<Candidate> trial = new ArrayList<>(set);
                trial.add(c);
                Evaluation e = oracle.evaluate(trial);
                if (e.failure() == null && e.used() && (best == null || e.cost() < best.evaluation().cost())) {
                    best = new Ranked(trial, e);
                }
            }
            if (best == null || best.evaluation().cost() > current.cost() * COMBINE_GAIN) {
                break;
            }
            set = new ArrayList<>(best.indexes());
            current = best.evaluation();
        }
        return set.size() > 1 ? new Ranked(set, current) : null;
    }

    /** Cheapest first; among costs within {@link #TIE} of the cheapest left, the smallest first. */
    static List<Ranked> order(List<Ranked> in) {
        List<Ranked> left = new ArrayList<>(in);
        left.sort(Comparator.comparingDouble(r -> r.evaluation().cost()));
        List<Ranked> out = new ArrayList<>();
        while (!left.isEmpty()) {
            double cheapest = left.get(0).evaluation().cost();
            Ranked pick = left.stream().filter(r -> r.evaluation().cost() <= cheapest * (1 + TIE) + 1e-9)
                    .min(Comparator.comparingLong((Ranked r) -> r.evaluation().totalSize())
                            .thenComparingInt(r -> r.indexes().stream().mapToInt(c -> c.keys().size() + c.include().size()).sum()))
                    .orElseThrow();
            out.add(pick);
            left.remove(pick);
        }
        return out;
    }
}
