package io.querk.testkit.internal;

import io.querk.jdbc.Blocker;
import io.querk.migration.StepRef;
import io.querk.migration.StepKind;
import io.querk.testkit.RehearsalReport;
import io.querk.testkit.Stretch;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The failure messages of {@code RehearsalAssertions}: what a person needs to act, each fact once. */
public final class Messages {

    private Messages() {
    }

    public static String blocking(RehearsalReport r, String table, Stretch.Access access, Duration threshold, List<Stretch> over) {
        Stretch worst = over.get(0);
        StringBuilder m = new StringBuilder();
        m.append("Expected no step to block ").append(access.phrase()).append(' ').append(table).append(" for more than ")
                .append(threshold.toMillis()).append(" ms, but ").append(over.size()).append(over.size() == 1 ? " stretch" : " stretches")
                .append(" did. The longest, ").append(worst.duration().toMillis()).append(" ms against a threshold of ")
                .append(threshold.toMillis()).append(" ms:\n");
        describe(m, worst, threshold);
        for (Stretch s : over.subList(1, Math.min(over.size(), 4))) {
            m.append("Also ").append(s.duration().toMillis()).append(" ms by ").append(who(s)).append(" (stretch-")
                    .append(s.number()).append(").\n");
        }
        if (over.size() > 4) {
            m.append("And ").append(over.size() - 4).append(" more.\n");
        }
        return m.toString().stripTrailing();
    }

    static void describe(StringBuilder m, Stretch s, Duration threshold) {
        m.append("  ").append(who(s)).append('\n');
        String lock = s.mode().sqlName() + " (" + s.mode().pgName() + ")";
        Duration waited = s.waited();
        Duration held = s.duration().minus(waited);
        m.append("  ");
        if (waited.isZero()) {
            m.append("held ").append(lock).append(" on ").append(s.table()).append(" for ").append(ms(s.duration()));
        } else if (held.isZero() || held.isNegative()) {
            m.append("waited ").append(ms(waited)).append(" for ").append(lock).append(" on ").append(s.table())
                    .append(" (everyone after it queued behind it)");
        } else {
            m.append("waited ").append(ms(waited)).append(" for ").append(lock).append(" on ").append(s.table())
                    .append(", then held it ").append(ms(held));
        }
        m.append(": ").append(ms(s.duration())).append(" at a stretch, ").append(ms(s.duration().minus(threshold)))
                .append(" over the threshold");
        if (s.pids().size() > 1) {
            m.append(" (sessions ").append(s.pids().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    .append(": the step and its parallel workers)");
        }
        m.append('\n');
        for (Blocker b : s.blockers()) {
            m.append("  blocked by ").append(b.describe()).append('\n');
        }
        if (s.step() != null) {
            List<Duration> timeouts = s.step().lockTimeouts();
            if (timeouts.size() > 1) {
                boolean grew = !timeouts.get(timeouts.size() - 1).equals(timeouts.get(0));
                m.append("  the step retried ").append(s.step().retries().size()).append(" time(s); its lock wait ")
                        .append(grew ? "grew" : "stayed the same").append(" over ").append(timeouts.size())
                        .append(" attempts: lock_timeout ").append(timeouts.stream().map(Messages::ms)
                                .collect(Collectors.joining(", "))).append('\n');
            }
        }
        s.observed().ifPresent(o -> m.append("  the traffic saw up to ").append(ms(o)).append(" on ")
                .append(s.access().phrase()).append(' ').append(s.table()).append(" meanwhile\n"));
        String sql = s.query();
        if (!sql.isBlank()) {
            m.append("  SQL: ").append(sql.length() > 300 ? sql.substring(0, 297) + "..." : sql).append('\n');
        }
    }

    /** @return the step and its run, or the session */
    public static String who(Stretch s) {
        if (s.step() == null) {
            return "A Querk session no step could be matched to (" + s.locks().get(0).application() + ")";
        }
        // A raw SQL step's description is its SQL, cut: the message prints the statement once, whole, below.
        StepRef ref = s.step().step();
        String name = ref.kind() == StepKind.RAW_SQL
                ? ref.migrationId() + " " + ref.phase().label() + " " + ref.number() + "/" + ref.count()
                : s.step().describe();
        return "Step " + name + " [run " + s.step().token() + "]";
    }

    static String ms(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
