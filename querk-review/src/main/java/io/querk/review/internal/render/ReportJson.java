package io.querk.review.internal.render;

import io.querk.internal.json.JsonWriter;
import io.querk.review.Finding;
import io.querk.review.FindingKind;
import io.querk.review.IndexKey;
import io.querk.review.IndexProposal;
import io.querk.review.ProposedIndex;
import io.querk.review.QueryReviewReport;
import io.querk.review.ReviewedParameter;
import io.querk.review.Rewrite;
import io.querk.review.WriteImpact;

import java.util.List;

/** The report as JSON, format {@link QueryReviewReport#JSON_FORMAT}, for tools. */
public final class ReportJson {

    private ReportJson() {
    }

    /**
     * @param r the report
     * @return its JSON
     */
    public static String render(QueryReviewReport r) {
        JsonWriter w = new JsonWriter().beginObject();
        w.name("format").value(QueryReviewReport.JSON_FORMAT);
        w.name("sql").value(r.sql());
        w.name("serverVersion").value(r.serverVersion());
        w.name("basis").value(r.basis().name());
        w.name("hypoPgVersion").value(r.hypoPgVersion().orElse(null));
        w.name("writes").value(r.writes());
        w.name("reviewMs").value(r.reviewTime().toMillis());
        w.name("reviewedAt").value(r.reviewedAt().toString());
        w.name("parameters").beginArray();
        for (ReviewedParameter p : r.parameters()) {
            w.beginObject().name("number").value(p.number()).name("type").value(p.type()).name("value").value(p.value())
                    .name("source").value(p.source().name()).name("column").value(p.column()).endObject();
        }
        w.endArray();
        w.name("plan").beginObject().name("topNode").value(r.plan().topNode()).name("startupCost").value(r.plan().startupCost())
                .name("totalCost").value(r.plan().totalCost()).name("rows").value(r.plan().rows())
                .name("text").value(r.plan().text()).endObject();
        w.name("execution");
        if (r.execution().isPresent()) {
            var e = r.execution().get();
            w.beginObject().name("executionMs").value(e.executionMs()).name("planningMs").value(e.planningMs())
                    .name("rows").value(e.rows()).name("sharedHitBlocks").value(e.sharedHitBlocks())
                    .name("sharedReadBlocks").value(e.sharedReadBlocks()).name("text").value(e.text()).endObject();
        } else {
            w.nullValue();
        }
        w.name("findings").beginArray();
        for (Finding f : r.findings()) {
            w.beginObject().name("kind").value(f.kind().name()).name("label").value(f.kind().label()).name("table").value(f.table())
                    .name("message").value(f.message()).name("costShare").value(f.costShare()).endObject();
        }
        w.endArray();
        w.name("proposals").beginArray();
        for (IndexProposal p : r.proposals()) {
            proposal(w, p);
        }
        w.endArray();
        w.name("rewrites").beginArray();
        for (Rewrite x : r.rewrites()) {
            w.beginObject().name("kind").value(x.kind().name()).name("sql").value(x.sql()).name("reason").value(x.reason())
                    .name("costBefore").value(x.costBefore()).name("costAfter").value(x.costAfter())
                    .name("costWithIndex").value(x.costWithIndex());
            strings(w, "parameters", x.parameters());
            w.name("index");
            if (x.index().isPresent()) {
                proposal(w, x.index().get());
            } else {
                w.nullValue();
            }
            w.endObject();
        }
        w.endArray();
        strings(w, "notes", r.notes());
        return w.endObject().toString();
    }

    private static void proposal(JsonWriter w, IndexProposal p) {
        w.beginObject().name("rank").value(p.rank()).name("costBefore").value(p.costBefore()).name("costAfter")
                .value(p.costAfter()).name("improvement").value(p.improvement()).name("basis").value(p.basis().name())
                .name("expectedPlan").value(p.expectedPlan()).name("reason").value(p.reason());
        strings(w, "addresses", p.addresses().stream().map(FindingKind::name).toList());
        w.name("indexes").beginArray();
        for (ProposedIndex ix : p.indexes()) {
            w.beginObject().name("name").value(ix.name()).name("table").value(ix.table()).name("method").value(ix.method());
            w.name("keys").beginArray();
            for (IndexKey k : ix.keys()) {
                w.beginObject().name("column").value(k.column()).name("expression").value(k.expression())
                        .name("descending").value(k.descending()).name("operatorClass").value(k.operatorClass()).endObject();
            }
            w.endArray();
            strings(w, "include", ix.include());
            w.name("predicate").value(ix.predicate().orElse(null)).name("extension").value(ix.extension().orElse(null))
                    .name("definition").value(ix.definition());
            WriteImpact wi = ix.writeImpact();
            w.name("writeImpact").beginObject().name("table").value(wi.table()).name("inserts").value(wi.inserts())
                    .name("updates").value(wi.updates()).name("hotUpdates").value(wi.hotUpdates()).name("deletes")
                    .value(wi.deletes()).name("windowSeconds").value(wi.window().toSeconds())
                    .name("writesPerSecond").value(wi.writesPerSecond());
            strings(w, "existingIndexes", wi.existingIndexes());
            w.name("existingIndexBytes").value(wi.existingIndexBytes()).name("estimatedSizeBytes").value(wi.estimatedSizeBytes())
                    .name("sizeFromHypoPg").value(wi.sizeFromHypoPg()).name("estimatedBuildMs").value(wi.estimatedBuildTime().toMillis());
            strings(w, "newlyIndexedColumns", wi.newlyIndexedColumns());
            strings(w, "updatedByStatements", wi.updatedByStatements());
            w.name("statementsKnown").value(wi.statementsKnown());
            strings(w, "setByReviewed", wi.setByReviewed());
            strings(w, "summary", wi.describe());
            w.endObject();
            w.endObject();
        }
        w.endArray();
        w.name("verification").beginObject().name("command").value(p.verification().command())
                .name("expectedPlan").value(p.verification().expectedPlan())
                .name("expectedCost").value(p.verification().expectedCost());
        strings(w, "indexNames", p.verification().indexNames());
        strings(w, "catalogChecks", p.verification().catalogChecks());
        w.endObject();
        w.name("suggestedMigrationId").value(p.suggestedMigrationId());
        w.name("migrationSource").value(p.migrationSource(p.suggestedMigrationId()));
        w.endObject();
    }

    private static void strings(JsonWriter w, String name, List<String> values) {
        w.name(name).beginArray();
        values.forEach(w::value);
        w.endArray();
    }
}
