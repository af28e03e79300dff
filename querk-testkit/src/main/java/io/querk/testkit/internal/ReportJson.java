package io.querk.testkit.internal;

import io.querk.internal.json.JsonWriter;
import io.querk.testkit.RehearsalReport;
import io.querk.testkit.StepRun;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.traffic.TrafficOp;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The rehearsal report as JSON; the shape is documented in docs/testkit.md and kept stable. */
public final class ReportJson {

    private ReportJson() {
    }

    public static String render(RehearsalReport r) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("server").value(r.server());
        w.name("start").value(r.start().toString());
        w.name("durationMs").value(Duration.between(r.start(), r.end()).toMillis());
        w.name("error").value(r.error().map(Throwable::getMessage).orElse(null));
        w.name("steps").beginArray();
        for (StepRun s : r.steps()) {
            w.beginObject();
            w.name("migration").value(s.step().migrationId());
            w.name("phase").value(s.step().phase().label());
            w.name("number").value(s.step().number());
            w.name("of").value(s.step().count());
            w.name("description").value(s.step().description());
            w.name("startMs").value(offset(r, s.start()));
            w.name("tookMs").value(s.took().toMillis());
            w.name("failed").value(s.failed());
            w.name("statements").beginArray();
            for (StepRun.StatementRun st : s.statements()) {
                w.beginObject().name("sql").value(st.sql()).name("pid").value(st.pid())
                        .name("startMs").value(offset(r, st.start()))
                        .name("tookMs").value(Duration.between(st.start(), st.end()).toMillis()).endObject();
            }
            w.endArray();
            w.name("locks");
            locks(w, r, r.locks().stream().filter(i -> r.stepOf(i).filter(s::equals).isPresent()).toList());
            w.name("traffic");
            traffic(w, r.trafficDuring(s));
            w.endObject();
        }
        w.endArray();
        w.name("otherLocks");
        locks(w, r, r.locks().stream().filter(i -> r.stepOf(i).isEmpty()).toList());
        w.name("traffic");
        traffic(w, r.traffic());
        return w.endObject().toString();
    }

    private static void locks(JsonWriter w, RehearsalReport r, List<LockInterval> locks) {
        w.beginArray();
        for (LockInterval i : locks) {
            w.beginObject().name("relation").value(i.relation()).name("mode").value(i.mode().sqlName())
                    .name("granted").value(i.granted()).name("pid").value(i.pid())
                    .name("startMs").value(offset(r, i.start())).name("durationMs").value(i.duration().toMillis())
                    .name("blocksReads").value(i.blocksReads()).name("blocksWrites").value(i.blocksWrites())
                    .name("query").value(i.query()).endObject();
        }
        w.endArray();
    }

    private static void traffic(JsonWriter w, List<TrafficOp> ops) {
        w.beginObject().name("ops").value(ops.size())
                .name("errors").value(ops.stream().filter(o -> o.error() != null).count())
                .name("p50Ms").value(RehearsalReport.quantile(ops, 0.5).toNanos() / 1e6)
                .name("p99Ms").value(RehearsalReport.quantile(ops, 0.99).toNanos() / 1e6)
                .name("maxMs").value(RehearsalReport.quantile(ops, 1.0).toNanos() / 1e6)
                .endObject();
    }

    private static long offset(RehearsalReport r, Instant t) {
        return Duration.between(r.start(), t).toMillis();
    }
}
