package io.querk.samples.logistics;

import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.StepResult;
import io.querk.plan.LockMode;
import io.querk.plan.MigrationPlan;
import io.querk.plan.PlannedAction;
import io.querk.plan.PlannedLock;
import io.querk.plan.PlannedPhase;
import io.querk.plan.PlannedStep;
import io.querk.plan.TableEffect;

import io.querk.testkit.traffic.TrafficOp;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The report the sample ends with: for every step, what the planner said it would lock and do to
 * the table, how long it took, and the worst latency the application saw while it ran; then the
 * traffic as a whole and the checks on the data.
 */
final class SampleReport {

    private final Map<String, PlannedStep> planned = new HashMap<>();
    private final List<MigrationReport> runs;
    private final List<TrafficOp> ops;
    private final ConsoleProgress progress;

    SampleReport(List<MigrationPlan> plans, List<MigrationReport> runs, List<TrafficOp> ops, ConsoleProgress progress) {
        for (MigrationPlan plan : plans) {
            for (PlannedPhase phase : plan.phases()) {
                for (PlannedStep step : phase.steps()) {
                    planned.put(ConsoleProgress.key(phase.migrationId(), phase.phase(), step.number()), step);
                }
            }
        }
        this.runs = List.copyOf(runs);
        this.ops = List.copyOf(ops);
        this.progress = progress;
    }

    /** @return how many application requests failed */
    long errors() {
        return ops.stream().filter(o -> o.error() != null).count();
    }

    /** @return the latencies, in milliseconds, of the requests sent while the step ran */
    private double[] during(String key) {
        Instant[] w = progress.window(key);
        if (w == null) {
            return new double[0];
        }
        Instant end = w[1] == null ? Instant.MAX : w[1];
        return ops.stream().filter(o -> !o.start().isBefore(w[0]) && o.start().isBefore(end))
                .mapToDouble(o -> o.latency().toNanos() / 1e6).toArray();
    }

    /** @return the latency at quantile q (nearest rank), 0 if none */
    static double at(double[] millis, double q) {
        if (millis.length == 0) {
            return 0;
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    void print(PrintStream out, double totalSeconds, List<String> dataChecks) {
        out.println();
        out.println("== Report ==");
        out.printf(Locale.ROOT, "%-60s %9s %12s%n", "step, then what it locked (from the plan)", "took", "app worst");
        String migration = "";
        String felt = null;
        double feltMillis = -1;
        for (MigrationReport run : runs) {
            for (StepResult s : run.applied()) {
                if (!s.step().migrationId().equals(migration)) {
                    migration = s.step().migrationId();
                    out.println(migration);
                }
                String key = ConsoleProgress.key(s.step());
                double worst = at(during(key), 1.0);
                if (worst > feltMillis) {
                    feltMillis = worst;
                    felt = s.step().phase().label() + " " + s.step().number() + " of " + migration;
                }
                String rows = s.rows() > 0 ? String.format(Locale.ROOT, "   %,d rows at %,.0f rows/s", s.rows(),
                        s.rows() / Math.max(0.001, s.took().toMillis() / 1000.0)) : "";
                out.printf(Locale.ROOT, "  %-8s %-49s %9s %9.1f ms%s%n", s.step().phase().label(),
                        ConsoleProgress.cut(s.step().description(), 49), ConsoleProgress.millis(s.took()), worst, rows);
                PlannedStep plan = planned.get(key);
                if (plan != null) {
                    out.println("           " + locks(plan));
                }
            }
        }
        double[] all = ops.stream().mapToDouble(o -> o.latency().toNanos() / 1e6).toArray();
        out.println();
        out.printf(Locale.ROOT, "Application traffic while migrating: %,d reads, %,d writes, %d errors%n",
                ops.stream().filter(o -> o.kind() == TrafficOp.Kind.READ).count(),
                ops.stream().filter(o -> o.kind() == TrafficOp.Kind.WRITE).count(), errors());
        out.printf(Locale.ROOT, "  latency p50 %.1f ms, p99 %.1f ms, worst %.1f ms%n", at(all, 0.50), at(all, 0.99),
                at(all, 1.0));
        if (felt != null) {
            out.printf(Locale.ROOT, "  felt most during %s: %.1f ms%n", felt, feltMillis);
        }
        ops.stream().filter(o -> o.error() != null).findFirst()
                .ifPresent(o -> out.println("  first error: " + o.workload() + ": " + o.error()));
        out.println();
        dataChecks.forEach(line -> out.println("Data check: " + line));
        out.printf(Locale.ROOT, "Total: %.1f s%n", totalSeconds);
    }

    /**
     * The step's strongest lock and what it does while holding it, then any scan or rewrite that
     * happens under a weaker lock: "ACCESS EXCLUSIVE for a catalog change; reads every row under
     * SHARE UPDATE EXCLUSIVE" is the safe pattern the report is there to show.
     */
    static String locks(PlannedStep step) {
        Optional<PlannedLock> strongest = step.strongestLock();
        if (strongest.isEmpty()) {
            return "no table lock";
        }
        LockMode mode = strongest.get().mode();
        TableEffect whileStrongest = TableEffect.NONE;
        PlannedAction heaviest = null;
        for (PlannedAction a : step.actions()) {
            Optional<LockMode> m = a.strongestLock().map(PlannedLock::mode);
            if (m.isPresent() && m.get() == mode && a.effect().compareTo(whileStrongest) > 0) {
                whileStrongest = a.effect();
            }
            if (a.effect() != TableEffect.NONE && (heaviest == null || a.effect().compareTo(heaviest.effect()) > 0)) {
                heaviest = a;
            }
        }
        StringBuilder line = new StringBuilder(mode.sqlName()).append(" (blocks ").append(strongest.get().blocks())
                .append(") ").append(whileStrongest == TableEffect.NONE ? "for a catalog change only"
                        : "while it " + effect(whileStrongest));
        if (heaviest != null && whileStrongest == TableEffect.NONE) {
            PlannedLock under = heaviest.strongestLock().orElseThrow();
            line.append("; ").append(effect(heaviest.effect())).append(" under ").append(under.mode().sqlName())
                    .append(" (blocks ").append(under.blocks()).append(")");
        }
        return line.toString();
    }

    private static String effect(TableEffect e) {
        return switch (e) {
            case NONE -> "changes the catalog";
            case SCAN -> "reads every row";
            case REWRITE -> "rewrites the table";
        };
    }
}
