package io.querk.plan;

import io.querk.corpus.Corpus;
import io.querk.internal.plan.HazardCatalog;
import io.querk.internal.plan.RawSqlAnalyzer;
import io.querk.internal.plan.StatementAnalysis;
import io.querk.internal.sql.SqlStatements;
import io.querk.migration.Migration;
import io.querk.migration.Phase;
import io.querk.migration.StepKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Renders the reference pages from the planner: the hazard catalogue and what each typed step does. */
final class ReferenceDocs {

    private static final int VERSION = Planner.NEWEST_KNOWN;

    private ReferenceDocs() {
    }

    static String hazards() {
        Corpus corpus = Corpus.load();
        StringBuilder sb = new StringBuilder();
        sb.append("# Hazard reference\n\n")
                .append("<!-- Generated from the planner by ReferenceDocsTest; do not edit by hand. -->\n\n")
                .append("Every code the safety planner reports. A **DANGER** hazard makes the step refused unless a\n")
                .append("`SafetyOverride` accepts it with a reason; **WARNING** and **INFO** are reported only.\n")
                .append("*Refused at* says when: `build` means `Migration.Builder.build()` already refuses it (it holds\n")
                .append("whatever the server), `plan` means the plan refuses it before anything runs (it depends on the\n")
                .append("server version or the live table). See [the planner guide](../planner.md).\n\n")
                .append("| Code | Severity | Refused at | What it means |\n|---|---|---|---|\n");
        for (HazardCatalog.Entry e : HazardCatalog.entries()) {
            sb.append("| [`").append(e.code()).append("`](#").append(e.code()).append(") | ").append(e.severity())
                    .append(" | ").append(e.severity() == Severity.DANGER ? e.checkedAt() : "never").append(" | ")
                    .append(e.summary()).append(" |\n");
        }
        for (HazardCatalog.Entry e : HazardCatalog.entries()) {
            sb.append("\n## ").append(e.code()).append("\n\n").append(e.severity()).append(": ").append(e.summary())
                    .append('\n');
            example(corpus, e.code()).ifPresent(x -> sb.append(x));
        }
        return sb.toString();
    }

    /** The first corpus statement that raises the code, with what the planner says about it. */
    private static Optional<String> example(Corpus corpus, String code) {
        for (Corpus.Entry c : corpus.entries()) {
            if (!c.hazards().contains(code)) {
                continue;
            }
            int version = c.minVersion();
            Function<String, Optional<TableFacts>> facts = corpus.factsFunction(c);
            StatementAnalysis a = RawSqlAnalyzer.analyze(SqlStatements.split(c.sql()).get(0), version, c.phase(), facts);
            Hazard h = a.hazards().stream().filter(x -> x.code().equals(code)).findFirst().orElseThrow();
            StringBuilder sb = new StringBuilder("\nFor example, in ").append(c.phase().label()).append(" on PostgreSQL ")
                    .append(version).append(c.online() ? " with live table facts" : "").append(":\n\n```sql\n")
                    .append(c.sql()).append("\n```\n\n> ").append(h.message()).append('\n');
            if (!h.saferAlternative().isEmpty()) {
                sb.append(">\n> **Instead:** ").append(h.saferAlternative()).append('\n');
            }
            return Optional.of(sb.toString());
        }
        return Optional.empty();
    }

    private record Example(StepKind kind, String dsl, Migration migration, Phase phase, int number) {
    }

