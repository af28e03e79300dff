package io.querk.internal.plan;

import io.querk.plan.Hazard;
import io.querk.plan.MigrationPlan;
import io.querk.plan.PlannedAction;
import io.querk.plan.PlannedLock;
import io.querk.plan.PlannedPhase;
import io.querk.plan.PlannedStep;
import io.querk.plan.Severity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The plan as Markdown for a pull-request comment: the verdict first, then what is refused and
 * how to fix or accept it, then every step with its statements in a SQL block, a table of its
 * locks, what they block and its effect, the write-path impact and the verification query. Plans
 * for several server versions that come out the same are shown once, under all their versions.
 */
public final class PlanMarkdown {

    private PlanMarkdown() {
    }

    /** @param plans one per server version, in the order to show them; at least one */
    public static String render(List<MigrationPlan> plans) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (MigrationPlan p : plans) {
            groups.computeIfAbsent(body(p), k -> new ArrayList<>()).add(p.serverMajor());
        }
        long refusedSteps = plans.stream().mapToLong(p -> p.steps().stream().filter(PlannedStep::refused).count())
                .max().orElse(0);
        StringBuilder sb = new StringBuilder("### Querk plan\n\n");
        String versions = versions(plans.stream().map(MigrationPlan::serverMajor).toList());
        int steps = plans.isEmpty() ? 0 : plans.get(0).steps().size();
        if (steps == 0) {
            return sb.append("Nothing to do on PostgreSQL ").append(versions).append(".\n").toString();
        }
        sb.append(refusedSteps == 0 ? "**No step refused**" : "**" + refusedSteps + (refusedSteps == 1 ? " step" : " steps")
                + " REFUSED**").append(" on PostgreSQL ").append(versions).append(": ").append(steps)
                .append(steps == 1 ? " step in " : " steps in ").append(plans.get(0).phases().size())
                .append(plans.get(0).phases().size() == 1 ? " phase" : " phases")
                .append(plans.get(0).withStatistics() ? ", with live table statistics" : ", planned offline").append(".\n");
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            if (groups.size() > 1) {
                sb.append("\n---\n\n#### PostgreSQL ").append(versions(g.getValue())).append('\n');
            }
            sb.append(g.getKey());
        }
        return sb.toString();
    }

    private static String versions(List<Integer> v) {
        return v.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String body(MigrationPlan plan) {
        StringBuilder sb = new StringBuilder();
        List<String> refused = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (PlannedPhase p : plan.phases()) {
            for (PlannedStep s : p.steps()) {
                String where = "`" + p.migrationId() + "` " + p.phase().label() + " #" + s.number()
                        + s.source().map(src -> " (`" + src.location() + "`)").orElse("");
                for (Hazard h : s.hazards()) {
                    if (s.refusals().contains(h)) {
                        StringBuilder r = new StringBuilder("- **").append(where).append("** `").append(h.code())
                                .append("`: ").append(inline(h.message()));
                        java.util.Optional<String> advice = s.source().flatMap(src -> HazardCatalog.sqlFileAdvice(h.code()));
                        if (advice.isPresent()) {
                            r.append("\n  - Instead, in the SQL file: ").append(inline(advice.get()));
                        } else if (!h.saferAlternative().isEmpty()) {
                            r.append("\n  - Instead: ").append(inline(h.saferAlternative()));
                        }
                        if (s.source().isPresent()) {
                            r.append("\n  - To accept it, on the line before the statement: `-- querk:override ")
                                    .append(h.code()).append(" because <why it is acceptable here>`");
                        }
                        refused.add(r.toString());
                    } else if (h.severity() == Severity.WARNING) {
                        warnings.add("- " + where + " `" + h.code() + "`: " + inline(h.message()));
                    }
                }
            }
        }
        if (!refused.isEmpty()) {
            sb.append("\n#### Refused\n\n").append(String.join("\n", refused)).append('\n');
        }
        if (!warnings.isEmpty()) {
            sb.append("\n<details><summary>").append(warnings.size()).append(warnings.size() == 1 ? " warning" : " warnings")
                    .append("</summary>\n\n").append(String.join("\n", warnings)).append("\n\n</details>\n");
        }
        for (PlannedPhase p : plan.phases()) {
            sb.append("\n#### `").append(p.migrationId()).append("` \u00b7 ").append(p.phase().label()).append('\n');
            for (PlannedStep s : p.steps()) {
                step(s, sb);
            }
        }
        return sb.toString();
    }

    private static void step(PlannedStep s, StringBuilder sb) {
        sb.append("\n**#").append(s.number()).append(' ').append(inline(s.step().description())).append("**");
        if (s.step().implied()) {
            sb.append(" (implied)");
        }
        if (s.refused()) {
            sb.append(" \u2014 **REFUSED**");
        }
        s.source().ifPresent(src -> sb.append(" \u00b7 `").append(src.location()).append('`'));
        sb.append('\n');
        s.source().filter(src -> src.rewritten()).ifPresent(src -> sb.append("\nRewritten from `")
                .append(code(src.sql())).append("` into the form below, which keeps reads and writes going.\n"));
        sb.append("\n| runs | lock | blocks | effect |\n|---|---|---|---|\n");
        List<String> statements = new ArrayList<>();
        for (PlannedAction a : s.actions()) {
            List<PlannedLock> locks = a.locks().isEmpty() ? java.util.Collections.singletonList(null) : a.locks();
            for (int i = 0; i < locks.size(); i++) {
                PlannedLock l = locks.get(i);
                sb.append("| ").append(i == 0 ? (a.inTransaction() ? "in tx" : "alone") : "").append(" | ")
                        .append(l == null ? "none" : l.mode().sqlName() + " `" + l.relation() + "`").append(" | ")
                        .append(l == null ? "" : l.blocks()).append(" | ").append(i == 0 ? PlanText.effect(a) : "").append(" |\n");
            }
            statements.addAll(a.statements());
        }
        if (!statements.isEmpty()) {
            sb.append("\n```sql\n");
            for (String st : statements) {
                sb.append(st.strip()).append(";\n");
            }
            sb.append("```\n");
        }
        for (String w : s.writePathImpact()) {
            sb.append("\n- write path: ").append(inline(w));
        }
        s.verificationQuery().ifPresent(q -> sb.append("\n- verify: `").append(code(q)).append('`'));
        s.override().ifPresent(o -> sb.append("\n- accepted: ").append(inline(o.describe())));
        if (!s.writePathImpact().isEmpty() || s.verificationQuery().isPresent() || s.override().isPresent()) {
            sb.append('\n');
        }
    }

    /** Text in a table cell or list item: one line, with the characters Markdown would read escaped. */
    private static String inline(String s) {
        return s.strip().replaceAll("\\s+", " ").replace("|", "\\|").replace("<", "&lt;").replace("_", "\\_")
                .replace("*", "\\*");
    }

    /** Text inside backticks: one line, without backticks of its own. */
    private static String code(String s) {
        return s.strip().replaceAll("\\s+", " ").replace('`', '\'');
    }
}
