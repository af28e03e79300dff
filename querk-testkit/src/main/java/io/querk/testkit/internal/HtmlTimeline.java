package io.querk.testkit.internal;

import io.querk.jdbc.Blocker;
import io.querk.testkit.RehearsalReport;
import io.querk.testkit.StepRun;
import io.querk.testkit.Stretch;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.traffic.SessionRun;
import io.querk.testkit.traffic.TrafficOp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page (inline SVG and CSS, no script, no external resource) that a person
 * reads without knowing the testkit: a lane per step (labelled with its migration id, each bar with
 * its duration), a lane per table and access with every {@link Stretch} (held solid, queued hatched
 * red, its length written on it, the threshold of an assertion drawn across it, a failing one outlined
 * and linked to the assertion it failed), a lane for the sessions the steps waited behind, and the
 * traffic's latencies on a log scale, reads and writes in fixed colours, a slow operation drawn as the
 * span it lasted. The assertions and the text report follow.
 */
public final class HtmlTimeline {

    private static final int WIDTH = 1360;
    private static final int LEFT = 360;
    // Room on the right for the label that links a failing stretch to its assertion.
    private static final int RIGHT = 150;
    private static final int LANE = 26;
    private static final int BAR = 18;
    private static final int PLOT = 240;
    /** An operation this slow is drawn as the span it lasted, not as a dot. */
    private static final long SPAN_MS = 20;
    private static final String RED = "#c0392b";

    private HtmlTimeline() {
    }

    /** The x scale of one page. */
    private record Scale(Instant origin, double pxPerMs) {
        double x(Instant t) {
            return LEFT + Math.max(0, Duration.between(origin, t).toNanos() / 1e6) * pxPerMs;
        }

        double w(Instant from, Instant to) {
            return Math.max(1.5, Duration.between(from, to).toNanos() / 1e6 * pxPerMs);
        }
    }

