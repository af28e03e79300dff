package io.querk.testkit;

import io.querk.jdbc.Blocker;
import io.querk.migration.StepRef;
import io.querk.jdbc.event.LockWaiting;
import io.querk.migration.Phase;
import io.querk.migration.StepKind;
import io.querk.plan.LockMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.querk.testkit.Fixture.lock;
import static io.querk.testkit.Fixture.read;
import static io.querk.testkit.Fixture.report;
import static io.querk.testkit.Fixture.run;
import static io.querk.testkit.Fixture.write;
import static io.querk.testkit.RehearsalAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 9: the timeline, rendered by a real browser (Debian's headless Chromium), shows what a
 * person needs to read it: bars labelled with their durations, the threshold, the stretch that
 * failed the assertion marked and linked to it, waits hatched red, reads and writes in stable
 * colours with a legend, the migration id in the lane labels, and a long operation as a span.
 */
class TimelineInBrowserIT {

    private static final String ID = "2026-11-24.shipments-weight-bigint";

    static RehearsalReport failedRehearsal() {
        StepRun add = run(new StepRef(ID, Phase.EXPAND, 1, 2, StepKind.ADD_COLUMN, "add column shipments.note text"), 0, 40);
        StepRef rewriteRef = new StepRef(ID, Phase.EXPAND, 2, 2, StepKind.RAW_SQL,
                "sql (unchecked): ALTER TABLE shipments ALTER COLUMN weight TYPE bigint");
        StepRun plain = run(rewriteRef, 40, 1500);
        // The engine saw a report's session in the way while the ALTER queued.
        Blocker report = new Blocker(4242, "app", "querk-testkit/nightly-report", "idle in transaction",
                Duration.ofMillis(900), "SELECT count(*) FROM shipments");
        StepRun rewrite = new StepRun(rewriteRef, plain.token(), plain.start(), plain.end(), List.of(), false,
                List.of(new LockWaiting(Fixture.at(300), rewriteRef, "ALTER TABLE shipments ...", Duration.ofMillis(240),
                        List.of(report))), List.of());
        RehearsalReport r = report(List.of(add, rewrite), List.of(
                lock(add, 100, "public.shipments", LockMode.ACCESS_EXCLUSIVE, true, 5, 20, "ALTER TABLE shipments ADD ..."),
                lock(rewrite, 100, "public.shipments", LockMode.ACCESS_EXCLUSIVE, false, 60, 809, "ALTER TABLE shipments ..."),
                lock(rewrite, 100, "public.shipments", LockMode.ACCESS_EXCLUSIVE, true, 809, 1407, "ALTER TABLE shipments ...")),
                List.of(read("shipments", 2, 1), write("shipments", 3, 2), read("shipments", 65, 1342),
                        write("shipments", 70, 1336), read("shipments", 1420, 2), write("shipments", 1430, 1)));
        assertThrows(AssertionError.class,
                () -> assertThat(r).noStepBlocksReadsOf("shipments").longerThan(Duration.ofSeconds(1)));
        return r;
    }

    @Test
    void theBrowserShowsLabelsTheThresholdTheFailingStretchAndTheWaits(@TempDir Path dir) throws Exception {
        RehearsalReport r = failedRehearsal();
        Path page = r.writeHtml(dir.resolve("timeline.html"));
        String dom = Chromium.dumpDom(page, dir.resolve("profile"));

        // A bar per step, each labelled with its duration.
        assertEquals(2, count(dom, "<rect[^>]*class=\"step-bar"), dom);
        assertTrue(Pattern.compile("<text[^>]*class=\"[^\"]*duration[^\"]*\"[^>]*>1460 ms</text>").matcher(dom).find(), dom);
        // The migration id in the lane labels.
        assertTrue(Pattern.compile("<text[^>]*class=\"lane-label\"[^>]*>[^<]*" + Pattern.quote(ID)).matcher(dom).find(), dom);
        // The stretch: one, of 1347 ms, marked failed, with its wait hatched red, linked to the assertion.
        Matcher stretch = Pattern.compile("<g[^>]*class=\"stretch failed\"[^>]*id=\"(stretch-\\d+)\"").matcher(dom);
        assertTrue(stretch.find(), dom);
        assertTrue(Pattern.compile("<text[^>]*class=\"[^\"]*duration[^\"]*\"[^>]*>1347 ms</text>").matcher(dom).find(), dom);
        assertTrue(dom.contains("fill=\"url(#wait-hatch)\""), dom);
        assertTrue(Pattern.compile("<pattern[^>]*id=\"wait-hatch\"[\\s\\S]*?#c0392b").matcher(dom).find(), dom);
        assertTrue(Pattern.compile("href=\"#assertion-\\d+\"").matcher(dom).find(), dom);
        assertTrue(Pattern.compile("id=\"assertion-\\d+\"[^>]*>[\\s\\S]*?Expected no step to block reads").matcher(dom).find(), dom);
        // The threshold drawn, and labelled.
        assertTrue(Pattern.compile("<line[^>]*class=\"threshold\"").matcher(dom).find(), dom);
        assertTrue(dom.contains("threshold 1000 ms"), dom);
        // Reads and writes in their own colours, explained by a legend; the 1.3 s read drawn as a span.
        assertTrue(Pattern.compile("class=\"legend\"[\\s\\S]*reads[\\s\\S]*writes").matcher(dom).find(), dom);
        assertTrue(Pattern.compile("<line[^>]*class=\"op-span read\"").matcher(dom).find(), dom);
        // A lane for the session the step waited behind.
        assertTrue(Pattern.compile("<text[^>]*class=\"lane-label\"[^>]*>blocker pid 4242 · querk-testkit/nightly-report")
                .matcher(dom).find(), dom);
        assertTrue(Pattern.compile("<rect[^>]*class=\"blocker-bar\"").matcher(dom).find(), dom);

        Path png = dir.resolve("timeline.png");
        Chromium.screenshot(page, dir.resolve("profile"), png, 1400, 900);
        BufferedImage img = ImageIO.read(png.toFile());
        long inked = 0;
        long red = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int rr = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (rr < 235 || g < 235 || b < 235) {
                    inked++;
                }
                if (rr > 170 && g < 90 && b < 90) {
                    red++;
                }
            }
        }
        double total = (double) img.getWidth() * img.getHeight();
        assertTrue(inked / total > 0.02, "the screenshot is blank: " + inked + " inked pixels of " + (long) total);
        assertTrue(red > 200, "no red (failing stretch, hatched waits) in the screenshot: " + red + " pixels");
    }

    private static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