    private static List<Example> examples() {
        List<Example> out = new ArrayList<>();
        out.add(new Example(StepKind.CREATE_TABLE, "expand(e -> e.createTable(\"depots\", t -> t.column(\"id\", \"bigint\").column(\"city\", \"text\").primaryKey(\"id\")))",
                Migration.define("x").expand(e -> e.createTable("depots", t -> t.column("id", "bigint").column("city", "text").primaryKey("id"))).build(), Phase.EXPAND, 1));
        out.add(new Example(StepKind.ADD_COLUMN, "expand(e -> e.addColumn(\"shipments\", \"eta\", \"timestamptz\"))",
                Migration.define("x").expand(e -> e.addColumn("shipments", "eta", "timestamptz")).build(), Phase.EXPAND, 1));
        out.add(new Example(StepKind.ADD_COLUMN, "expand(e -> e.addColumn(\"shipments\", \"token\", \"uuid\", c -> c.volatileDefault(\"gen_random_uuid()\")))",
                Migration.define("x").expand(e -> e.addColumn("shipments", "token", "uuid", c -> c.volatileDefault("gen_random_uuid()"))).build(), Phase.EXPAND, 1));
        out.add(new Example(StepKind.ADD_COLUMN, "expand(e -> e.addColumn(\"shipments\", \"city_key\", \"text\", c -> c.derivedFrom(\"lower(city)\")))",
                Migration.define("x").expand(e -> e.addColumn("shipments", "city_key", "text", c -> c.derivedFrom("lower(city)"))).build(), Phase.EXPAND, 1));
        out.add(new Example(StepKind.CREATE_INDEX, "expand(e -> e.createIndex(\"shipments_status_idx\", \"shipments\", \"status\"))",
                Migration.define("x").expand(e -> e.createIndex("shipments_status_idx", "shipments", "status")).build(), Phase.EXPAND, 1));
        out.add(new Example(StepKind.ADD_CHECK, "expand(e -> e.addCheck(\"shipments\", \"shipments_weight_check\", \"weight_kg > 0\"))",
                Migration.define("x").expand(e -> e.addCheck("shipments", "shipments_weight_check", "weight_kg > 0")).build(), Phase.EXPAND, 1));
        out.add(new Example(StepKind.ADD_FOREIGN_KEY, "expand(e -> e.addForeignKey(\"shipments\", \"shipments_depot_fk\", \"depot_id\", \"depots\", \"id\"))",
                Migration.define("x").expand(e -> e.addForeignKey("shipments", "shipments_depot_fk", "depot_id", "depots", "id")).build(), Phase.EXPAND, 1));
        out.add(new Example(StepKind.ADD_UNIQUE, "expand(e -> e.addUnique(\"shipments\", \"shipments_code_key\", \"code\"))",
                Migration.define("x").expand(e -> e.addUnique("shipments", "shipments_code_key", "code")).build(), Phase.EXPAND, 1));
        out.add(new Example(StepKind.ADD_PRIMARY_KEY, "expand(e -> e.addPrimaryKey(\"legs\", \"legs_pkey\", \"leg_no\"))",
                Migration.define("x").expand(e -> e.addPrimaryKey("legs", "legs_pkey", "leg_no")).build(), Phase.EXPAND, 1));
        out.add(new Example(StepKind.SET_NOT_NULL, "contract(c -> c.setNotNull(\"shipments\", \"status\"))",
                Migration.define("x").contract(c -> c.setNotNull("shipments", "status")).build(), Phase.CONTRACT, 1));
        out.add(new Example(StepKind.RENAME_COLUMN, "expand(e -> e.renameColumn(\"shipments\", \"weight\", \"weight_kg\"))",
                Migration.define("x").expand(e -> e.renameColumn("shipments", "weight", "weight_kg")).build(), Phase.EXPAND, 1));
        out.add(new Example(StepKind.CHANGE_COLUMN_TYPE, "expand(e -> e.changeColumnType(\"shipments\", \"weight_kg\", \"numeric(12,3)\"))",
                Migration.define("x").expand(e -> e.changeColumnType("shipments", "weight_kg", "numeric(12,3)")).build(), Phase.EXPAND, 1));
        out.add(new Example(StepKind.BACKFILL, "backfill(b -> b.table(\"shipments\").set(\"city_key\", \"lower(city)\").where(\"city_key IS NULL\"))",
                Migration.define("x").backfill(b -> b.table("shipments").set("city_key", "lower(city)").where("city_key IS NULL")).build(), Phase.BACKFILL, 1));
        out.add(new Example(StepKind.FINISH_SYNC, "(implied by renameColumn at contract)",
                Migration.define("x").expand(e -> e.renameColumn("shipments", "weight", "weight_kg")).build(), Phase.CONTRACT, 1));
        out.add(new Example(StepKind.DROP_INDEX, "contract(c -> c.dropIndex(\"shipments_legacy_idx\"))",
                Migration.define("x").contract(c -> c.dropIndex("shipments_legacy_idx")).build(), Phase.CONTRACT, 1));
        out.add(new Example(StepKind.DROP_CONSTRAINT, "contract(c -> c.dropConstraint(\"shipments\", \"shipments_legacy_check\"))",
                Migration.define("x").contract(c -> c.dropConstraint("shipments", "shipments_legacy_check")).build(), Phase.CONTRACT, 1));
        out.add(new Example(StepKind.DROP_COLUMN, "contract(c -> c.dropColumn(\"shipments\", \"legacy\"))",
                Migration.define("x").contract(c -> c.dropColumn("shipments", "legacy")).build(), Phase.CONTRACT, 1));
        out.add(new Example(StepKind.DROP_TABLE, "contract(c -> c.dropTable(\"old_routes\"))",
                Migration.define("x").contract(c -> c.dropTable("old_routes")).build(), Phase.CONTRACT, 1));
        return out;
    }