    public static String render(RehearsalReport r) {
        long total = Math.max(1, Duration.between(r.start(), r.end()).toMillis());
        Scale sc = new Scale(r.start(), (WIDTH - LEFT - RIGHT) / (double) total);
        List<RehearsalReport.Check> checks = r.checks();
        Map<String, List<Stretch>> lanes = new LinkedHashMap<>();
        for (Stretch s : r.stretches()) {
            lanes.computeIfAbsent(s.access().phrase() + " " + s.table(), k -> new ArrayList<>()).add(s);
        }
        for (RehearsalReport.Check c : checks) {
            lanes.computeIfAbsent(c.access().phrase() + " " + c.table(), k -> new ArrayList<>());
        }
        Map<String, List<LockInterval>> weak = new LinkedHashMap<>();
        for (LockInterval i : r.locks()) {
            if (!i.blocksWrites()) {
                weak.computeIfAbsent(i.relation(), k -> new ArrayList<>()).add(i);
            }
        }
        List<Session> sessions = sessions(r);
        int lanesCount = r.steps().size() + lanes.size() + weak.size() + sessions.size();
        int plotTop = 50 + lanesCount * LANE + 40;
        int height = plotTop + PLOT + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height));
        svg.append("<defs><pattern id=\"wait-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
                + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f6d5d1\"/>"
                + "<rect width=\"3\" height=\"6\" fill=\"" + RED + "\"/></pattern></defs>\n");
        axis(svg, total, sc, 34, plotTop + PLOT);
        int y = 50;
        for (StepRun s : r.steps()) {
            lane(svg, y, s.step().migrationId() + " · " + s.step().phase().label() + " " + s.step().number() + "/"
                    + s.step().count(), s.describe() + " [run " + s.token() + "]");
            double x = sc.x(s.start());
            double w = sc.w(s.start(), s.end());
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"step-bar %s\">"
                            + "<title>%s: %s%s</title></rect>%n", x, y, w, BAR, s.failed() ? "failed" : s.step().phase().label(),
                    esc(s.describe()), ms(s.took()), s.failed() ? " (failed)" : ""));
            duration(svg, x, w, y, ms(s.took()));
            y += LANE;
        }
        for (Map.Entry<String, List<Stretch>> e : lanes.entrySet()) {
            RehearsalReport.Check check = checks.stream().filter(c -> e.getKey().equals(c.access().phrase() + " " + c.table()))
                    .reduce((a, b) -> b).orElse(null);
            lane(svg, y, e.getKey() + (check == null ? "" : " · threshold " + check.threshold().toMillis() + " ms"), e.getKey());
            for (Stretch s : e.getValue()) {
                stretch(svg, sc, y, s, check);
            }
            y += LANE;
        }
        for (Map.Entry<String, List<LockInterval>> e : weak.entrySet()) {
            lane(svg, y, "weak locks on " + e.getKey(), "locks that block neither reads nor writes (DDL and VACUUM only)");
            for (LockInterval i : e.getValue()) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"weak\">"
                                + "<title>%s %s for %s by %s: %s</title></rect>%n", sc.x(i.start()), y + 4,
                        sc.w(i.start(), i.end()), BAR - 8, i.mode().sqlName(), i.state(), ms(i.duration()),
                        esc(r.stepOf(i).map(StepRun::describe).orElse(i.application())), esc(i.query())));
            }
            y += LANE;
        }
        for (Session s : sessions) {
            lane(svg, y, (s.blocked ? "blocker pid " : "session pid ") + s.pid + " · " + s.name, s.detail);
            double x = sc.x(s.from);
            double w = sc.w(s.from, s.to);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"blocker-bar\">"
                    + "<title>%s</title></rect>%n", x, y, w, BAR, esc(s.detail)));
            duration(svg, x, w, y, ms(Duration.between(s.from, s.to)) + " open");
            y += LANE;
        }
        plot(svg, r, sc, plotTop, checks);
        return page(r, svg.append("</svg>\n").toString(), checks);
    }

    private static void stretch(StringBuilder svg, Scale sc, int y, Stretch s, RehearsalReport.Check check) {
        boolean failed = check != null && check.failing().contains(s.number());
        String cls = s.access() == Stretch.Access.READS ? "blocks-reads" : "blocks-writes";
        svg.append(String.format(Locale.ROOT, "<g class=\"stretch%s\" id=\"stretch-%d\">%n", failed ? " failed" : "", s.number()));
        String title = esc(Messages.who(s) + ": " + s.mode().sqlName() + " on " + s.table() + ", " + ms(s.duration())
                + (s.waited().isZero() ? "" : " of which " + ms(s.waited()) + " queued") + (s.observed().isPresent()
                ? "; the traffic saw up to " + ms(s.observed().get()) : ""));
        double x = sc.x(s.start());
        double w = sc.w(s.start(), s.end());
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"hold %s\">"
                + "<title>%s</title></rect>%n", x, y, w, BAR, cls, title));
        for (LockInterval i : s.locks()) {
            if (!i.granted()) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"wait\""
                        + " fill=\"url(#wait-hatch)\"><title>queued for %s: %s</title></rect>%n", sc.x(i.start()), y,
                        sc.w(i.start(), i.end()), BAR, i.mode().sqlName(), ms(i.duration())));
            }
        }
        if (failed) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"fail-mark\"/>%n",
                    x - 2, y - 2, w + 4, BAR + 4));
        }
        duration(svg, x, w, y, ms(s.duration()));
        if (check != null && s.duration().compareTo(check.threshold()) > 0) {
            double tx = sc.x(s.start().plus(check.threshold()));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"threshold\">"
                    + "<title>threshold %d ms</title></line>%n", tx, y - 4, tx, y + BAR + 4, check.threshold().toMillis()));
        }
        if (failed) {
            svg.append(String.format(Locale.ROOT, "<a href=\"#assertion-%d\"><text x=\"%.1f\" y=\"%d\" class=\"fail-link\">"
                    + "\u2717 fails assertion %d</text></a>%n", check.number(), x + w + 8, y + BAR - 4, check.number(),
                    check.number()));
        }
        svg.append("</g>\n");
    }

    /** A session the steps waited behind, or a traffic participant. */
    private record Session(int pid, String name, Instant from, Instant to, String detail, boolean blocked) {
    }

    private static List<Session> sessions(RehearsalReport r) {
        Map<Integer, Session> out = new LinkedHashMap<>();
        java.util.Set<Integer> blockers = new java.util.HashSet<>();
        r.stretches().forEach(st -> st.blockers().forEach(b -> blockers.add(b.pid())));
        for (SessionRun s : r.sessions()) {
            out.put(s.pid(), new Session(s.pid(), s.application(), s.begin(), s.end(), "traffic session " + s.name()
                    + " (pid " + s.pid() + "): " + String.join("; ", s.statements().stream().map(SessionRun.Statement::sql)
                    .toList()), blockers.contains(s.pid())));
        }
        for (Stretch st : r.stretches()) {
            for (Blocker b : st.blockers()) {
                if (!out.containsKey(b.pid())) {
                    Instant from = b.transactionAge() == null ? st.start() : st.start().minus(b.transactionAge());
                    out.put(b.pid(), new Session(b.pid(), b.application().isBlank() ? "(no application_name)" : b.application(),
                            from.isBefore(r.start()) ? r.start() : from, st.end(), b.describe(), true));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    private static void duration(StringBuilder svg, double x, double w, int y, String text) {
        // Inside the bar when it fits, else just after it.
        boolean inside = w > 7.5 * text.length();
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"duration%s\">%s</text>%n",
                inside ? x + 4 : x + w + 4, y + BAR - 5, inside ? " inside" : "", esc(text)));
    }

    private static void lane(StringBuilder svg, int y, String label, String title) {
        String t = label.length() > 52 ? label.substring(0, 49) + "..." : label;
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" class=\"lane-label\">%s<title>%s</title></text>%n",
                y + BAR - 5, esc(t), esc(title)));
    }

    private static void axis(StringBuilder svg, long total, Scale sc, int top, int bottom) {
        long step = niceStep(total);
        for (long t = 0; t <= total; t += step) {
            double x = LEFT + t * sc.pxPerMs();
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" class=\"tick\">%s</text>%n", x, top, x, bottom, x + 2, top - 6, tick(t)));
        }
    }

    private static void plot(StringBuilder svg, RehearsalReport r, Scale sc, int top, List<RehearsalReport.Check> checks) {
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" class=\"lane-label\">traffic latency (log scale)</text>%n",
                top + 14));
        double maxMs = Math.max(10, r.traffic().stream().mapToDouble(o -> o.latency().toNanos() / 1e6).max().orElse(10));
        for (RehearsalReport.Check c : checks) {
            maxMs = Math.max(maxMs, c.threshold().toMillis());
        }
        double logMax = Math.log10(maxMs * 1.3);
        double lm = logMax;
        java.util.function.DoubleUnaryOperator yOf = ms -> top + PLOT - (Math.log10(Math.max(ms, 0.1)) + 1) / (lm + 1) * PLOT;
        for (double ms : new double[] {1, 10, 100, 1000, 10000, 100000}) {
            if (ms > maxMs * 1.3) {
                break;
            }
            double py = yOf.applyAsDouble(ms);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"tick\">%s</text>%n", LEFT, py, WIDTH - RIGHT, py, LEFT - 50, py + 4,
                    ms >= 1000 ? (long) (ms / 1000) + " s" : (long) ms + " ms"));
        }
        List<Long> drawn = new ArrayList<>();
        for (RehearsalReport.Check c : checks) {
            if (drawn.contains(c.threshold().toMillis())) {
                continue;
            }
            drawn.add(c.threshold().toMillis());
            double py = yOf.applyAsDouble(c.threshold().toMillis());
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"threshold\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"threshold-label\">threshold %d ms</text>%n", LEFT, py, WIDTH - RIGHT,
                    py, LEFT + 4, py - 4, c.threshold().toMillis()));
        }
        for (TrafficOp o : r.traffic()) {
            double ms = Math.max(0.1, o.latency().toNanos() / 1e6);
            double py = yOf.applyAsDouble(ms);
            String kind = o.kind().name().toLowerCase(Locale.ROOT);
            double x = sc.x(o.start());
            if (o.error() != null) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"error\">\u00d7<title>%s: %s</title>"
                        + "</text>%n", x - 3, py + 4, esc(o.workload()), esc(o.error())));
            } else if (ms >= SPAN_MS) {
                // A slow operation is drawn as long as it lasted: a 1.3 s stall is a 1.3 s line, not a dot.
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"op-span %s\">"
                                + "<title>%s, %s: %.1f ms</title></line>%n", x, py, x + sc.w(o.start(), o.end()), py, kind,
                        esc(o.workload()), esc(o.operation()), ms));
            } else {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.2\" class=\"op %s\"/>%n", x, py, kind));
            }
        }
    }

    private static long niceStep(long total) {
        long[] steps = {10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000, 120000, 300000};
        for (long s : steps) {
            if (total / s <= 12) {
                return s;
            }
        }
        return 600000;
    }

    private static String tick(long ms) {
        return ms < 1000 ? ms + " ms" : ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String ms(Duration d) {
        return ReportText.ms(d);
    }

    private static String page(RehearsalReport r, String svg, List<RehearsalReport.Check> checks) {
        StringBuilder list = new StringBuilder();
        if (!checks.isEmpty()) {
            list.append("<h2>Assertions</h2>\n<ol class=\"assertions\">\n");
            for (RehearsalReport.Check c : checks) {
                list.append("<li id=\"assertion-").append(c.number()).append("\" class=\"").append(c.passed() ? "passed" : "failed")
                        .append("\">").append(c.passed() ? "passed: " : "FAILED: ").append(esc(c.text()));
                if (!c.passed()) {
                    list.append(" (stretch ");
                    for (int i = 0; i < c.failing().size(); i++) {
                        list.append(i == 0 ? "" : ", ").append("<a href=\"#stretch-").append(c.failing().get(i)).append("\">")
                                .append(c.failing().get(i)).append("</a>");
                    }
                    list.append(")<pre>").append(esc(c.message())).append("</pre>");
                }
                list.append("</li>\n");
            }
            list.append("</ol>\n");
        }
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Querk rehearsal</title>\n"
                + "<style>\nbody{font-family:sans-serif;margin:24px;color:#222}\npre{background:#f6f6f6;padding:12px;"
                + "overflow-x:auto;white-space:pre-wrap}\n.grid{stroke:#e8e8e8}.tick{fill:#888;font-size:11px}"
                + ".lane-label{fill:#222}\n.expand{fill:#4c8bf5}.backfill{fill:#8e6bd6}.contract{fill:#e8a33d}.failed{fill:" + RED + "}\n"
                + ".blocks-reads{fill:" + RED + "}.blocks-writes{fill:#e67e22}.weak{fill:#b8bfc4}\n"
                + ".duration{fill:#111;font-size:11px;font-weight:bold;paint-order:stroke;stroke:#fff;stroke-width:3px;"
                + "stroke-linejoin:round}\n"
                + ".fail-mark{fill:none;stroke:#000;stroke-width:2;stroke-dasharray:4 2}.fail-link{fill:" + RED + ";font-weight:bold}\n"
                + ".threshold{stroke:#000;stroke-width:2;stroke-dasharray:6 3}.threshold-label{fill:#000;font-size:11px}\n"
                + ".blocker-bar{fill:#5d6d7e}\n.op.read{fill:#2e86de}.op.write{fill:#10ac84}"
                + ".op-span{stroke-width:3}.op-span.read{stroke:#2e86de}.op-span.write{stroke:#10ac84}"
                + ".error{fill:" + RED + ";font-weight:bold}\n"
                + ".legend span{display:inline-block;margin-right:18px}.sw{display:inline-block;width:16px;height:11px;"
                + "margin-right:5px;vertical-align:middle}\nli.failed{color:" + RED + "}li.passed{color:#1e8449}\n</style>"
                + "</head><body>\n<h1>Querk rehearsal</h1>\n<p>" + esc(r.toText().lines().findFirst().orElse("")) + "</p>\n"
                + "<p class=\"legend\">"
                + "<span><i class=\"sw\" style=\"background:#4c8bf5\"></i>expand</span>"
                + "<span><i class=\"sw\" style=\"background:#8e6bd6\"></i>backfill</span>"
                + "<span><i class=\"sw\" style=\"background:#e8a33d\"></i>contract</span>"
                + "<span><i class=\"sw\" style=\"background:" + RED + "\"></i>blocks reads and writes</span>"
                + "<span><i class=\"sw\" style=\"background:#e67e22\"></i>blocks writes</span>"
                + "<span><i class=\"sw\" style=\"background:repeating-linear-gradient(45deg," + RED + " 0 3px,#f6d5d1 3px 6px)\">"
                + "</i>queued for the lock (everyone behind it waits)</span>"
                + "<span><i class=\"sw\" style=\"border-top:2px dashed #000;height:0\"></i>threshold</span>"
                + "<span><i class=\"sw\" style=\"background:#5d6d7e\"></i>blocking session</span>"
                + "<span><i class=\"sw\" style=\"background:#2e86de\"></i>reads</span>"
                + "<span><i class=\"sw\" style=\"background:#10ac84\"></i>writes</span></p>\n"
                + svg + list + "<h2>Steps</h2>\n<pre>" + esc(r.toText()) + "</pre>\n</body></html>\n";
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
