package io.querk.jdbc.fleet;

import io.querk.Api;
import io.querk.QuerkException;
import io.querk.jdbc.MigrationReport;
import io.querk.plan.MigrationPlan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One combined report of a fleet call: a result per target, in the fleet's order.
 *
 * @param operation   what was run ("migrate", "plan", or a name given to {@link Fleet#run})
 * @param startedAt   when the call began
 * @param took        how long the whole call took
 * @param parallelism how many targets ran at once at most
 * @param targets     one result per target
 * @param <T>         what the call returns per target
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record FleetReport<T>(String operation, Instant startedAt, Duration took, int parallelism,
                             List<TargetResult<T>> targets) {

    /**
     * Copies the list: a report does not change once made.
     *
     * @param operation   what was run
     * @param startedAt   when the call began
     * @param took        how long it took
     * @param parallelism how many targets ran at once at most
     * @param targets     one result per target
     */
    public FleetReport {
        targets = List.copyOf(targets);
    }

    /** @return the targets whose call returned */
    public List<TargetResult<T>> succeeded() {
        return of(TargetResult.Outcome.SUCCEEDED);
    }

    /** @return the targets whose call threw */
    public List<TargetResult<T>> failed() {
        return of(TargetResult.Outcome.FAILED);
    }

    /** @return the targets not started */
    public List<TargetResult<T>> skipped() {
        return of(TargetResult.Outcome.SKIPPED);
    }

    private List<TargetResult<T>> of(TargetResult.Outcome o) {
        return targets.stream().filter(t -> t.outcome() == o).toList();
    }

    /** @return true if every target's call returned */
    public boolean allSucceeded() {
        return succeeded().size() == targets.size();
    }

    /**
     * @return this report, if every target succeeded
     * @throws QuerkException naming each failed and skipped target, the first failure as its cause
     */
    public FleetReport<T> requireAllSucceeded() {
        if (allSucceeded()) {
            return this;
        }
        QuerkException first = failed().isEmpty() ? null : failed().get(0).failure();
        throw new QuerkException("Fleet " + operation + ": " + failed().size() + " of " + targets.size()
                + " target(s) failed and " + skipped().size() + " were not started. " + failed().stream()
                .map(t -> t.target() + ": " + t.failure().getMessage()).collect(Collectors.joining(" | "))
                + " Each target's history says how far it got; running again resumes every target where it stopped.",
                first);
    }

    /** @return a table for a log or a terminal: one line per target, the summary first */
    public String toText() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "Querk fleet %s: %d target(s), parallelism %d, %.1f s: %d succeeded, %d failed, %d not started%n",
                operation, targets.size(), parallelism, took.toMillis() / 1000.0, succeeded().size(), failed().size(),
                skipped().size()));
        int width = targets.stream().mapToInt(t -> t.target().length()).max().orElse(6);
        for (TargetResult<T> t : targets) {
            out.append(String.format(Locale.ROOT, "  %-11s %-" + width + "s %8.2f s  %s%n", label(t.outcome()),
                    t.target(), t.took().toMillis() / 1000.0, summary(t)));
        }
        return out.toString();
    }

    private static String label(TargetResult.Outcome o) {
        return switch (o) {
            case SUCCEEDED -> "ok";
            case FAILED -> "FAILED";
            case SKIPPED -> "not started";
        };
    }

    private static String summary(TargetResult<?> t) {
        if (t.outcome() == TargetResult.Outcome.FAILED) {
            String m = t.failure().getMessage();
            return m.length() > 160 ? m.substring(0, 157) + "..." : m;
        }
        Object r = t.result();
        if (r instanceof MigrationReport m) {
            return m.nothingPending() ? "nothing pending" : m.applied().size() + " step(s) applied"
                    + (m.pendingContracts().isEmpty() ? "" : ", " + m.pendingContracts().size() + " contract(s) waiting");
        }
        if (r instanceof MigrationPlan p) {
            return p.refused() ? "REFUSED" : "accepted";
        }
        return r == null ? "" : String.valueOf(r);
    }
}