    static String steps() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Step reference\n\n")
                .append("<!-- Generated from the planner by ReferenceDocsTest; do not edit by hand. -->\n\n")
                .append("What each typed step runs, as the planner reports it for PostgreSQL ").append(VERSION)
                .append(" (typed steps render the\nsame SQL on 14 to 18). *Runs* is `in tx` for statements that run together in one\n")
                .append("transaction and `alone` for those that cannot run in a transaction block. Each row of\n")
                .append("a step is one action; an interrupted step resumes at the first action whose effect is\n")
                .append("missing. Locks that block reads or writes are taken under `lock_timeout` and retried\n")
                .append("([configuration](../configuration.md)).\n");
        for (Example x : examples()) {
            MigrationPlan plan = Planner.forServer(VERSION).plan(x.migration());
            PlannedStep s = plan.phases().stream().filter(p -> p.phase() == x.phase()).findFirst().orElseThrow()
                    .steps().get(x.number() - 1);
            sb.append("\n## ").append(x.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                    .append(": ").append(s.step().description()).append("\n\n```java\n").append(x.dsl()).append("\n```\n\n")
                    .append("| Runs | Lock | Blocks | Effect | Statement |\n|---|---|---|---|---|\n");
            for (PlannedAction a : s.actions()) {
                List<PlannedLock> locks = a.locks();
                String lock = locks.isEmpty() ? "none" : String.join("<br>", locks.stream()
                        .map(l -> l.mode().sqlName() + " on `" + l.relation() + "`").toList());
                String blocks = locks.isEmpty() ? "" : String.join("<br>", locks.stream().map(PlannedLock::blocks).toList());
                String statements = String.join("<br>", a.statements().stream()
                        .map(st -> "`" + firstLine(st).replace("|", "\\|") + "`").toList());
                sb.append("| ").append(a.inTransaction() ? "in tx" : "alone").append(" | ").append(lock).append(" | ")
                        .append(blocks).append(" | ").append(switch (a.effect()) {
                            case NONE -> "catalog only";
                            case SCAN -> "reads every row";
                            case REWRITE -> "rewrites the table";
                        }).append(" | ").append(statements).append(" |\n");
            }
            if (!s.writePathImpact().isEmpty()) {
                sb.append("\n**Write path:** ").append(String.join("; ", s.writePathImpact())).append(".\n");
            }
            s.verificationQuery().ifPresent(q -> sb.append("\n**Verify:** `").append(q).append("`\n"));
            for (Hazard h : s.hazards()) {
                sb.append("\n**").append(h.severity()).append(" ").append(h.code()).append(":** ").append(h.message())
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static String firstLine(String sql) {
        String one = sql.strip().replaceAll("\\s+", " ");
        return one.length() > 110 ? one.substring(0, 107) + "..." : one;
    }
}
