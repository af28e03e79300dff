package io.querk.testkit.internal;

import io.querk.internal.json.JsonWriter;
import io.querk.jdbc.Blocker;
import io.querk.testkit.RehearsalReport;
import io.querk.testkit.StepRun;
import io.querk.testkit.Stretch;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.traffic.SessionRun;
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
        w.name("tables").beginArray();
        r.tables().forEach(w::value);
        w.endArray();
        w.name("steps").beginArray();
        for (StepRun s : r.steps()) {
            w.beginObject();
            w.name("migration").value(s.step().migrationId());
            w.name("phase").value(s.step().phase().label());
            w.name("number").value(s.step().number());
            w.name("of").value(s.step().count());
            w.name("run").value(s.token());
            w.name("description").value(s.step().description());
            w.name("startMs").value(offset(r, s.start()));
            w.name("tookMs").value(s.took().toMillis());
            w.name("failed").value(s.failed());
            w.name("retries").value(s.retries().size());
            w.name("statements").beginArray();
            for (StepRun.StatementRun st : s.statements()) {
                w.beginObject().name("sql").value(st.sql()).name("pid").value(st.pid())
                        .name("startMs").value(offset(r, st.start()))
                        .name("tookMs").value(Duration.between(st.start(), st.end()).toMillis())
                        .name("sqlState").value(st.sqlState()).endObject();
            }
            w.endArray();
            w.name("locks");
            locks(w, r, r.locks().stream().filter(i -> r.stepOf(i).filter(s::equals).isPresent()).toList());
            w.name("traffic");
            traffic(w, r.trafficDuring(s));
            w.endObject();
        }
        w.endArray();
        w.name("stretches").beginArray();
        for (Stretch s : r.stretches()) {
            w.beginObject().name("number").value(s.number()).name("table").value(s.table())
                    .name("blocks").value(s.access().name().toLowerCase(java.util.Locale.ROOT))
                    .name("migration").value(s.step() == null ? null : s.step().step().migrationId())
                    .name("phase").value(s.step() == null ? null : s.step().step().phase().label())
                    .name("step").value(s.step() == null ? 0 : s.step().step().number())
                    .name("run").value(s.step() == null ? null : s.step().token())
                    .name("mode").value(s.mode().sqlName())
                    .name("startMs").value(offset(r, s.start())).name("durationMs").value(s.duration().toMillis())
                    .name("waitedMs").value(s.waited().toMillis()).name("observedMs");
            if (s.observed().isPresent()) {
                w.value(s.observed().get().toNanos() / 1e6);
            } else {
                w.nullValue();
            }
            w.name("pids").beginArray();
            s.pids().forEach(p -> w.value((long) p));
            w.endArray();
            w.name("blockers").beginArray();
            for (Blocker b : s.blockers()) {
                w.beginObject().name("pid").value(b.pid()).name("application").value(b.application())
                        .name("state").value(b.state())
                        .name("transactionAgeMs");
                if (b.transactionAge() == null) {
                    w.nullValue();
                } else {
                    w.value(b.transactionAge().toMillis());
                }
                w.name("query").value(b.query()).endObject();
            }
            w.endArray().endObject();
        }
        w.endArray();
        w.name("otherLocks");
        locks(w, r, r.locks().stream().filter(i -> r.stepOf(i).isEmpty()).toList());
        w.name("sessions").beginArray();
        for (SessionRun s : r.sessions()) {
            w.beginObject().name("name").value(s.name()).name("pid").value(s.pid())
                    .name("startMs").value(offset(r, s.begin())).name("durationMs")
                    .value(Duration.between(s.begin(), s.end()).toMillis()).name("error").value(s.error()).endObject();
        }
        w.endArray();
        w.name("traffic");
        traffic(w, r.traffic());
        return w.endObject().toString();
    }

    private static void locks(JsonWriter w, RehearsalReport r, List<LockInterval> locks) {
        w.beginArray();
        for (LockInterval i : locks) {
            w.beginObject().name("relation").value(i.relation()).name("mode").value(i.mode().sqlName())
                    .name("granted").value(i.granted()).name("pid").value(i.pid())
                    .name("source").value(i.source().name().toLowerCase(java.util.Locale.ROOT))
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
