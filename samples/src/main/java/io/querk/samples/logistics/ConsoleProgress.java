package io.querk.samples.logistics;

import io.querk.migration.StepRef;
import io.querk.jdbc.event.BackfillPaused;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.jdbc.event.PhaseStarted;
import io.querk.jdbc.event.QuerkEvent;
import io.querk.jdbc.event.QuerkListener;
import io.querk.jdbc.event.StepFailed;
import io.querk.jdbc.event.StepFinished;
import io.querk.jdbc.event.StepRetrying;
import io.querk.jdbc.event.StepStarted;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the person watching what the migration is doing: one line per step as it finishes, a
 * progress bar redrawn in place while a backfill runs, and a line for every retry or pause with
 * its reason. It also keeps when each step ran, so the report can say which step the application
 * felt.
 *
 * <p>Redrawing with {@code \r} suits a terminal; in a log (the sample's tests, CI) the bar is
 * printed as plain lines at every quarter instead.
 */
final class ConsoleProgress implements QuerkListener {

    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean live;
    private final Map<String, Instant[]> windows = new ConcurrentHashMap<>();
    private boolean barShown;
    private int lastQuarter = -1;

    ConsoleProgress(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    /** @return when the step ran, start and end (end null while it runs), or null if it never started */
    Instant[] window(String key) {
        return windows.get(key);
    }

    /** @return the key the report uses for a step */
    static String key(String migrationId, Object phase, int number) {
        return migrationId + "|" + phase + "|" + number;
    }

    static String key(StepRef step) {
        return key(step.migrationId(), step.phase(), step.number());
    }

    @Override
    public synchronized void onEvent(QuerkEvent event) {
        if (event instanceof PhaseStarted p) {
            endBar();
            out.printf(Locale.ROOT, "%s  %s%s%n", p.migrationId(), p.phase().label(), p.resumed() ? " (resumed)" : "");
        } else if (event instanceof StepStarted s) {
            windows.put(key(s.step()), new Instant[] {s.at(), null});
            lastQuarter = -1;
        } else if (event instanceof BackfillProgress p) {
            bar(p);
        } else if (event instanceof StepRetrying r) {
            endBar();
            out.printf(Locale.ROOT, "    ~ attempt %d of step %d met %s; retrying (%s)%n", r.failedAttempt(),
                    r.step().number(), r.sqlState(), r.blockers().isEmpty() ? "no blocker seen"
                            : "blocked by pid " + r.blockers().get(0).pid());
        } else if (event instanceof BackfillPaused p) {
            endBar();
            out.printf(Locale.ROOT, "    ~ backfill paused %s: %s%n", millis(p.pause()), p.reason());
        } else if (event instanceof StepFinished f) {
            ended(f.step(), f.at());
            endBar();
            out.printf(Locale.ROOT, "    ok %d/%d %-64s %8s%s%n", f.step().number(), f.step().count(),
                    cut(f.step().description(), 64), millis(f.took()),
                    f.attempts() > 1 ? "  (" + f.attempts() + " attempts)" : "");
        } else if (event instanceof StepFailed f) {
            ended(f.step(), f.at());
            endBar();
            out.printf(Locale.ROOT, "    FAILED %d/%d %s%n", f.step().number(), f.step().count(), f.step().description());
        }
    }

    private void ended(StepRef step, Instant at) {
        Instant[] w = windows.get(key(step));
        if (w != null) {
            w[1] = at;
        }
    }

    private void bar(BackfillProgress p) {
        double done = p.fractionDone();
        String eta = p.eta() == null ? "" : "  ETA " + seconds(p.eta());
        String total = p.rowsEstimated() > 0 ? String.format(Locale.ROOT, " of ~%,d", p.rowsEstimated()) : "";
        if (live) {
            int filled = done < 0 ? 0 : (int) Math.round(done * BAR_WIDTH);
            out.printf(Locale.ROOT, "\r    [%s%s] %3s  %,d%s rows  %,.0f rows/s%s   ", "#".repeat(filled),
                    ".".repeat(BAR_WIDTH - filled), done < 0 ? "" : Math.round(done * 100) + "%", p.rowsScanned(),
                    total, p.rowsPerSecond(), eta);
            out.flush();
            barShown = true;
            return;
        }
        int quarter = done < 0 ? 0 : (int) (done * 4);
        if (quarter > lastQuarter) {
            lastQuarter = quarter;
            out.printf(Locale.ROOT, "    .. %,d%s rows, %,.0f rows/s%s%n", p.rowsScanned(), total, p.rowsPerSecond(), eta);
        }
    }

    private void endBar() {
        if (barShown) {
            out.println();
            barShown = false;
        }
    }

    static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 3) + "...";
    }

    static String millis(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? ms + " ms" : seconds(d);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
