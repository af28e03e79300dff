package io.querk.testkit.internal;

import io.querk.testkit.RehearsalReport;
import io.querk.testkit.StepRun;
import io.querk.testkit.Stretch;
import io.querk.testkit.traffic.TrafficOp;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The rehearsal report as a table a person reads in seconds: worst things first, per step. */
public final class ReportText {

    private ReportText() {
    }

    public static String render(RehearsalReport r) {
        StringBuilder sb = new StringBuilder();
        List<TrafficOp> ops = r.traffic();
        long errors = ops.stream().filter(o -> o.error() != null).count();
        sb.append(String.format(Locale.ROOT, "Rehearsal on %s: %d step(s) in %s", r.server(), r.steps().size(),
                ms(Duration.between(r.start(), r.end()))));
        if (!ops.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "; traffic %,d ops (%d errors), p99 %s, worst %s", ops.size(), errors,
                    ms(RehearsalReport.quantile(ops, 0.99)), ms(RehearsalReport.quantile(ops, 1.0))));
        }
        sb.append('\n');
        r.error().ifPresent(e -> sb.append("FAILED: ").append(e.getMessage()).append('\n'));
        sb.append(String.format(Locale.ROOT, "%n%-58s %-6s %9s  %-26s %-26s %s%n", "step", "run", "took",
                "longest read block", "longest write block", "traffic p99 / max"));
        for (StepRun s : r.steps()) {
            List<TrafficOp> during = r.trafficDuring(s);
            sb.append(String.format(Locale.ROOT, "%-58s %-6s %9s  %-26s %-26s %s%n", cut(s.describe(), 58), s.token(),
                    ms(s.took()), worst(r, s, Stretch.Access.READS), worst(r, s, Stretch.Access.WRITES), during.isEmpty() ? "-"
                            : ms(RehearsalReport.quantile(during, 0.99)) + " / " + ms(RehearsalReport.quantile(during, 1.0))));
        }
        return sb.toString();
    }

    private static String worst(RehearsalReport r, StepRun s, Stretch.Access access) {
        Optional<Stretch> w = r.stretches().stream().filter(x -> x.access() == access && s.equals(x.step()))
                .max(Comparator.comparing(Stretch::duration));
        // "(q)": part of the stretch was spent queued for the lock rather than holding it; blocking all the same.
        return w.map(x -> cut(x.table().replaceFirst("^public\\.", ""), 16) + " " + ms(x.duration())
                + (x.waited().isZero() ? "" : " (q)")).orElse("-");
    }

    static String ms(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 3) + "...";
    }
}
