package io.querk.testkit.internal;

import io.querk.plan.LockMode;
import io.querk.testkit.RehearsalReport;
import io.querk.testkit.StepRun;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.traffic.TrafficOp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page (inline SVG and CSS, no script, no external resource): a lane per
 * step, a lane per table with every lock held (solid) or waited for (hatched), coloured by what it
 * blocks, and the traffic's latencies plotted below on a logarithmic scale. Hovering shows details.
 */
public final class HtmlTimeline {

    private static final int WIDTH = 1200;
    private static final int LEFT = 260;
    private static final int LANE = 22;
    private static final int PLOT = 220;

    private HtmlTimeline() {
    }

    public static String render(RehearsalReport r) {
        long total = Math.max(1, Duration.between(r.start(), r.end()).toMillis());
        double scale = (WIDTH - LEFT - 20) / (double) total;
        Map<String, List<LockInterval>> byRelation = new LinkedHashMap<>();
        for (LockInterval i : r.locks()) {
            byRelation.computeIfAbsent(i.relation(), k -> new ArrayList<>()).add(i);
        }
        int lanes = r.steps().size() + byRelation.size();
        int plotTop = 40 + lanes * LANE + 30;
        int height = plotTop + PLOT + 60;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n")
                .append("<defs><pattern id=\"wait\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
                        + " patternTransform=\"rotate(45)\"><rect width=\"3\" height=\"6\" fill=\"currentColor\"/></pattern></defs>\n");
        axis(svg, total, scale, 30, plotTop + PLOT);
        int y = 40;
        for (StepRun s : r.steps()) {
            double x = LEFT + Duration.between(r.start(), s.start()).toMillis() * scale;
            double w = Math.max(1, s.took().toMillis() * scale);
            label(svg, y, s.step().phase().label() + " " + s.step().number() + "/" + s.step().count() + " "
                    + s.step().description());
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"%s\">"
                            + "<title>%s — %d ms%s</title></rect>%n", x, y, w, LANE - 6,
                    s.failed() ? "failed" : s.step().phase().label(), esc(s.describe()), s.took().toMillis(),
                    s.failed() ? " (failed)" : ""));
            y += LANE;
        }
        for (Map.Entry<String, List<LockInterval>> e : byRelation.entrySet()) {
            label(svg, y, "locks on " + e.getKey());
            for (LockInterval i : e.getValue()) {
                double x = LEFT + Duration.between(r.start(), i.start()).toMillis() * scale;
                double w = Math.max(1.5, i.duration().toMillis() * scale);
                String step = r.stepOf(i).map(StepRun::describe).orElse(i.application());
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"%s\""
                                + " fill=\"%s\"><title>%s %s for %d ms by %s: %s</title></rect>%n", x, y, w, LANE - 6,
                        lockClass(i.mode()), i.granted() ? "currentColor" : "url(#wait)", i.mode().sqlName(), i.state(),
                        i.duration().toMillis(), esc(step), esc(i.query())));
            }
            y += LANE;
        }
        plot(svg, r, scale, plotTop);
        return page(r, svg.append("</svg>\n").toString());
    }

    private static void axis(StringBuilder svg, long total, double scale, int top, int bottom) {
        long step = niceStep(total);
        for (long t = 0; t <= total; t += step) {
            double x = LEFT + t * scale;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" class=\"tick\">%s</text>%n", x, top, x, bottom, x + 2, top - 4, tick(t)));
        }
    }

    private static void plot(StringBuilder svg, RehearsalReport r, double scale, int top) {
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">traffic latency (log scale)</text>%n", top + 12));
        double maxMs = Math.max(10, r.traffic().stream().mapToLong(o -> o.latency().toMillis()).max().orElse(10));
        double logMax = Math.log10(maxMs * 1.2);
        for (double ms : new double[] {1, 10, 100, 1000, 10000}) {
            if (ms > maxMs * 1.2) {
                break;
            }
            double py = top + PLOT - (Math.log10(Math.max(ms, 0.1)) + 1) / (logMax + 1) * PLOT;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" class=\"tick\">%s</text>%n", LEFT, py, WIDTH - 20, py, LEFT - 50, py + 4,
                    ms >= 1000 ? (long) (ms / 1000) + " s" : (long) ms + " ms"));
        }
        List<String> workloads = r.traffic().stream().map(TrafficOp::workload).distinct().toList();
        for (TrafficOp o : r.traffic()) {
            double x = LEFT + Duration.between(r.start(), o.start()).toMillis() * scale;
            double ms = Math.max(0.1, o.latency().toNanos() / 1e6);
            double py = top + PLOT - (Math.log10(ms) + 1) / (logMax + 1) * PLOT;
            int k = workloads.indexOf(o.workload());
            if (o.error() != null) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"error\">×<title>%s: %s</title>"
                        + "</text>%n", x - 3, py + 4, esc(o.workload()), esc(o.error())));
            } else if (ms >= 5 || k < 0) {
                // Fast operations are drawn thinly: thousands of them would drown the slow ones that matter.
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" class=\"w%d\">"
                        + "<title>%s: %.1f ms</title></circle>%n", x, py, k % 4, esc(o.workload()), ms));
            } else {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1\" class=\"w%d\"/>%n",
                        x, py, k % 4));
            }
        }
        int ly = top + PLOT + 30;
        for (int k = 0; k < workloads.size(); k++) {
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" class=\"w%d\"/><text x=\"%d\" y=\"%d\">%s"
                    + "</text>%n", LEFT + k * 200, ly, k % 4, LEFT + k * 200 + 8, ly + 4, esc(workloads.get(k))));
        }
    }

    private static String lockClass(LockMode m) {
        return m.blocksReads() ? "blocks-reads" : m.blocksWrites() ? "blocks-writes" : "weak";
    }

    private static void label(StringBuilder svg, int y, String text) {
        String t = text.length() > 42 ? text.substring(0, 39) + "..." : text;
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s<title>%s</title></text>%n", y + 12, esc(t), esc(text)));
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

    private static String page(RehearsalReport r, String svg) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Querk rehearsal</title>\n"
                + "<style>\nbody{font-family:sans-serif;margin:24px;color:#222}\npre{background:#f6f6f6;padding:12px;"
                + "overflow-x:auto}\n.grid{stroke:#e4e4e4}.tick{fill:#888}.expand{fill:#4c8bf5}.backfill{fill:#8e6bd6}"
                + ".contract{fill:#e8a33d}.failed{fill:#c0392b}\n.blocks-reads{color:#c0392b}.blocks-writes{color:#e67e22}"
                + ".weak{color:#7f8c8d}.error{fill:#c0392b;font-weight:bold}\n.w0{fill:#2e86de}.w1{fill:#10ac84}"
                + ".w2{fill:#8e44ad}.w3{fill:#f39c12}\n.legend span{display:inline-block;margin-right:18px}"
                + ".sw{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle}\n</style>"
                + "</head><body>\n<h1>Querk rehearsal</h1>\n<p class=\"legend\">"
                + "<span><i class=\"sw\" style=\"background:#c0392b\"></i>blocks reads and writes</span>"
                + "<span><i class=\"sw\" style=\"background:#e67e22\"></i>blocks writes</span>"
                + "<span><i class=\"sw\" style=\"background:#7f8c8d\"></i>blocks only DDL and vacuum</span>"
                + "<span>solid: held; hatched: waited for (everyone queues behind it)</span></p>\n"
                + svg + "<h2>Steps</h2>\n<pre>" + esc(r.toText()) + "</pre>\n</body></html>\n";
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
