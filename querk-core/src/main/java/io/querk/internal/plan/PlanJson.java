package io.querk.internal.plan;

import io.querk.internal.json.JsonWriter;
import io.querk.plan.Hazard;
import io.querk.plan.MigrationPlan;
import io.querk.plan.PlannedAction;
import io.querk.plan.PlannedLock;
import io.querk.plan.PlannedPhase;
import io.querk.plan.PlannedStep;

import java.util.List;
import java.util.TreeSet;

/**
 * The plan for tools. The shape is documented in {@code docs/planner.md} and versioned by the
 * {@code format} field: within one format, fields are only added, never renamed or removed.
 */
public final class PlanJson {

    private PlanJson() {
    }

    public static String render(MigrationPlan plan) {
        JsonWriter w = new JsonWriter().beginObject()
                .name("format").value(MigrationPlan.JSON_FORMAT)
                .name("serverMajor").value(plan.serverMajor())
                .name("withStatistics").value(plan.withStatistics())
                .name("refused").value(plan.refused())
                .name("phases").beginArray();
        for (PlannedPhase p : plan.phases()) {
            w.beginObject().name("migration").value(p.migrationId()).name("phase").value(p.phase().label())
                    .name("steps").beginArray();
            for (PlannedStep s : p.steps()) {
                step(w, s);
            }
            w.endArray().endObject();
        }
        return w.endArray().endObject().toString();
    }

    private static void step(JsonWriter w, PlannedStep s) {
        w.beginObject()
                .name("number").value(s.number())
                .name("kind").value(s.step().kind().name())
                .name("description").value(s.step().description())
                .name("table").value(s.step().table().map(Object::toString).orElse(null))
                .name("implied").value(s.step().implied())
                .name("refused").value(s.refused())
                .name("strongestLock").value(s.strongestLock().map(l -> l.mode().sqlName()).orElse(null))
                .name("effect").value(s.effect().name())
                .name("actions").beginArray();
        for (PlannedAction a : s.actions()) {
            action(w, a);
        }
        w.endArray().name("writePathImpact").beginArray();
        for (String x : s.writePathImpact()) {
            w.value(x);
        }
        w.endArray().name("verificationQuery").value(s.verificationQuery().orElse(null));
        w.name("hazards").beginArray();
        List<Hazard> refusals = s.refusals();
        for (Hazard h : s.hazards()) {
            w.beginObject().name("code").value(h.code()).name("severity").value(h.severity().name())
                    .name("message").value(h.message()).name("saferAlternative").value(h.saferAlternative())
                    .name("refused").value(refusals.contains(h)).endObject();
        }
        w.endArray().name("override");
        if (s.override().isPresent()) {
            w.beginObject().name("reason").value(s.override().get().reason()).name("hazardCodes").beginArray();
            for (String c : new TreeSet<>(s.override().get().hazardCodes())) {
                w.value(c);
            }
            w.endArray().endObject();
        } else {
            w.nullValue();
        }
        w.name("source");
        if (s.source().isPresent()) {
            w.beginObject().name("file").value(s.source().get().file()).name("line").value(s.source().get().line())
                    .name("sql").value(s.source().get().sql()).name("rewritten").value(s.source().get().rewritten())
                    .endObject();
        } else {
            w.nullValue();
        }
        w.endObject();
    }

    private static void action(JsonWriter w, PlannedAction a) {
        w.beginObject().name("purpose").value(a.purpose()).name("inTransaction").value(a.inTransaction())
                .name("statements").beginArray();
        for (String st : a.statements()) {
            w.value(st);
        }
        w.endArray().name("locks").beginArray();
        for (PlannedLock l : a.locks()) {
            w.beginObject().name("relation").value(l.relation()).name("mode").value(l.mode().sqlName())
                    .name("blocksReads").value(l.mode().blocksReads()).name("blocksWrites").value(l.mode().blocksWrites())
                    .name("blocks").value(l.blocks()).endObject();
        }
        w.endArray().name("effect").value(a.effect().name()).name("scale");
        if (a.scale().isPresent()) {
            PlannedAction.Scale sc = a.scale().get();
            w.beginObject().name("table").value(sc.table()).name("estimatedRows").value(sc.estimatedRows())
                    .name("sizeBytes").value(sc.sizeBytes()).endObject();
        } else {
            w.nullValue();
        }
        w.endObject();
    }
}
