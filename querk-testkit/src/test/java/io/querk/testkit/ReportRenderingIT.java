package io.querk.testkit;

import io.querk.migration.Migration;
import io.querk.testkit.data.Gen;
import io.querk.testkit.data.TestData;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rehearsal report in its three forms: text for people, JSON for tools, an HTML timeline. */
@ExtendWith(PostgresExtension.class)
class ReportRenderingIT {

    private static RehearsalReport rehearse(TestDatabase db) throws Exception {
        TestData.seed(5).table("parcels").rows(20_000).column("id", "bigint", Gen.serial()).primaryKey("id")
                .column("city", "text", Gen.oneOf("Lyon", "Porto")).create(db.dataSource());
        return Rehearsal.of(Migration.define("2026-11-24.parcels").expand(e -> e
                        .addColumn("parcels", "zone", "text", c -> c.derivedFrom("upper(city)"))
                        .createIndex("parcels_zone_idx", "parcels", "zone")).build())
                .on(db.dataSource())
                .traffic(t -> t.reads("parcels").writes("parcels"))
                .run();
    }

    @Test
    void textJsonAndHtmlDescribeTheSameRun(TestDatabase db, @TempDir Path dir) throws Exception {
        RehearsalReport r = rehearse(db);
        RehearsalAssertions.assertThat(r).succeeded();
        assertEquals(4, r.steps().size(), "2 expand steps, the implied backfill, the implied contract step");
        assertTrue(r.traffic().size() > 10, "traffic ran: " + r.traffic().size());
        assertTrue(r.locks().stream().anyMatch(i -> i.relation().equals("public.parcels")), r.locks().toString());
        assertTrue(r.locks().stream().allMatch(i -> r.stepOf(i).isPresent() || i.application().startsWith("querk/")),
                "every lock is Querk's");

        String text = r.toText();
        assertTrue(text.startsWith("Rehearsal on PostgreSQL "), text);
        assertTrue(text.contains("2026-11-24.parcels expand 2/2 (create index"), text);

        // PostgreSQL parses the JSON: if it is malformed, this throws.
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT jsonb_array_length(j -> 'steps'), j -> 'steps' -> 1 ->> 'phase', (j -> 'traffic' ->> 'ops')::int,"
                        + " jsonb_typeof(j -> 'steps' -> 0 -> 'locks') FROM (SELECT ?::jsonb AS j) s")) {
            ps.setString(1, r.toJson());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(4, rs.getInt(1));
                assertEquals("expand", rs.getString(2));
                assertEquals(r.traffic().size(), rs.getInt(3));
                assertEquals("array", rs.getString(4));
            }
        }

        Path html = r.writeHtml(dir.resolve("report/rehearsal.html"));
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("<svg") && page.endsWith("</html>\n"));
        assertTrue(!page.contains("<script") && !page.contains("http://") || page.contains("xmlns=\"http://www.w3.org/2000/svg\""),
                "self-contained: no script, no external resource");
        long stepBars = page.lines().filter(l -> l.contains("class=\"step-bar ")).count();
        assertEquals(4, stepBars);
        long stretchGroups = page.lines().filter(l -> l.startsWith("<g class=\"stretch")).count();
        assertEquals(r.stretches().size(), stretchGroups);
        long weakBars = page.lines().filter(l -> l.contains("class=\"weak\"")).count();
        assertEquals(r.locks().stream().filter(i -> !i.blocksWrites()).count(), weakBars);
    }
}
